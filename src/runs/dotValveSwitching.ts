// Switching diagram of the quantum-dot spin valve (seed 004, Fig. 2) and its current readout (Fig. 3): for every
// (ε̃, V) point the torque-table kernel gives a_FL, a_DL and the drain current J_D on the table nodes (plus two fixed
// angles for the static readouts of Fig. 3), the drain model (src/models/dotValve/switching.ts) turns them into LLG
// points, and the LLG kernel integrates M trajectories per point from the parallel state, time-averaging the angle θ
// to the source and the current along each trajectory over the window [averageFrom, time].
//
// The diagram is a resumable, shardable sweep (switchingPart, src/sweeps/chunked.ts): points go in chunks of at most
// CHUNK_POINTS (tables in slices of TABLE_SLICE, one LLG problem per chunk), so host memory is bounded by the chunk
// whatever the grid (≈ 0.5 GB at 16384 points of 513 nodes). The noise has one key, the seed, and trajectory t of the
// whole diagram (point ⌊t/M⌋) is keyed by t: a chunk's LLG problem starts at trajectory first·M (trajectoryOffset), so
// a result depends only on the flags (grid, trajectories, seed), never on the chunking, a shard or a resume.
// Every time in this file is in 1/Γ (ħ/Γ), every energy in Γ; the core runs in meV/ps with Γ = 1 meV
// (drainLlgSpin(magnet, 1)), i.e. 1/Γ = HBAR ps.
import type { Backend } from '../backends/index.ts';
import { llgKernel } from '../kernels/llg/index.ts';
import { torqueTableKernel, thetaAngles, uGridAngles, ROW } from '../kernels/dotValve/index.ts';
import { LlgProblem } from '../llg/problem.ts';
import type { ChunkData, SweepPart } from '../sweeps/chunked.ts';
import { spreadSeconds, sumSeconds, sweepRecord, type SweepInfo } from './sweepInfo.ts';
import type { DotValveParams } from '../models/dotValve/params.ts';
import { drainLlgSpin, PAPER_MAGNET, type MagnetParams } from '../models/dotValve/llg.ts';
import { drainModel, type DrainPoint } from '../models/dotValve/switching.ts';
import type { TableGrid } from '../models/dotValve/torqueTable.ts';
import { linspace } from '../sweeps/grid.ts';

/** Most points per chunk (one LLG problem; its packed rows and tables cost ≈ 0.5 GB of host memory at 513 nodes). */
export const CHUNK_POINTS = 16384;
/** Points per torque-table dispatch (its float64 rows, 10 per angle, stay below ~85 MB at 513 nodes). */
export const TABLE_SLICE = 2048;

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
  /** The backend ('webgpu, cpu' for a merge of shards run on both). */
  backend: string;
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
  /** Chunks of the sweep (switchingChunkPoints points each). */
  chunks: number;
  /** Points whose largest torque amplitude gives ω·dt > threshold (see STIFF_OMEGA_DT), the largest ω·dt and where. */
  stiff: { points: number; maxOmegaDt: number; at: [number, number]; threshold: number };
  /** Chunks resumed from an interrupted run and shards merged (absent for library runs). */
  sweep?: { resumedChunks: number; mergedShards: SweepInfo['shards'] };
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

/** The LLG run options of a switching job in the core's units (Γ = 1 meV: 1/Γ = HBAR ps): one noise key, the seed. */
export function llgOptions(job: SwitchingJob, steps: number) {
  const ps = drainLlgSpin(job.magnet, 1).timeUnitPs;
  return { dt: job.dt * ps, steps, averageFrom: job.averageFrom * ps, seed: job.seed, observables: { angle: true, readout: true } };
}

/** Steps inside the averaging window, as the LLG run counts them (validateRunOptions in src/llg/run.ts). */
export function averagedSteps(job: SwitchingJob): number {
  const steps = switchingSteps(job), o = llgOptions(job, steps);
  return steps - Math.min(steps - 1, Math.floor(o.averageFrom / o.dt + 1e-9));
}

/** Trajectories one diagram can number (the noise counter of a trajectory is a u32). */
const MAX_TRAJECTORIES = 0xffffffff;

export function checkSwitchingJob(job: SwitchingJob): void {
  if (!Number.isInteger(job.trajectories) || job.trajectories < 1) throw new RangeError(`--trajectories must be an integer ≥ 1, got ${job.trajectories}`);
  if (!Number.isSafeInteger(job.seed) || job.seed < 0 || job.seed >= 2 ** 32) throw new RangeError(`--seed must be an integer in [0, 2^32), got ${job.seed}`);
  if (job.epsAxis.length < 1 || job.VAxis.length < 1) throw new RangeError('--sweep: the grid needs at least one ε̃ and one V value');
  if (pointCount(job) * job.trajectories > MAX_TRAJECTORIES) throw new RangeError(`--sweep × --trajectories: ${pointCount(job)} points × ${job.trajectories} trajectories is more than the ${MAX_TRAJECTORIES} trajectories one diagram can number`);
  switchingSteps(job);
}

