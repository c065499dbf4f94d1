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
  /** Pair couplings (i < j), energy −m_i·𝕁·m_j with 𝕁 = J + Γ + [D] (see couplingTensor). */
  couplings?: (CouplingSpec & { i: number; j: number })[];
  /** Optional 3K×3K Gilbert damping tensor (row-major); replaces the per-spin alpha. */
  damping?: number[];
  /** Optional 3K×3K noise covariance (meV²·ps); default: fluctuation–dissipation value. */
  noiseCovariance?: number[];
}

/** N identical copies of one cluster (each system draws its own noise). */
export function clusterEnsemble(spec: ClusterSpec, systems: number): LlgEnsemble {
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
  for (const c of spec.couplings ?? []) ens.setCoupling(sys, c.i, c.j, c);
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
  return integrate(u => u * w(u), -1, 1, opts).value / integrate(w, -1, 1, opts).value;
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
