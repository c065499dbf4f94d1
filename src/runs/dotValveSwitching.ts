// Switching diagram of the quantum-dot spin valve (seed 004, Fig. 2) and its current readout (Fig. 3): for every
// (ε̃, V) point the torque-table kernel gives a_FL, a_DL and the drain current J_D on the table nodes (plus two fixed
// angles for the static readouts of Fig. 3), the drain model (src/models/dotValve/switching.ts) turns them into LLG
// points, and the LLG kernel integrates M trajectories per point from the parallel state, time-averaging the angle θ
// to the source and the current along each trajectory over the window [averageFrom, time].
//
// Points are processed in chunks of CHUNK_POINTS (tables in slices of TABLE_SLICE, LLG problem and its result per chunk),
// so host memory is bounded by the chunk whatever the grid (≈ 0.5 GB at 513 nodes). The noise of chunk c is keyed by seed + c·2^32 (Philox key: low word the
// seed, high word the chunk): chunks are independent, and a result depends only on the flags (grid, trajectories,
// seed), never on the machine. Every time in this file is in 1/Γ (ħ/Γ), every energy in Γ; the core runs in meV/ps with
// Γ = 1 meV (drainLlgSpin(magnet, 1)), i.e. 1/Γ = HBAR ps.
import type { Backend } from '../backends/index.ts';
import { llgKernel } from '../kernels/llg/index.ts';
import { torqueTableKernel, thetaAngles, uGridAngles, ROW } from '../kernels/dotValve/index.ts';
import { LlgProblem } from '../llg/problem.ts';
import type { LlgResult } from '../llg/run.ts';
import type { DotValveParams } from '../models/dotValve/params.ts';
import { drainLlgSpin, PAPER_MAGNET, type MagnetParams } from '../models/dotValve/llg.ts';
import { drainModel, type DrainPoint } from '../models/dotValve/switching.ts';
import type { TableGrid } from '../models/dotValve/torqueTable.ts';

/** Points per chunk (one LLG problem: 2.6·10⁵ trajectories at 16 per point, enough to fill a large GPU); part of the noise keying, so a constant. */
export const CHUNK_POINTS = 16384;
/** Points per torque-table dispatch (its float64 rows, 10 per angle, stay below ~85 MB at 513 nodes). */
export const TABLE_SLICE = 2048;
/** Chunks a run may have (the Philox key's high word, seed < 2^32: seed + chunk·2^32 < 2^53). */
export const MAX_CHUNKS = 2 ** 21;

/** The paper's Fig. 2 protocol, and this command's default grid (the paper states neither range nor resolution): ε̃, V ∈ [−U/2, U/2]. */
export const SWITCHING_DEFAULTS = {
  resolution: 256,
  trajectories: 16,
  dt: PAPER_MAGNET.dt,
  time: PAPER_MAGNET.duration,
  averageFrom: PAPER_MAGNET.averageFrom,
  tableNodes: 513,
  tableGrid: 'zeta' as TableGrid,
  seed: 1,
  /** Fig. 3's nearly parallel and nearly antiparallel static readouts. */
  fixedThetas: [0.01 * Math.PI, 0.99 * Math.PI],
};

export interface SwitchingJob {
  /** Transport parameters (ε̃, V come from the axes). */
  base: DotValveParams;
  /** ε̃ axis (horizontal, fastest) and V axis (vertical, slowest): point iV·nEps + iEps. */
  epsAxis: Float64Array;
  VAxis: Float64Array;
  magnet: MagnetParams;
  trajectories: number;
  /** Step, duration and start of the averaging window, 1/Γ. */
  dt: number;
  time: number;
  averageFrom: number;
  tableNodes: number;
  tableGrid: TableGrid;
  seed: number;
  /** Angles (rad) of the static current/torque readouts (Fig. 3: 0.01π, 0.99π). */
  fixedThetas: number[];
}

