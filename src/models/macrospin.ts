// Classical spin clusters for the LLG core: a macrospin or a small cluster (dimer, …) described by a
// plain JSON-able spec (an LlgPoint), the macrospin reversal model of the demo, and the exact results
// they are validated against.
import { HBAR, KB } from '../numerics/units.ts';
import { integrate } from '../numerics/quadrature.ts';
import { z } from 'zod';
import { MAX_SPINS, type LlgModel, type LlgPoint } from '../llg/model.ts';
import { parseWith } from '../io/schema.ts';
import type { Vec3 } from '../numerics/vec3.ts';

/** A cluster as a user writes it (e.g. `llg --config`): one LLG point (src/llg/model.ts). */
export type ClusterSpec = LlgPoint;

const num = (what: string, lo = -Infinity, hi = Infinity, loOpen = false) => {
  const range = `${loOpen ? '(' : '['}${lo}, ${hi}${hi === Infinity ? ')' : ']'}`;
  return z.number({ error: `must be a finite number in ${range} (${what})` }).refine(x => Number.isFinite(x) && (loOpen ? x > lo : x >= lo) && x <= hi, { error: `must be a finite number in ${range} (${what})` });
};
const vec3 = (what: string) => z.array(num(what), { error: `must be [x, y, z] (${what})` }).length(3, { error: `must be [x, y, z] (${what})` });
const axis = (what: string) => vec3(what).refine(v => Math.hypot(v[0], v[1], v[2]) > 0, { error: `must be a non-zero vector [x, y, z] (${what})` });
const matrix = (n: number, what: string) => z.array(num(what), { error: `must be an array of ${n} numbers (${what})` }).length(n, { error: `must have ${n} entries (${what})` });
const table = z.array(num('meV'), { error: 'must be an array of amplitudes (meV) on the u = cos θ grid' }).min(2, { error: 'needs at least 2 nodes' });

const spinSchema = z.strictObject({
  field: vec3('Zeeman field, meV').optional(),
  anisotropy: num('uniaxial anisotropy K, meV').optional(),
  easyAxis: axis('easy axis').optional(),
  anisotropyTensor: z.array(num('meV')).refine(q => q.length === 6 || q.length === 9, { error: 'must have 9 entries (row-major 3×3) or 6 (xx, yy, zz, xy, xz, yz), meV' }).optional(),
  S: num('spin length S', 0, 1e6, true).optional(),
  alpha: num('Gilbert damping α', 0, 100).optional(),
  pinned: z.boolean({ error: 'must be true or false' }).optional(),
  torqueAxis: axis('spin-torque polarisation axis').optional(),
  fieldLikeTorque: num('field-like torque, meV').optional(),
  dampingLikeTorque: num('damping-like torque, meV').optional(),
  torqueTable: z.strictObject({ fieldLike: table.optional(), dampingLike: table.optional() }).optional(),
  init: axis('initial orientation').optional(),
});

const pairSchema = z.strictObject({
  i: z.number().int({ error: 'must be an integer spin index' }),
  j: z.number().int({ error: 'must be an integer spin index' }),
  J: num('isotropic exchange, meV').optional(),
  D: vec3('DM vector, meV').optional(),
  symmetric: matrix(9, 'symmetric anisotropic exchange, row-major 3×3, meV').optional(),
  tensor: matrix(9, 'forward tensor 𝕁_ij, row-major 3×3, meV').optional(),
  reverse: matrix(9, 'reverse tensor 𝕁_ji (field on spin j from spin i), row-major 3×3, meV').optional(),
});