/**
 * Points per chunk: about 1/32 of the grid (the unit of saving and resuming), at least ~8192 trajectories (a device
 * batch worth running), at most 2^19 trajectories and CHUNK_POINTS points (host memory). The numbers do not depend on it.
 */
export function switchingChunkPoints(job: Pick<SwitchingJob, 'epsAxis' | 'VAxis' | 'trajectories'>): number {
  const P = pointCount(job), M = job.trajectories;
  return Math.max(1, Math.min(CHUNK_POINTS, Math.floor(2 ** 19 / M), Math.max(Math.ceil(P / 32), Math.ceil(2 ** 13 / M))));
}

/**
 * ω·dt above which a point counts as stiff: ω = (|a_FL| + |a_DL| + KV)/S at the table's largest amplitude. Next to the
 * Eq. 4 line the amplitudes near θ = π grow like b_S b_D/|B| with |B| → |b_S − b_D| (up to ~40Γ on a 128² grid: ω·dt ≤ 0.43
 * at the paper's dt = 10⁻²/Γ, on 0.1 % of the points). That is a fast precession about p at θ ≈ π, whose phase Heun gets
 * wrong but whose angle it keeps (|m| is renormalised every step); such points are counted and reported, not refused.
 */
export const STIFF_OMEGA_DT = 0.25;

/** ω·dt of a drain point at its table's largest amplitude (see STIFF_OMEGA_DT). */
function omegaDt(job: SwitchingJob, d: DrainPoint): number {
  let a = 0;
  for (let k = 0; k < d.fieldLike.length; k++) a = Math.max(a, Math.abs(d.fieldLike[k]) + Math.abs(d.dampingLike[k]));
  return ((a + Math.abs(job.magnet.KV)) / job.magnet.S) * job.dt;
}

/** The stiff points of the diagram from the per-point ω·dt: how many exceed STIFF_OMEGA_DT, the largest and where (the first such point). */
function stiffness(points: Float64Array, w: Float64Array): SwitchingResult['stiff'] {
  const s = { points: 0, maxOmegaDt: 0, at: [NaN, NaN] as [number, number], threshold: STIFF_OMEGA_DT };
  for (let i = 0; i < w.length; i++) {
    if (w[i] > STIFF_OMEGA_DT) s.points++;
    if (w[i] > s.maxOmegaDt) { s.maxOmegaDt = w[i]; s.at = [points[2 * i], points[2 * i + 1]]; }
  }
  return s;
}

/**
 * Per-point arrays of the diagram: the statistics of SwitchingResult, the static readouts at the fixed angles (I_FL, I_DL,
 * J_D; width = angles), ω·dt of the point's tables (the stiffness summary) and the per-point timing (tables, LLG,
 * integration seconds: spreadSeconds).
 */
export function switchingWidths(job: SwitchingJob): Record<string, number> {
  const nf = job.fixedThetas.length;
  return { thetaMean: 1, thetaStderr: 1, switched: 1, currentMean: 1, currentStderr: 1, finalMz: 1, finite: 1, fixedTauFL: nf, fixedTauDL: nf, fixedCurrent: nf, omegaDt: 1, seconds: 3 };
}

/**
 * The diagram as a sweep part (src/sweeps/chunked.ts): points [first, first + count) are one table run and one LLG
 * problem starting at trajectory first·M, so every chunk draws the noise of the whole diagram.
 */