export interface SwitchingResult {
  job: SwitchingJob;
  backend: 'webgpu' | 'cpu';
  adapter: string;
  nPoints: number;
  /** (ε̃, V) pairs. */
  points: Float64Array;
  steps: number;
  averagedSteps: number;
  /** Per point: mean over trajectories of the time-averaged θ (rad) and its standard error. */
  thetaMean: Float64Array;
  thetaStderr: Float64Array;
  /** Fraction of the point's finite trajectories whose final state is antiparallel (m_z < −1e-5: the core's switched flag). */
  switched: Float64Array;
  /** Mean over trajectories of the time-averaged drain current J_D (Γ, the "dynamic" readout of Fig. 3) and its standard error. */
  currentMean: Float64Array;
  currentStderr: Float64Array;
  /** Mean over trajectories of the final m_z (+1 parallel, −1 antiparallel). */
  finalMz: Float64Array;
  /** Trajectories with finite observables per point. */
  finite: Float64Array;
  /** Static readouts at job.fixedThetas: [point][angle] of I_FL, I_DL, J_D (paper convention). */
  fixed: { tauFL: Float64Array; tauDL: Float64Array; current: Float64Array };
  seconds: { tables: number; llg: number; total: number };
  spinSteps: number;
  /** LLG integration throughput (spin-steps per second of integration wall time, setup excluded). */
  spinStepsPerSecond: number;
  chunks: number;
  /** Points whose largest torque amplitude gives ω·dt > threshold (see STIFF_OMEGA_DT), the largest ω·dt and where. */
  stiff: { points: number; maxOmegaDt: number; at: [number, number]; threshold: number };
}

export function pointCount(job: Pick<SwitchingJob, 'epsAxis' | 'VAxis'>): number { return job.epsAxis.length * job.VAxis.length; }

/** Steps of the run (the duration must be a whole number of steps). */
export function switchingSteps(job: Pick<SwitchingJob, 'dt' | 'time' | 'averageFrom'>): number {
  const steps = Math.round(job.time / job.dt);
  if (!(steps >= 1) || Math.abs(steps * job.dt - job.time) > 1e-9 * job.time) throw new RangeError(`--time (${job.time}/Γ) must be a whole number ≥ 1 of --dt steps (${job.dt}/Γ)`);
  if (!(job.averageFrom >= 0 && job.averageFrom < job.time)) throw new RangeError(`--average-from must be in [0, --time = ${job.time}) (1/Γ), got ${job.averageFrom}`);
  return steps;
}

/** (ε̃, V) of every point, V slowest. */
export function switchingPoints(job: Pick<SwitchingJob, 'epsAxis' | 'VAxis'>): Float64Array {
  const nE = job.epsAxis.length, n = pointCount(job), out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) { out[2 * i] = job.epsAxis[i % nE]; out[2 * i + 1] = job.VAxis[Math.floor(i / nE)]; }
  return out;
}

/** The drain points of `pts`: tables from the torque-table kernel (nodes, then the fixed angles), TABLE_SLICE points per dispatch. */
export async function drainPoints(backend: Backend, job: SwitchingJob, pts: Float64Array): Promise<{ drain: DrainPoint[]; fixed: Float64Array }> {
  const n = job.tableNodes, nf = job.fixedThetas.length, nP = pts.length / 2;
  const nodes = uGridAngles(n, job.tableGrid), extra = thetaAngles(job.fixedThetas);
  const angles = new Float64Array(nodes.length + extra.length);
  angles.set(nodes); angles.set(extra, nodes.length);
  const nA = n + nf, o = ROW.offsets, S = ROW.stride, drain: DrainPoint[] = [], fixed = new Float64Array(nP * nf * 3);
  for (let s0 = 0; s0 < nP; s0 += TABLE_SLICE) {
    const s1 = Math.min(nP, s0 + TABLE_SLICE);
    const rows = await backend.run(torqueTableKernel, { base: job.base, points: pts.subarray(2 * s0, 2 * s1), angles });
    for (let i = s0; i < s1; i++) {
      const fieldLike = new Float64Array(n), dampingLike = new Float64Array(n), current = new Float64Array(n), l = i - s0;
      for (let k = 0; k < n; k++) {
        const at = (l * nA + k) * S;
        fieldLike[k] = rows[at + o.tauFL];
        dampingLike[k] = -rows[at + o.tauDL];
        current[k] = rows[at + o.current];
      }
      for (let a = 0; a < nf; a++) {
        const at = (l * nA + n + a) * S, f = (i * nf + a) * 3;
        fixed[f] = rows[at + o.tauFL]; fixed[f + 1] = rows[at + o.tauDL]; fixed[f + 2] = rows[at + o.current];
      }
      drain.push({ eps: pts[2 * i], V: pts[2 * i + 1], grid: job.tableGrid, fieldLike, dampingLike, current });
    }
  }
  return { drain, fixed };
}

