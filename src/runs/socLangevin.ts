// Mean orientation of the free spin of the biased SOC dimer (spin 1 pinned, Sec. IV of seed 001) at a
// list of (μ_F, V) points: the direct Langevin ensemble (LLG core, tensor damping, correlated noise) and
// the paper's Fokker–Planck approximation P(m) ∝ exp(−E(m)/k_BT_eff) (sphere quadrature), side by side.
// Couplings come from the coupling-map kernel on the same backend. Every (μ_F, V) point is one parameter
// point of a single LLG problem (its couplings, Cholesky factor and drift temperature packed once) with
// `trajectories` trajectories; host memory is O(points), whatever the number of trajectories.
// As a sweep (socLangevinPlan) the points are computed in resumable, shardable chunks (src/sweeps/chunked.ts):
// a chunk's couplings, Fokker–Planck means and Langevin ensemble are per point, and its LLG problem starts at
// trajectory first·M (trajectoryOffset), so every chunk draws the noise the whole sweep would.
import type { Backend } from '../backends/index.ts';
import { llgKernel } from '../kernels/llg/index.ts';
import { LlgProblem, pointMean, stepsFor } from '../llg/index.ts';
import { socCouplingsKernel } from '../kernels/socCouplings/index.ts';
import { COUPLING_STRIDE, defaultRule, unpackCouplings, type SocCouplings } from '../models/socDimer/couplings.ts';
import { socDimer, type SocDimerParams } from '../models/socDimer/params.ts';
import { dimerModel, minDampingEigenvalue, type DimerSetup } from '../models/socDimer/dynamics.ts';
import { kTeff, pinnedEnergy } from '../models/socDimer/spinModel.ts';
import { adaptiveBoltzmannMean, minimumDirection, sphereGrid } from '../numerics/sphere.ts';
import type { Vec3 } from '../numerics/vec3.ts';
import type { ChunkData, SweepPlan } from '../sweeps/chunked.ts';
import { llgChunkPoints } from '../sweeps/params.ts';
import { spreadSeconds, sumSeconds, sweepRecord, type SweepInfo } from './sweepInfo.ts';

export interface SocLangevinJob {
  /** Electronic model; μ_F and V are overridden per point. */
  model: SocDimerParams;
  setup: DimerSetup;
  points: { muF: number; V: number }[];
  trajectories: number;
  /** Time step, duration and start of the time average (ps). */
  dt: number; time: number; averageFrom: number;
  seed: number;
  /** Map axes the user did not give, added with their defaults ('muF=-6:6:128'). */
  defaultAxes?: string[];
}

export interface SocLangevinPoint {
  muF: number; V: number;
  /** Langevin ensemble mean of the time-averaged free spin, and its standard error over trajectories. */
  m: Vec3; stderr: Vec3;
  /** Fokker–Planck mean (NaN where k_BT_eff is not finite). */
  fp: Vec3;
  /** k_BT_eff = j^(i)/(2α^(i)) (meV, reading-dependent); negative where the damping injects energy. */
  kTeff: number;
  /** Smallest eigenvalue of the free spin's Gilbert tensor; < 0 flags energy injection. */
  minDamping: number;
  energyInjection: boolean;
  /** Trajectories that ended non-finite (excluded from the mean; reported, never silent). */
  nonFinite: number;
}

export interface SocLangevinResult {
  points: SocLangevinPoint[];
  couplings: Float64Array;
  backend: string; adapter: string;
  steps: number; systems: number;
  seconds: { couplings: number; langevin: number; fokkerPlanck: number };
  spinStepsPerSecond: number;
  /** Chunks resumed from an interrupted run and shards merged (absent for library runs). */
  sweep?: { resumedChunks: number; mergedShards: SweepInfo['shards'] };
}

export function validateLangevinJob(job: SocLangevinJob): number {
  if (!Number.isInteger(job.trajectories) || job.trajectories < 1 || job.trajectories > 2 ** 20) throw new RangeError(`trajectories must be an integer in [1, 1048576], got ${job.trajectories}`);
  if (!job.points.length) throw new RangeError('no bias points: give --sweep V=from:to:count (and optionally muF)');
  if (!job.setup.pinned) throw new RangeError('the Langevin vs Fokker–Planck comparison needs spin 1 pinned (Sec. IV)');
  return stepsFor(job.time, job.dt);
}

/**
 * Per-point arrays of the sweep: the Langevin mean and standard error, the Fokker–Planck mean, k_BT_eff, the
 * smallest damping eigenvalue, energy injection (0/1), non-finite trajectories, the 30 couplings of the point,
 * and the per-point timing (couplings, Langevin, Fokker–Planck seconds: spreadSeconds).
 */
export const SOC_LANGEVIN_WIDTHS = { m: 3, stderr: 3, fp: 3, kTeff: 1, minDamping: 1, energyInjection: 1, nonFinite: 1, couplings: COUPLING_STRIDE, seconds: 3 } as const;