export function switchingPart(backend: Backend, job: SwitchingJob, key = 'map'): SweepPart {
  checkSwitchingJob(job);
  const M = job.trajectories, steps = switchingSteps(job), nf = job.fixedThetas.length;
  const points = switchingPoints(job), model = drainModel(job.magnet, 1), chunkPoints = switchingChunkPoints(job);
  return {
    key, points: pointCount(job), widths: switchingWidths(job), chunkPoints, cost: M * steps,
    async compute(first, count, progress) {
      const ta = performance.now();
      const { drain, fixed } = await drainPoints(backend, job, points.subarray(2 * first, 2 * (first + count)));
      const tb = performance.now();
      const problem = LlgProblem.fromModel(model, drain, { trajectoriesPerPoint: M, trajectoryOffset: first * M });
      const r = await backend.run(llgKernel, problem, { ...llgOptions(job, steps), dispatchTrajectories: chunkPoints * M, onProgress: progress });
      const tc = performance.now();
      const st = r.stats, f = () => new Float64Array(count), g = () => new Float64Array(count * nf);
      const d: ChunkData = {
        thetaMean: Float64Array.from(st.meanAngle!.subarray(0, count)), thetaStderr: Float64Array.from(st.meanAngleStderr!.subarray(0, count)),
        switched: f(), currentMean: Float64Array.from(st.meanReadout!.subarray(0, count)), currentStderr: Float64Array.from(st.meanReadoutStderr!.subarray(0, count)),
        finalMz: f(), finite: f(), fixedTauFL: g(), fixedTauDL: g(), fixedCurrent: g(),
        omegaDt: Float64Array.from(drain, p => omegaDt(job, p)),
        seconds: spreadSeconds(count, [(tb - ta) / 1000, (tc - tb) / 1000, r.seconds]),
      };
      for (let i = 0; i < count; i++) {
        const n = st.finite[i];
        d.switched[i] = n > 0 ? st.switchedFinal[i] / n : NaN;
        d.finalMz[i] = st.finalM[3 * i + 2];
        d.finite[i] = n;
        for (let a = 0; a < nf; a++) {
          const k = (i * nf + a) * 3;
          d.fixedTauFL[i * nf + a] = fixed[k]; d.fixedTauDL[i * nf + a] = fixed[k + 1]; d.fixedCurrent[i * nf + a] = fixed[k + 2];
        }
      }
      return d;
    },
  };
}

/** The diagram from the whole sweep's per-point arrays (timings summed over every chunk). */
export function switchingFromArrays(job: SwitchingJob, d: ChunkData, info: SweepInfo): SwitchingResult {
  checkSwitchingJob(job);
  const N = pointCount(job), steps = switchingSteps(job), points = switchingPoints(job);
  const [tables, llg, integration] = sumSeconds(d.seconds, 3);
  const spinSteps = N * job.trajectories * steps;
  return {
    job, backend: info.backend, adapter: info.adapter, nPoints: N, points, steps, averagedSteps: averagedSteps(job),
    thetaMean: d.thetaMean, thetaStderr: d.thetaStderr, switched: d.switched, currentMean: d.currentMean, currentStderr: d.currentStderr,
    finalMz: d.finalMz, finite: d.finite, fixed: { tauFL: d.fixedTauFL, tauDL: d.fixedTauDL, current: d.fixedCurrent },
    seconds: { tables, llg, total: info.seconds }, spinSteps, spinStepsPerSecond: spinSteps / Math.max(integration, 1e-9),
    chunks: Math.ceil(N / switchingChunkPoints(job)), stiff: stiffness(points, d.omegaDt), sweep: sweepRecord(info),
  };
}

/** The sweep's chunks one after another into whole arrays (library use; the CLI runs it resumable and shardable). */
export async function runPart(plan: SweepPart, onProgress?: (fraction: number) => void): Promise<ChunkData> {
  const P = plan.points, step = Math.max(1, plan.chunkPoints ?? P);
  const out: ChunkData = Object.fromEntries(Object.entries(plan.widths).map(([k, w]) => [k, new Float64Array(P * w)]));
  for (let first = 0; first < P; first += step) {
    const count = Math.min(step, P - first);
    const d = await plan.compute(first, count, f => onProgress?.((first + f * count) / P));
    for (const [k, w] of Object.entries(plan.widths)) out[k].set(d[k], first * w);
  }
  return out;
}

/** The whole diagram (library use, tests): the plan's chunks in turn, host memory bounded by one chunk. */
export async function runSwitching(backend: Backend, job: SwitchingJob, onProgress?: (fraction: number) => void): Promise<SwitchingResult> {
  const t0 = performance.now();
  const d = await runPart(switchingPart(backend, job), onProgress);
  const { sweep: _, ...r } = switchingFromArrays(job, d, { backend: backend.name, adapter: backend.adapter, seconds: (performance.now() - t0) / 1000, resumedChunks: 0, shards: [] });
  return r;
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
  const run = (s: number) => backend.run(llgKernel, problem, { ...llgOptions(job, s), averageFrom: 0 });
  const r1 = await run(s1), r2 = await run(s2);
  const dt = r2.seconds - r1.seconds, n = problem.trajectories;
  const rate = dt > 0 ? (n * (s2 - s1)) / dt : r2.spinStepsPerSecond;
  return { spinStepsPerSecond: rate, setupSeconds: (performance.now() - t0) / 1000 - r1.seconds - r2.seconds, trajectories: n, steps: s2 };
}

/** Fig. 3 insets: I_FL, I_DL (paper convention) and J_D along V at fixed ε̃, at the given angles: [V][angle]. */
export interface TorqueCut { eps: number; V: Float64Array; thetas: number[]; tauFL: Float64Array; tauDL: Float64Array; current: Float64Array }