/** The LLG run options of a switching job in the core's units (Γ = 1 meV: 1/Γ = HBAR ps). */
export function llgOptions(job: SwitchingJob, chunk: number, steps: number) {
  const ps = drainLlgSpin(job.magnet, 1).timeUnitPs;
  return { dt: job.dt * ps, steps, averageFrom: job.averageFrom * ps, seed: job.seed + chunk * 2 ** 32, observables: { angle: true, readout: true } };
}

export function checkSwitchingJob(job: SwitchingJob): void {
  if (!Number.isInteger(job.trajectories) || job.trajectories < 1) throw new RangeError(`--trajectories must be an integer ≥ 1, got ${job.trajectories}`);
  if (!Number.isSafeInteger(job.seed) || job.seed < 0 || job.seed >= 2 ** 32) throw new RangeError(`--seed must be an integer in [0, 2^32), got ${job.seed}`);
  if (job.epsAxis.length < 1 || job.VAxis.length < 1) throw new RangeError('--sweep: the grid needs at least one ε̃ and one V value');
  if (Math.ceil(pointCount(job) / CHUNK_POINTS) > MAX_CHUNKS) throw new RangeError(`--sweep: ${pointCount(job)} points are more than ${MAX_CHUNKS * CHUNK_POINTS} (${MAX_CHUNKS} chunks of ${CHUNK_POINTS})`);
  switchingSteps(job);
}

/**
 * ω·dt above which a point counts as stiff: ω = (|a_FL| + |a_DL| + KV)/S at the table's largest amplitude. Next to the
 * Eq. 4 line the amplitudes near θ = π grow like b_S b_D/|B| with |B| → |b_S − b_D| (up to ~40Γ on a 128² grid: ω·dt ≤ 0.43
 * at the paper's dt = 10⁻²/Γ, on 0.1 % of the points). That is a fast precession about p at θ ≈ π, whose phase Heun gets
 * wrong but whose angle it keeps (|m| is renormalised every step); such points are counted and reported, not refused.
 */
export const STIFF_OMEGA_DT = 0.25;

/** Largest ω·dt of the chunk's points and how many exceed STIFF_OMEGA_DT. */
function stiffness(job: SwitchingJob, drain: DrainPoint[]): { max: number; at: [number, number]; stiff: number } {
  let max = 0, at: [number, number] = [NaN, NaN], stiff = 0;
  for (const d of drain) {
    let a = 0;
    for (let k = 0; k < d.fieldLike.length; k++) a = Math.max(a, Math.abs(d.fieldLike[k]) + Math.abs(d.dampingLike[k]));
    const w = ((a + Math.abs(job.magnet.KV)) / job.magnet.S) * job.dt;
    if (w > STIFF_OMEGA_DT) stiff++;
    if (w > max) { max = w; at = [d.eps, d.V]; }
  }
  return { max, at, stiff };
}

