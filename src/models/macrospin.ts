// Classical spin clusters for the LLG core: a macrospin or a small cluster (dimer, …) described by a
// plain JSON-able spec, copied over N systems; plus the exact results they are validated against.
import { HBAR, KB } from '../numerics/units.ts';
import { integrate } from '../numerics/quadrature.ts';
import { LlgEnsemble, type CouplingSpec, type SpinSpec } from '../kernels/llg/ensemble.ts';
import type { Vec3 } from '../numerics/vec3.ts';

export interface ClusterSpec {
  /** Temperature T (K) of the bath. */
  temperature: number;
  spins: SpinSpec[];
  /**
   * Pair couplings (i < j), energy −m_i·𝕁·m_j with 𝕁 = J + Γ + [D] (see couplingTensor). `reverse`
   * (9 entries, row-major, meV) makes the pair non-reciprocal: the field on j is reverse·m_i instead
   * of 𝕁ᵀ m_i (LlgEnsemble.setCoupling).
   */
  couplings?: (CouplingSpec & { i: number; j: number; reverse?: number[] })[];
  /** Optional 3K×3K Gilbert damping tensor (row-major); replaces the per-spin alpha. */
  damping?: number[];
  /** Optional 3K×3K noise covariance (meV²·ps); default: fluctuation–dissipation value. */
  noiseCovariance?: number[];
}

const SPIN_KEYS = new Set(['field', 'anisotropy', 'easyAxis', 'anisotropyTensor', 'S', 'alpha', 'pinned', 'torqueAxis', 'fieldLikeTorque', 'dampingLikeTorque', 'init']);
const COUPLING_KEYS = new Set(['i', 'j', 'J', 'D', 'symmetric', 'reverse']);
const CLUSTER_KEYS = new Set(['temperature', 'spins', 'couplings', 'damping', 'noiseCovariance']);

function checkKeys(obj: unknown, allowed: Set<string>, where: string): void {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new RangeError(`${where} must be an object`);
  for (const k of Object.keys(obj)) {
    if (!allowed.has(k)) throw new RangeError(`${where}: unknown key '${k}' (allowed: ${[...allowed].join(', ')})`);
  }
}

/**
 * Validate a cluster spec as a user wrote it (e.g. JSON): unknown keys, wrong types, duplicate
 * pairs and a damping that is missing are errors, not silent defaults.
 */
export function validateCluster(spec: ClusterSpec): void {
  checkKeys(spec, CLUSTER_KEYS, 'cluster');
  if (typeof spec.temperature !== 'number' || !Number.isFinite(spec.temperature) || spec.temperature < 0) {
    throw new RangeError(`temperature must be a finite number ≥ 0 (K), got ${spec.temperature}`);
  }
  if (!Array.isArray(spec.spins) || spec.spins.length === 0) throw new RangeError('spins: a cluster needs at least one spin');
  const tensor = spec.damping !== undefined || spec.noiseCovariance !== undefined;
  spec.spins.forEach((sp, i) => {
    checkKeys(sp, SPIN_KEYS, `spins[${i}]`);
    if (sp.pinned !== undefined && typeof sp.pinned !== 'boolean') throw new RangeError(`spins[${i}].pinned must be true or false, got ${JSON.stringify(sp.pinned)}`);
    if (!tensor && sp.alpha === undefined) throw new RangeError(`spins[${i}].alpha (Gilbert damping) is required; give 0 explicitly for an undamped spin`);
    for (const k of ['field', 'easyAxis', 'torqueAxis', 'init'] as const) {
      const v = sp[k];
      if (v !== undefined && (!Array.isArray(v) || v.length !== 3)) throw new RangeError(`spins[${i}].${k} must be [x, y, z]`);
    }
  });
  const seen = new Set<string>();
  (spec.couplings ?? []).forEach((c, k) => {
    checkKeys(c, COUPLING_KEYS, `couplings[${k}]`);
    const key = `${c.i},${c.j}`;
    if (seen.has(key)) throw new RangeError(`couplings[${k}]: pair (${key}) given twice; put J, D and symmetric in one entry`);
    if (c.reverse !== undefined && (!Array.isArray(c.reverse) || c.reverse.length !== 9 || !c.reverse.every(x => typeof x === 'number' && Number.isFinite(x)))) {
      throw new RangeError(`couplings[${k}].reverse must be 9 finite numbers (row-major 3×3 tensor of the field on spin j from spin i, meV)`);
    }
    seen.add(key);
  });
}

