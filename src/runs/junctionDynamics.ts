// From junction couplings to dynamics (beyond seed 000): at every point of a bias (or gate, or ΔT)
// sweep, the exchange fields of the biased junction drive a classical spin dimer in the LLG core.
//
// Sign and unit conversion. The exchange run gives C_mn (meV per unit spin vectors S_n): the field on
// S_m is C_mn S_n. The LLG core works with unit vectors m_n of spin length S, so the field on m_1 is
// S²·C_12 m_2 and on m_2 is S²·C_21 m_1 — its forward / reverse pair tensors (src/kernels/llg/ensemble.ts).
// At equilibrium C_21 = C_12ᵀ and this is the energy E = −S² m_1·C_12·m_2 of DESIGN.md's convention.
// Out of equilibrium C_21 ≠ C_12ᵀ: the non-reciprocal DM-like part κ (B_1 ⊃ κ S_2×ẑ, B_2 ⊃ κ S_1×ẑ)
// has no energy. Each point is therefore run twice in the same dispatch: with the full fields, and with
// their reciprocal part only (𝕁 = (C_12 + C_21ᵀ)/2, what an energy −S² m_1·𝕁·m_2 would give).
import type { Backend } from '../backends/index.ts';
import { llgKernel } from '../kernels/llg/index.ts';
import { LlgProblem, stepsFor, type LlgResult } from '../llg/index.ts';
import { junctionDimerModel, type PairFields } from '../models/junction/dynamics.ts';
import type { Vec3 } from '../numerics/vec3.ts';
import type { JunctionParams } from '../models/junction/index.ts';
import type { GridOptions } from '../kernels/exchange/grid.ts';
import type { SweepAxis } from '../sweeps/params.ts';
import { runExchange, type ExchangePoint, type ExchangeResult } from './exchange.ts';

export interface JunctionDynamicsJob {
  base: JunctionParams;
  axis: SweepAxis;
  method: 'keldysh' | 'closed';
  grid?: GridOptions;
  /** Spin length S, Gilbert damping α, bath temperature (K), local uniaxial anisotropy K (meV) along easyAxis. */
  S: number;
  alpha: number;
  temperature: number;
  anisotropy: number;
  easyAxis: Vec3;
  trajectories: number;
  dt: number;
  time: number;
  averageFrom: number;
  seed: number;
}

export const VARIANTS = ['full', 'reciprocal'] as const;

export interface DimerObservables {
  /** Ensemble means over trajectories of the final m_1·m_2 and angle (degrees), with standard errors. */
  m1m2: number;
  m1m2Err: number;
  angleDeg: number;
  angleErr: number;
  /** Ensemble mean of the time-averaged m_2 (the spin driven by the other). */
  m2: Vec3;
}

export interface JunctionDynamicsPoint {
  coupling: ExchangePoint;
  /** LLG pair tensors (meV, fields on unit vectors): forward S²C_12, reverse S²C_21. */
  forward: Float64Array;
  reverse: Float64Array;
  full: DimerObservables;
  reciprocal: DimerObservables;
}

export interface JunctionDynamicsResult {
  exchange: ExchangeResult;
  llg: Omit<LlgResult, 'stats' | 'trajectoryData' | 'record'>;
  points: JunctionDynamicsPoint[];
}

const E_XY = (a: number) => Float64Array.of(0, a, 0, -a, 0, 0, 0, 0, 0);

/** C_12 and C_21 of a point: the keldysh blocks, or rebuilt from the closed-form couplings. */
export function pairFields(p: ExchangePoint): { c12: Float64Array; c21: Float64Array } {
  if (p.C) return { c12: p.C.slice(9, 18), c21: p.C.slice(18, 27) };
  // closed forms: C_12 = diag(Cxx, Cxx, Czz) + (Dz + κ)E, C_21 = diag(…) + (κ − Dz)E with E^{xy} = −E^{yx} = 1
  const k = p.DzNonreciprocal ?? 0, sym = Float64Array.of(p.Cxx, 0, 0, 0, p.Cxx, 0, 0, 0, p.Czz);
  return { c12: sym.map((x, i) => x + E_XY(p.Dz + k)[i]), c21: sym.map((x, i) => x + E_XY(k - p.Dz)[i]) };
}

function observe(r: LlgResult, first: number, count: number): DimerObservables {
  let s = 0, s2 = 0, a = 0, a2 = 0;
  const m2: Vec3 = [0, 0, 0], { finalM, meanM } = r.trajectoryData!;
  for (let t = first; t < first + count; t++) {
    const o = 6 * t;
    const d = Math.max(-1, Math.min(1, finalM[o] * finalM[o + 3] + finalM[o + 1] * finalM[o + 4] + finalM[o + 2] * finalM[o + 5]));
    const ang = (Math.acos(d) * 180) / Math.PI;
    s += d; s2 += d * d; a += ang; a2 += ang * ang;
    for (let c = 0; c < 3; c++) m2[c] += meanM[o + 3 + c] / count;
  }
  const n = count, err = (sum: number, sq: number) => (n > 1 ? Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2) / (n - 1)) : NaN);
  return { m1m2: s / n, m1m2Err: err(s, s2), angleDeg: a / n, angleErr: err(a, a2), m2 };
}

export async function runJunctionDynamics(backend: Backend, job: JunctionDynamicsJob, progress?: (f: number) => void): Promise<JunctionDynamicsResult> {
  const exchange = await runExchange(backend, { base: job.base, axes: [job.axis], method: job.method, grid: job.grid, convergence: false }, f => progress?.(0.3 * f));
  const T = job.trajectories, S2 = job.S * job.S;
  const tensors = exchange.points.map(pt => {
    const { c12, c21 } = pairFields(pt);
    const full = { forward: c12.map(x => S2 * x), reverse: c21.map(x => S2 * x) };
    const j = c12.map((x, k) => (S2 * (x + c21[3 * (k % 3) + Math.floor(k / 3)])) / 2); // (C12 + C21ᵀ)/2
    return { full, reciprocal: { forward: j, reverse: j.map((_, k) => j[3 * (k % 3) + Math.floor(k / 3)]) } };
  });
  // LLG points: each sweep point twice (full fields, reciprocal part), T trajectories each
  const fields: PairFields[] = tensors.flatMap(t => VARIANTS.map(v => t[v]));
  const problem = LlgProblem.fromModel(junctionDimerModel(job), fields, { trajectoriesPerPoint: T });
  const r = await backend.run(llgKernel, problem, {
    dt: job.dt, steps: stepsFor(job.time, job.dt), averageFrom: job.averageFrom, seed: job.seed, keepTrajectories: true,
    onProgress: f => progress?.(0.3 + 0.7 * f),
  });
  const points = exchange.points.map((coupling, p) => ({
    coupling, forward: tensors[p].full.forward, reverse: tensors[p].full.reverse,
    full: observe(r, (p * 2) * T, T), reciprocal: observe(r, (p * 2 + 1) * T, T),
  }));
  const { stats: _s, trajectoryData: _t, record: _r, ...llg } = r;
  return { exchange, llg, points };
}