export async function runSwitching(backend: Backend, job: SwitchingJob, onProgress?: (fraction: number) => void): Promise<SwitchingResult> {
  checkSwitchingJob(job);
  const N = pointCount(job), M = job.trajectories, steps = switchingSteps(job), nf = job.fixedThetas.length;
  const points = switchingPoints(job), model = drainModel(job.magnet, 1);
  const out = {
    thetaMean: new Float64Array(N), thetaStderr: new Float64Array(N), switched: new Float64Array(N), currentMean: new Float64Array(N),
    currentStderr: new Float64Array(N), finalMz: new Float64Array(N), finite: new Float64Array(N),
  };
  const fixed = { tauFL: new Float64Array(N * nf), tauDL: new Float64Array(N * nf), current: new Float64Array(N * nf) };
  const chunks = Math.ceil(N / CHUNK_POINTS);
  const t0 = performance.now();
  let tTables = 0, tLlg = 0, averagedSteps = 0, integration = 0;
  const stiff = { points: 0, maxOmegaDt: 0, at: [NaN, NaN] as [number, number], threshold: STIFF_OMEGA_DT };
  for (let c = 0; c < chunks; c++) {
    const p0 = c * CHUNK_POINTS, p1 = Math.min(N, p0 + CHUNK_POINTS), share = (p1 - p0) / N;
    const ta = performance.now();
    const { drain, fixed: fx } = await drainPoints(backend, job, points.subarray(2 * p0, 2 * p1));
    for (let i = 0; i < p1 - p0; i++) for (let a = 0; a < nf; a++) {
      const f = (i * nf + a) * 3, g = (p0 + i) * nf + a;
      fixed.tauFL[g] = fx[f]; fixed.tauDL[g] = fx[f + 1]; fixed.current[g] = fx[f + 2];
    }
    const sf = stiffness(job, drain);
    stiff.points += sf.stiff;
    if (sf.max > stiff.maxOmegaDt) { stiff.maxOmegaDt = sf.max; stiff.at = sf.at; }
    const tb = performance.now();
    tTables += (tb - ta) / 1000;
    const problem = LlgProblem.fromModel(model, drain, { trajectoriesPerPoint: M });
    const r: LlgResult = await backend.run(llgKernel, problem, { ...llgOptions(job, c, steps), onProgress: f => onProgress?.(p0 / N + share * f) });
    tLlg += (performance.now() - tb) / 1000;
    integration += r.seconds;
    averagedSteps = r.averagedSteps;
    const st = r.stats;
    for (let i = 0; i < p1 - p0; i++) {
      const q = p0 + i, n = st.finite[i];
      out.thetaMean[q] = st.meanAngle![i];
      out.thetaStderr[q] = st.meanAngleStderr![i];
      out.currentMean[q] = st.meanReadout![i];
      out.currentStderr[q] = st.meanReadoutStderr![i];
      out.switched[q] = n > 0 ? st.switchedFinal[i] / n : NaN;
      out.finalMz[q] = st.finalM[3 * i + 2];
      out.finite[q] = n;
    }
  }
  const spinSteps = N * M * steps;
  return {
    job, backend: backend.name, adapter: backend.adapter, nPoints: N, points, steps, averagedSteps, ...out, fixed,
    seconds: { tables: tTables, llg: tLlg, total: (performance.now() - t0) / 1000 }, spinSteps, spinStepsPerSecond: spinSteps / Math.max(integration, 1e-9), chunks, stiff,
  };
}

/**
 * Measured LLG throughput of this job on this backend: two short runs (`steps`/4 and `steps` steps) of the first points'
 * trajectories (at most one chunk, about `trajectories` of them where the grid has them), the same kernel features as the run;
 * the rate is the slope (extra spin-steps over extra integration seconds), so fixed per-run costs (first-dispatch
 * compilation, readback) do not count. Returns spin-steps per second of integration and the setup seconds.
 */