/** N identical copies of one cluster (each system draws its own noise). */
export function clusterEnsemble(spec: ClusterSpec, systems: number): LlgEnsemble {
  validateCluster(spec);
  if (!Array.isArray(spec.spins) || spec.spins.length === 0) throw new RangeError('spins: a cluster needs at least one spin');
  const tensor = spec.damping !== undefined || spec.noiseCovariance !== undefined;
  const ens = new LlgEnsemble({ systems, spins: spec.spins.length, tensorDamping: tensor });
  for (let s = 0; s < systems; s++) setCluster(ens, s, spec);
  return ens;
}

export function setCluster(ens: LlgEnsemble, sys: number, spec: ClusterSpec): void {
  spec.spins.forEach((sp, i) => {
    if (ens.tensorDamping && sp.alpha !== undefined) throw new RangeError(`spins[${i}].alpha: give either per-spin alpha or a damping tensor, not both`);
    ens.setSpin(sys, i, sp);
  });
  for (const c of spec.couplings ?? []) ens.setCoupling(sys, c.i, c.j, c, c.reverse);
  if (ens.tensorDamping) {
    if (!spec.damping) throw new RangeError('damping: a noise covariance needs the damping tensor too');
    ens.setDamping(sys, spec.damping);
    if (spec.noiseCovariance) ens.setNoiseCovariance(sys, spec.noiseCovariance);
  }
  ens.setTemperature(sys, spec.temperature);
}

/**
 * Exact Boltzmann ⟨m·n⟩ of a classical macrospin with E = −B m·n − K (m·n)² (field B along the
 * anisotropy axis n) at temperature T: P(u) ∝ exp((B u + K u²)/k_BT) on u = m·n ∈ [−1, 1]
 * (uniform measure on the sphere).
 */
export function boltzmannMz(B: number, K: number, T: number): number {
  if (T === 0) throw new RangeError('temperature must be > 0 for a Boltzmann average');
  const beta = 1 / (KB * T);
  const e = (u: number) => beta * (B * u + K * u * u);
  const shift = Math.max(e(-1), e(1), K < 0 ? e(Math.max(-1, Math.min(1, -B / (2 * K)))) : -Infinity);
  const w = (u: number) => Math.exp(e(u) - shift);
  const opts = { absTol: 0, relTol: 1e-12 };
  // Cut at the interior maximum (K < 0) and geometrically towards ±1, so that the sharp peaks of a
  // low temperature are inside some piece rather than between all the quadrature nodes.
  const peak = K < 0 ? Math.max(-1, Math.min(1, -B / (2 * K))) : 0;
  const cuts = [...new Set([-1, 1, peak, ...Array.from({ length: 40 }, (_, k) => [1 - 2 ** -(k + 1), -1 + 2 ** -(k + 1)]).flat()])].sort((a, b) => a - b);
  let num = 0, den = 0;
  for (let k = 0; k + 1 < cuts.length; k++) {
    num += integrate(u => u * w(u), cuts[k], cuts[k + 1], opts).value;
    den += integrate(w, cuts[k], cuts[k + 1], opts).value;
  }
  const r = num / den;
  if (!Number.isFinite(r)) throw new RangeError(`boltzmannMz: quadrature failed at T = ${T} K (k_BT far below the energy scale); use the T → 0 limit`);
  return r;
}

/** Langevin function L(x) = coth x − 1/x: ⟨cos γ⟩ of a classical spin in a field, or of a dimer with −J m1·m2. */
export function langevin(x: number): number {
  if (Math.abs(x) < 1e-4) return x / 3 - (x ** 3) / 45;
  return 1 / Math.tanh(x) - 1 / x;
}

/**
 * Damped precession of a macrospin in a static field B ẑ (T = 0, no anisotropy), Gilbert form:
 * tan(θ/2) = tan(θ0/2) exp(−α ω t/(1+α²)), φ = φ0 + ω t/(1+α²), ω = B/(ħS).
 */
export function dampedPrecession(m0: Vec3, B: number, S: number, alpha: number, t: number): Vec3 {
  const w = B / (HBAR * S);
  const th0 = Math.acos(Math.max(-1, Math.min(1, m0[2])));
  const ph0 = Math.atan2(m0[1], m0[0]);
  const th = 2 * Math.atan(Math.tan(th0 / 2) * Math.exp(-alpha * w * t / (1 + alpha * alpha)));
  const ph = ph0 + w * t / (1 + alpha * alpha);
  return [Math.sin(th) * Math.cos(ph), Math.sin(th) * Math.sin(ph), Math.cos(th)];
}
