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
import { llgChunkPoints, type SweepAxis } from '../sweeps/params.ts';
import { exchangeFromArrays, exchangePlan, exchangeRangePoints, exchangeUsesDevice, type ExchangeJob, type ExchangePoint, type ExchangeResult } from './exchange.ts';
import { CPU_ADAPTER } from '../backends/index.ts';
import type { ChunkData, SweepPlan } from '../sweeps/chunked.ts';
import { spreadSeconds, sumSeconds, sweepRecord, type SweepInfo } from './sweepInfo.ts';

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
  llg: Pick<LlgResult, 'backend' | 'adapter' | 'steps' | 'dt' | 'seconds' | 'spinStepsPerSecond' | 'trajectories' | 'spins'>;
  points: JunctionDynamicsPoint[];
  /** Chunks resumed and shards merged (a CLI run; absent for library runs). */
  sweep?: { resumedChunks: number; mergedShards: SweepInfo['shards'] };
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

/** The exchange run of the dynamics job (no convergence probe). */
const exchangeJob = (job: JunctionDynamicsJob): ExchangeJob => ({ base: job.base, axes: [job.axis], method: job.method, grid: job.grid, convergence: false });

/** LLG pair tensors of a point (forward, reverse) with the full fields and with their reciprocal part only. */
function tensorsOf(pt: ExchangePoint, S2: number) {
  const { c12, c21 } = pairFields(pt);
  const full = { forward: c12.map(x => S2 * x), reverse: c21.map(x => S2 * x) };
  const j = c12.map((x, k) => (S2 * (x + c21[3 * (k % 3) + Math.floor(k / 3)])) / 2); // (C12 + C21ᵀ)/2
  return { full, reciprocal: { forward: j, reverse: j.map((_, k) => j[3 * (k % 3) + Math.floor(k / 3)]) } };
}

const OBS = 7; // m1m2, m1m2Err, angleDeg, angleErr, m2 (3)
const packObs = (o: DimerObservables) => [o.m1m2, o.m1m2Err, o.angleDeg, o.angleErr, ...o.m2];
const unpackObs = (a: Float64Array, i: number): DimerObservables => ({ m1m2: a[OBS * i], m1m2Err: a[OBS * i + 1], angleDeg: a[OBS * i + 2], angleErr: a[OBS * i + 3], m2: [a[OBS * i + 4], a[OBS * i + 5], a[OBS * i + 6]] });

/**
 * The sweep (resumable, shardable): points [first, first + count) are one exchange run on the sweep's grid and
 * one LLG problem of 2·count points (full fields, reciprocal part) starting at trajectory 2·first·T, so every
 * chunk draws the noise of the uncut sweep. Arrays: the exchange's (prefixed exchange_), the observables of
 * both variants (full, reciprocal: m1m2, its error, angle, its error, m2) and seconds (exchange, LLG).
 */
export function junctionDynamicsPlan(backend: Backend, job: JunctionDynamicsJob, identity: SweepPlan['identity']): SweepPlan {
  const ex = exchangeJob(job), exPlan = exchangePlan(backend, ex, identity), T = job.trajectories, S2 = job.S * job.S, steps = stepsFor(job.time, job.dt);
  const model = junctionDimerModel(job);
  // two LLG points (full fields, reciprocal part) per sweep point, every trajectory kept: ≤ 2^19 per chunk
  const chunkPoints = llgChunkPoints(exPlan.points, 2 * T);
  return {
    identity, points: exPlan.points, chunkPoints,
    widths: { ...Object.fromEntries(Object.entries(exPlan.widths).filter(([k]) => k !== 'seconds').map(([k, w]) => [`exchange_${k}`, w])), full: OBS, reciprocal: OBS, seconds: 2 },
    async compute(first, count, progress) {
      const t0 = performance.now();
      const xd = await exPlan.compute(first, count, f => progress?.(0.3 * f));
      const tEx = (performance.now() - t0) / 1000;
      const tensors = exchangeRangePoints(ex, first, count, xd).map(pt => tensorsOf(pt, S2));
      // LLG points: each sweep point twice (full fields, reciprocal part), T trajectories each
      const fields: PairFields[] = tensors.flatMap(t => VARIANTS.map(v => t[v]));
      const problem = LlgProblem.fromModel(model, fields, { trajectoriesPerPoint: T, trajectoryOffset: 2 * first * T });
      const r = await backend.run(llgKernel, problem, {
        dt: job.dt, steps, averageFrom: job.averageFrom, seed: job.seed, keepTrajectories: true, dispatchTrajectories: 2 * chunkPoints * T,
        onProgress: f => progress?.(0.3 + 0.7 * f),
      });
      const d: ChunkData = { full: new Float64Array(OBS * count), reciprocal: new Float64Array(OBS * count), seconds: spreadSeconds(count, [tEx, r.seconds]) };
      for (const [k, a] of Object.entries(xd)) if (k !== 'seconds') d[`exchange_${k}`] = a;
      for (let p = 0; p < count; p++) { d.full.set(packObs(observe(r, (p * 2) * T, T)), OBS * p); d.reciprocal.set(packObs(observe(r, (p * 2 + 1) * T, T)), OBS * p); }
      return d;
    },
  };
}

/** The result from the whole sweep's arrays. */
export function junctionDynamicsFromArrays(job: JunctionDynamicsJob, d: ChunkData, info: SweepInfo): JunctionDynamicsResult {
  const ex = exchangeJob(job), n = job.axis.values.length, T = job.trajectories, S2 = job.S * job.S, steps = stepsFor(job.time, job.dt);
  const [exSeconds, llgSeconds] = sumSeconds(d.seconds, 2);
  const xd: ChunkData = { seconds: spreadSeconds(n, [exSeconds]) };
  for (const [k, a] of Object.entries(d)) if (k.startsWith('exchange_')) xd[k.slice('exchange_'.length)] = a;
  const exInfo: SweepInfo = { ...info, backend: exchangeUsesDevice(ex) ? info.backend : 'cpu', adapter: exchangeUsesDevice(ex) ? info.adapter : CPU_ADAPTER, checks: {} };
  const { sweep: _, ...exchange } = exchangeFromArrays(ex, xd, exInfo);
  const points = exchange.points.map((coupling, p) => {
    const t = tensorsOf(coupling, S2);
    return { coupling, forward: t.full.forward, reverse: t.full.reverse, full: unpackObs(d.full, p), reciprocal: unpackObs(d.reciprocal, p) };
  });
  // two variants × T trajectories per point, two spins each, every step
  const trajectories = 2 * n * T, spins = 2;
  return {
    exchange, points, sweep: sweepRecord(info),
    llg: { backend: info.backend as LlgResult['backend'], adapter: info.adapter, steps, dt: job.dt, seconds: llgSeconds, spinStepsPerSecond: (trajectories * spins * steps) / Math.max(llgSeconds, 1e-9), trajectories, spins },
  };
}

/** The whole sweep in one go (library use; the CLI runs junctionDynamicsPlan as a resumable sweep). */
export async function runJunctionDynamics(backend: Backend, job: JunctionDynamicsJob, progress?: (f: number) => void): Promise<JunctionDynamicsResult> {
  const plan = junctionDynamicsPlan(backend, job, { command: [], version: '' });
  const d = await plan.compute(0, plan.points, progress);
  const { sweep: _, ...r } = junctionDynamicsFromArrays(job, d, { backend: backend.name, adapter: backend.adapter, seconds: 0, resumedChunks: 0, shards: [] });
  return r;
}