export async function calibrateSwitching(backend: Backend, job: SwitchingJob, steps = 2000, trajectories = 16384): Promise<{ spinStepsPerSecond: number; setupSeconds: number; trajectories: number; steps: number }> {
  const t0 = performance.now();
  const nPts = Math.min(pointCount(job), CHUNK_POINTS, Math.max(1, Math.ceil(trajectories / job.trajectories)));
  const { drain } = await drainPoints(backend, job, switchingPoints(job).subarray(0, 2 * nPts));
  const problem = LlgProblem.fromModel(drainModel(job.magnet, 1), drain, { trajectoriesPerPoint: job.trajectories });
  const s2 = Math.max(4, Math.min(steps, switchingSteps(job))), s1 = Math.max(1, Math.floor(s2 / 4));
  const run = (s: number) => backend.run(llgKernel, problem, { ...llgOptions(job, 0, s), averageFrom: 0 });
  const r1 = await run(s1), r2 = await run(s2);
  const dt = r2.seconds - r1.seconds, n = problem.trajectories;
  const rate = dt > 0 ? (n * (s2 - s1)) / dt : r2.spinStepsPerSecond;
  return { spinStepsPerSecond: rate, setupSeconds: (performance.now() - t0) / 1000 - r1.seconds - r2.seconds, trajectories: n, steps: s2 };
}

/** Fig. 3 insets: I_FL, I_DL (paper convention) along V at fixed ε̃, at the given angles: [V][angle]. */
export async function torqueCut(backend: Backend, base: DotValveParams, eps: number, V: Float64Array, thetas: number[]): Promise<{ eps: number; V: Float64Array; thetas: number[]; tauFL: Float64Array; tauDL: Float64Array; current: Float64Array }> {
  const pts = new Float64Array(2 * V.length);
  V.forEach((v, i) => { pts[2 * i] = eps; pts[2 * i + 1] = v; });
  const rows = await backend.run(torqueTableKernel, { base, points: pts, angles: thetaAngles(thetas) });
  const n = V.length * thetas.length, o = ROW.offsets;
  const pick = (slot: number) => Float64Array.from({ length: n }, (_, k) => rows[k * ROW.stride + slot]);
  return { eps, V, thetas, tauFL: pick(o.tauFL), tauDL: pick(o.tauDL), current: pick(o.current) };
}

/**
 * Fig. 2 inset: θ(t) of `perPoint` trajectories at each (ε̃, V) in `at` (the job's protocol and noise keying, ≤ `samples`
 * samples per trajectory). Returns times (1/Γ) and θ [trajectory][sample] (rad), trajectories point by point.
 */
export async function angleTraces(backend: Backend, job: SwitchingJob, at: [number, number][], perPoint: number, samples = 2000): Promise<{ times: Float64Array; theta: Float64Array; points: [number, number][]; perPoint: number }> {
  const steps = switchingSteps(job), stride = Math.max(1, Math.ceil(steps / samples));
  const pts = Float64Array.from(at.flat());
  const { drain } = await drainPoints(backend, job, pts);
  const problem = LlgProblem.fromModel(drainModel(job.magnet, 1), drain, { trajectoriesPerPoint: perPoint });
  const r = await backend.run(llgKernel, problem, { ...llgOptions(job, 0, steps), observables: undefined, record: { systems: problem.trajectories, stride } });
  const rec = r.record!, nS = rec.times.length, ps = drainLlgSpin(job.magnet, 1).timeUnitPs;
  const theta = new Float64Array(problem.trajectories * nS);
  for (let k = 0; k < theta.length; k++) {
    const x = rec.m[3 * k], y = rec.m[3 * k + 1], z = rec.m[3 * k + 2];
    theta[k] = 2 * Math.atan2(Math.hypot(x, y, z - 1), Math.hypot(x, y, z + 1));
  }
  return { times: Float64Array.from(rec.times, t => t / ps), theta, points: at, perPoint };
}
