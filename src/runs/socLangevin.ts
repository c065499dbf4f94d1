// Mean orientation of the free spin of the biased SOC dimer (spin 1 pinned, Sec. IV of seed 001) at a
// list of (μ_F, V) points: the direct Langevin ensemble (LLG core, tensor damping, correlated noise) and
// the paper's Fokker–Planck approximation P(m) ∝ exp(−E(m)/k_BT_eff) (sphere quadrature), side by side.
// Couplings come from the coupling-map kernel on the same backend. Every (μ_F, V) point is one parameter
// point of a single LLG problem (its couplings, Cholesky factor and drift temperature packed once) with
// `trajectories` trajectories; host memory is O(points), whatever the number of trajectories.
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
}

export function validateLangevinJob(job: SocLangevinJob): number {
  if (!Number.isInteger(job.trajectories) || job.trajectories < 1 || job.trajectories > 2 ** 20) throw new RangeError(`trajectories must be an integer in [1, 1048576], got ${job.trajectories}`);
  if (!job.points.length) throw new RangeError('no bias points: give --sweep V=from:to:count (and optionally muF)');
  if (!job.setup.pinned) throw new RangeError('the Langevin vs Fokker–Planck comparison needs spin 1 pinned (Sec. IV)');
  return stepsFor(job.time, job.dt);
}

export async function runSocLangevin(backend: Backend, job: SocLangevinJob, progress?: (f: number) => void): Promise<SocLangevinResult> {
  const steps = validateLangevinJob(job);
  const pts = job.points.map(q => socDimer({ ...job.model, muF: q.muF, V: q.V }));
  const rule = defaultRule(job.model);
  let t0 = performance.now();
  const raw = await backend.run(socCouplingsKernel, pts, rule);
  const tCouplings = (performance.now() - t0) / 1000;
  const cs: SocCouplings[] = pts.map((_, i) => unpackCouplings(raw, i * COUPLING_STRIDE));

  t0 = performance.now();
  const fine = sphereGrid(64, 256);
  const fp = cs.map(c => {
    const kT = kTeff(c, job.setup.spins), E = pinnedEnergy(c, job.setup.spins, job.setup.m1, job.setup.tHat);
    // no noise at all (T = 0, V = 0): the distribution collapses onto the energy minimum
    if (c.noise[1][1].iso === 0) return minimumDirection(E, fine);
    return Number.isFinite(kT) && kT !== 0 ? adaptiveBoltzmannMean(E, kT) : [NaN, NaN, NaN] as Vec3;
  });
  const tFp = (performance.now() - t0) / 1000;

  const M = job.trajectories;
  const problem = LlgProblem.fromModel(dimerModel(job.setup), cs, { trajectoriesPerPoint: M });
  const r = await backend.run(llgKernel, problem, { dt: job.dt, steps, averageFrom: job.averageFrom, seed: job.seed, onProgress: progress });
  const st = r.stats;
  // non-finite trajectories are left out of the statistics, and counted
  const out: SocLangevinPoint[] = cs.map((c, i) => {
    const m = pointMean(st, 2, i, 1);
    const md = minDampingEigenvalue(c, job.setup);
    return {
      muF: job.points[i].muF, V: job.points[i].V, m: m.mean, stderr: m.stderr, fp: fp[i],
      kTeff: kTeff(c, job.setup.spins), minDamping: md, energyInjection: md < 0, nonFinite: M - st.finite[i],
    };
  });
  const integration = r.seconds, spinSteps = r.trajectories * r.spins * r.steps, adapter = r.adapter;
  progress?.(1);
  return {
    points: out, couplings: raw, backend: backend.name, adapter, steps, systems: pts.length * M,
    seconds: { couplings: tCouplings, langevin: integration, fokkerPlanck: tFp }, spinStepsPerSecond: spinSteps / Math.max(integration, 1e-9),
  };
}