/** A cluster as JSON: one LLG point (src/llg/model.ts), with every field checked. */
export const clusterSchema = z.strictObject({
  temperature: num('bath temperature, K', 0, 1e5),
  spins: z.array(spinSchema).min(1, { error: 'a cluster needs at least one spin' }).max(MAX_SPINS, { error: `at most ${MAX_SPINS} spins per cluster` }),
  couplings: z.array(pairSchema).optional(),
  damping: z.array(num('damping tensor entry')).optional(),
  noiseCovariance: z.array(num('noise covariance entry, meV²·ps')).optional(),
  driftTemperature: num('k_BT of the drift correction, meV').optional(),
}).superRefine((c, ctx) => {
  const K = c.spins.length, n = 3 * K, tensor = c.damping !== undefined;
  c.spins.forEach((sp, i) => {
    if (!tensor && sp.alpha === undefined) ctx.addIssue({ code: 'custom', path: ['spins', i, 'alpha'], message: 'the Gilbert damping α is required (give 0 explicitly for an undamped spin)', input: undefined });
    if (tensor && sp.alpha !== undefined) ctx.addIssue({ code: 'custom', path: ['spins', i, 'alpha'], message: 'give either per-spin alpha or the damping tensor, not both', input: sp.alpha });
  });
  if (c.spins.every(sp => sp.pinned)) ctx.addIssue({ code: 'custom', path: ['spins'], message: 'every spin is pinned: nothing would move; leave at least one free', input: c.spins.map(sp => !!sp.pinned) });
  const seen = new Set<string>();
  (c.couplings ?? []).forEach((p, k) => {
    if (!(p.i >= 0 && p.i < K - 1)) ctx.addIssue({ code: 'custom', path: ['couplings', k, 'i'], message: `must be a spin index in [0, ${K - 2}] (pairs i < j of ${K} spins)`, input: p.i });
    if (!(p.j > p.i && p.j < K)) ctx.addIssue({ code: 'custom', path: ['couplings', k, 'j'], message: `must be a spin index in [${Math.max(p.i + 1, 1)}, ${K - 1}] (pairs i < j of ${K} spins)`, input: p.j });
    const key = `${p.i},${p.j}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['couplings', k], message: `pair (${key}) given twice; put J, D and symmetric in one entry`, input: key });
    seen.add(key);
    if (p.tensor && (p.J !== undefined || p.D || p.symmetric)) ctx.addIssue({ code: 'custom', path: ['couplings', k, 'tensor'], message: 'give either the full tensor or J, D, symmetric', input: p.tensor });
  });
  if (tensor && c.damping!.length !== n * n) ctx.addIssue({ code: 'custom', path: ['damping'], message: `must have ${n * n} entries (3K×3K row-major for ${K} spins)`, input: `${c.damping!.length} entries` });
  if (c.noiseCovariance !== undefined) {
    if (!tensor) ctx.addIssue({ code: 'custom', path: ['noiseCovariance'], message: 'a noise covariance needs the damping tensor too', input: `${c.noiseCovariance.length} entries` });
    else if (c.noiseCovariance.length !== n * n) ctx.addIssue({ code: 'custom', path: ['noiseCovariance'], message: `must have ${n * n} entries (3K×3K row-major)`, input: `${c.noiseCovariance.length} entries` });
  }
});

/**
 * Validate a cluster spec as a user wrote it (e.g. JSON): unknown keys, wrong types, out-of-range values,
 * duplicate pairs and a damping that is missing are errors naming the field, not silent defaults.
 */
export function validateCluster(spec: unknown, source = 'cluster'): ClusterSpec {
  return parseWith(clusterSchema, spec, source) as ClusterSpec;
}

/** A cluster is already an LLG point: the model validates it as user input and hands it on. */
export const clusterModel: LlgModel<ClusterSpec> = {
  describe: c => validateCluster(c),
};

/** The demo's macrospin: easy axis ẑ, started tilted from +ẑ, reversing field −B ẑ, bath temperature T. */
export interface ReversalSpin {
  /** Uniaxial anisotropy K (meV) along ẑ. */
  anisotropy: number;
  S: number;
  alpha: number;
  /** Initial tilt from +ẑ (rad): lets T = 0 switch above the Stoner–Wohlfarth field 2K. */
  tilt: number;
}

/** E = −K (m·ẑ)² + B m_z at each (B, T) point: the thermal switching-probability map of the demo. */
export function reversalModel(spin: ReversalSpin): LlgModel<{ field: number; temperature: number }> {
  const init: Vec3 = [Math.sin(spin.tilt), 0, Math.cos(spin.tilt)];
  return {
    describe: ({ field, temperature }) => ({
      temperature,
      spins: [{ field: [0, 0, -field], anisotropy: spin.anisotropy, easyAxis: [0, 0, 1], S: spin.S, alpha: spin.alpha, init }],
    }),
  };
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