/** The sweep: points [first, first + count) are one coupling-kernel call and one LLG problem (trajectory offset first·M). */
export function socLangevinPlan(backend: Backend, job: SocLangevinJob, identity: SweepPlan['identity']): SweepPlan {
  const steps = validateLangevinJob(job), M = job.trajectories, P = job.points.length;
  const rule = defaultRule(job.model);
  const model = dimerModel(job.setup);
  let fine: ReturnType<typeof sphereGrid> | undefined;
  const chunkPoints = llgChunkPoints(P, M);
  return {
    identity, points: P, widths: SOC_LANGEVIN_WIDTHS, chunkPoints,
    async compute(first, count, progress) {
      const here = job.points.slice(first, first + count);
      const pts = here.map(q => socDimer({ ...job.model, muF: q.muF, V: q.V }));
      let t0 = performance.now();
      const raw = await backend.run(socCouplingsKernel, pts, rule);
      const tCouplings = (performance.now() - t0) / 1000;
      const cs: SocCouplings[] = pts.map((_, i) => unpackCouplings(raw, i * COUPLING_STRIDE));

      t0 = performance.now();
      const fp = cs.map(c => {
        const kT = kTeff(c, job.setup.spins), E = pinnedEnergy(c, job.setup.spins, job.setup.m1, job.setup.tHat);
        // no noise at all (T = 0, V = 0): the distribution collapses onto the energy minimum
        if (c.noise[1][1].iso === 0) return minimumDirection(E, fine ??= sphereGrid(64, 256));
        return Number.isFinite(kT) && kT !== 0 ? adaptiveBoltzmannMean(E, kT) : [NaN, NaN, NaN] as Vec3;
      });
      const tFp = (performance.now() - t0) / 1000;

      const problem = LlgProblem.fromModel(model, cs, { trajectoriesPerPoint: M, trajectoryOffset: first * M });
      const r = await backend.run(llgKernel, problem, { dt: job.dt, steps, averageFrom: job.averageFrom, seed: job.seed, dispatchTrajectories: chunkPoints * M, onProgress: progress });
      const st = r.stats;
      const d: ChunkData = {
        m: new Float64Array(3 * count), stderr: new Float64Array(3 * count), fp: new Float64Array(3 * count), kTeff: new Float64Array(count),
        minDamping: new Float64Array(count), energyInjection: new Float64Array(count), nonFinite: new Float64Array(count), couplings: raw,
        seconds: spreadSeconds(count, [tCouplings, r.seconds, tFp]),
      };
      // non-finite trajectories are left out of the statistics, and counted
      cs.forEach((c, i) => {
        const m = pointMean(st, 2, i, 1), md = minDampingEigenvalue(c, job.setup);
        d.m.set(m.mean, 3 * i); d.stderr.set(m.stderr, 3 * i); d.fp.set(fp[i], 3 * i);
        d.kTeff[i] = kTeff(c, job.setup.spins); d.minDamping[i] = md; d.energyInjection[i] = md < 0 ? 1 : 0; d.nonFinite[i] = M - st.finite[i];
      });
      return d;
    },
  };
}

/** The result from the whole sweep's per-point arrays (timings summed over every chunk). */
export function socLangevinFromArrays(job: SocLangevinJob, d: ChunkData, info: SweepInfo): SocLangevinResult {
  const steps = validateLangevinJob(job), M = job.trajectories;
  const v3 = (a: Float64Array, i: number): Vec3 => [a[3 * i], a[3 * i + 1], a[3 * i + 2]];
  const points: SocLangevinPoint[] = job.points.map((q, i) => ({
    muF: q.muF, V: q.V, m: v3(d.m, i), stderr: v3(d.stderr, i), fp: v3(d.fp, i),
    kTeff: d.kTeff[i], minDamping: d.minDamping[i], energyInjection: d.energyInjection[i] === 1, nonFinite: d.nonFinite[i],
  }));
  const [couplings, langevin, fokkerPlanck] = sumSeconds(d.seconds, 3);
  // the dimer's two spins are integrated (LlgResult.spins = 2) for every trajectory and step
  const spinSteps = job.points.length * M * 2 * steps;
  return {
    points, couplings: d.couplings, backend: info.backend, adapter: info.adapter, steps, systems: job.points.length * M,
    seconds: { couplings, langevin, fokkerPlanck }, spinStepsPerSecond: spinSteps / Math.max(langevin, 1e-9),
    sweep: sweepRecord(info),
  };
}

/** The whole sweep in one go (library use and the in-browser explorer; the CLI runs it as a resumable sweep). */
export async function runSocLangevin(backend: Backend, job: SocLangevinJob, progress?: (f: number) => void): Promise<SocLangevinResult> {
  const plan = socLangevinPlan(backend, job, { command: [], version: '' });
  const d = await plan.compute(0, plan.points, progress);
  progress?.(1);
  const { sweep: _, ...r } = socLangevinFromArrays(job, d, { backend: backend.name, adapter: backend.adapter, seconds: 0, resumedChunks: 0, shards: [] });
  return r;
}