/** The torque cut as a sweep part (one chunk; points = V values): I_FL, I_DL, J_D per angle and the seconds. */
export function torqueCutPart(backend: Backend, base: DotValveParams, eps: number, V: Float64Array, thetas: number[], key = 'cut'): SweepPart {
  const nf = thetas.length, angles = thetaAngles(thetas), o = ROW.offsets;
  return {
    key, points: V.length, chunkPoints: V.length, widths: { tauFL: nf, tauDL: nf, current: nf, seconds: 1 }, cost: nf,
    async compute(first, count) {
      const t0 = performance.now(), pts = new Float64Array(2 * count);
      for (let i = 0; i < count; i++) { pts[2 * i] = eps; pts[2 * i + 1] = V[first + i]; }
      const rows = await backend.run(torqueTableKernel, { base, points: pts, angles });
      const pick = (slot: number) => Float64Array.from({ length: count * nf }, (_, k) => rows[k * ROW.stride + slot]);
      return { tauFL: pick(o.tauFL), tauDL: pick(o.tauDL), current: pick(o.current), seconds: spreadSeconds(count, [(performance.now() - t0) / 1000]) };
    },
  };
}

export const torqueCutFromArrays = (eps: number, V: Float64Array, thetas: number[], d: ChunkData): TorqueCut => ({ eps, V, thetas, tauFL: d.tauFL, tauDL: d.tauDL, current: d.current });

/** The torque cut of a diagram's Fig. 3 insets: along ε̃ = −0.3U, over the diagram's V axis (201 values over [−U/2, U/2] for a single V). */
export function switchingCut(job: SwitchingJob): { eps: number; V: Float64Array } {
  const U = job.base.U;
  return { eps: -0.3 * U, V: job.VAxis.length > 1 ? job.VAxis : linspace(-U / 2, U / 2, 201) };
}

/** Fig. 2 inset: times (1/Γ) and θ [trajectory][sample] (rad) of `perPoint` trajectories at each point, trajectories point by point. */
export interface AngleTraces { times: Float64Array; theta: Float64Array; points: [number, number][]; perPoint: number }

/**
 * Fig. 2 inset as a sweep part (one chunk; points = the (ε̃, V) of `at`): θ(t) of `perPoint` trajectories per point with
 * the job's protocol and noise (trajectory offset first·perPoint), ≤ `samples` samples per trajectory.
 */
export function angleTracesPart(backend: Backend, job: SwitchingJob, at: [number, number][], perPoint: number, samples = 2000, key = 'traces'): SweepPart {
  const steps = switchingSteps(job), stride = Math.max(1, Math.ceil(steps / samples)), nS = Math.floor(steps / stride) + 1;
  const ps = drainLlgSpin(job.magnet, 1).timeUnitPs;
  return {
    key, points: at.length, chunkPoints: at.length, widths: { theta: perPoint * nS, times: nS, seconds: 1 }, cost: perPoint * steps,
    async compute(first, count, progress) {
      const t0 = performance.now();
      const { drain } = await drainPoints(backend, job, Float64Array.from(at.slice(first, first + count).flat()));
      const problem = LlgProblem.fromModel(drainModel(job.magnet, 1), drain, { trajectoriesPerPoint: perPoint, trajectoryOffset: first * perPoint });
      const r = await backend.run(llgKernel, problem, { ...llgOptions(job, steps), observables: undefined, record: { systems: problem.trajectories, stride }, dispatchTrajectories: at.length * perPoint, onProgress: progress });
      const rec = r.record!;
      if (rec.times.length !== nS) throw new Error(`angle traces: ${rec.times.length} samples recorded, ${nS} expected`);
      const theta = new Float64Array(problem.trajectories * nS);
      for (let k = 0; k < theta.length; k++) {
        const x = rec.m[3 * k], y = rec.m[3 * k + 1], z = rec.m[3 * k + 2];
        theta[k] = 2 * Math.atan2(Math.hypot(x, y, z - 1), Math.hypot(x, y, z + 1));
      }
      const times = new Float64Array(count * nS);
      for (let q = 0; q < count; q++) for (let k = 0; k < nS; k++) times[q * nS + k] = rec.times[k] / ps;
      return { theta, times, seconds: spreadSeconds(count, [(performance.now() - t0) / 1000]) };
    },
  };
}

export function angleTracesFromArrays(at: [number, number][], perPoint: number, d: ChunkData): AngleTraces {
  const nS = d.times.length / at.length;
  return { times: d.times.subarray(0, nS), theta: d.theta, points: at, perPoint };
}
