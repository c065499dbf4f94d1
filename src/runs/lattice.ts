// `nanospin lattice`: Langevin sampling of a classical Heisenberg lattice of grain macrospins over a temperature
// sweep (independent replicas per temperature, all in one device run), reduced to m(T), χ(T), U(T), e(T), C(T)
// and the configurational temperature, written as a run directory.
import type { Backend } from '../backends/index.ts';
import { latticeKernel, type LatticeResult } from '../kernels/lattice/index.ts';
import { LatticeProblem, type LatticeSpec } from '../models/lattice/problem.ts';
import { pointStats, MIN_GROUPS, type PointStats } from '../models/lattice/observables.ts';
import { HBAR, KB } from '../numerics/units.ts';
import type { Vec3 } from '../numerics/vec3.ts';
import { lineChart } from '../plots/svg.ts';
import { RunFailure, withRunDir, type OutputTarget } from './output.ts';
import type { RunDir } from '../io/runDir.ts';

export type LatticeKind = 'cubic' | 'square';

export interface LatticeJob {
  lattice: LatticeKind;
  L: number;
  boundary: 'periodic' | 'open';
  /** Exchange per bond for unit spins (meV); the lattice uses J S² (E = −J Σ S_i·S_j, |S_i| = S). */
  J: number;
  S: number;
  /** Anisotropy energy per grain K (meV) and its easy axes. */
  K: number;
  axes: 'random' | Vec3;
  axisSeed: number;
  /** Zeeman energy per grain (meV). */
  field: Vec3;
  alpha: number;
  /** Bath temperatures (K). */
  temperatures: number[];
  /** Independent replicas per temperature. */
  replicas: number;
  /** Time step (ps) and the windows in steps. */
  dt: number;
  equilibrateSteps: number;
  sampleSteps: number;
  sampleEvery: number;
  seed: number;
  init: 'ordered' | 'random';
}

/** The lattice problem of a job (replica r = point · replicas + k). */
export function latticeProblem(job: LatticeJob): LatticeProblem {
  const dims: [number, number, number] = job.lattice === 'cubic' ? [job.L, job.L, job.L] : [job.L, job.L, 1];
  const per = job.boundary === 'periodic';
  const spec: LatticeSpec = {
    geometry: { dims, periodic: [per, per, per && job.lattice === 'cubic'] },
    J: job.J * job.S * job.S,
    anisotropy: job.K !== 0 ? { K: job.K, axes: job.axes, seed: job.axisSeed } : undefined,
    S: job.S, alpha: job.alpha,
    replicas: job.temperatures.flatMap(t => Array.from({ length: job.replicas }, () => ({ temperature: t, field: job.field }))),
    init: job.init === 'random' ? 'random' : [0, 0, 1],
  };
  return LatticeProblem.create(spec);
}

/**
 * Characteristic time τ = 6ħS/h (ps), h = Σ|J_ij| + 2|K| + |B| the largest field on a grain (meV): ħS/(J S²) on the
 * simple-cubic ferromagnet (0.658 ps for J = 1 meV, S = 1).
 */
export function latticeTimeScale(problem: LatticeProblem): number {
  const h = problem.maxFieldScale();
  return h > 0 ? (6 * HBAR * problem.S) / h : NaN;
}

/**
 * Default time step and windows in units of τ: dt = 0.025 τ (h·dt/ħS = 0.15; 0.0165 ps for J = 1 meV, S = 1, which
 * samples a configurational temperature ≈ 3–4 % below the bath near T_c, measured in every run), equilibration
 * 15 τ, sampling 60 τ, one sample every 0.15 τ.
 */
export const DEFAULT_WINDOWS = { dt: 0.025, equilibrate: 15, sample: 60, sampleEvery: 0.15 } as const;

export interface LatticeSweepResult {
  job: LatticeJob;
  problem: LatticeProblem;
  points: PointStats[];
  run: LatticeResult;
  backend: string;
  adapter: string;
  seconds: number;
}

/** Run every replica of every temperature in one kernel run and reduce per temperature. */
export async function runLatticeSweep(backend: Backend, job: LatticeJob, onProgress?: (f: number) => void): Promise<LatticeSweepResult> {
  const problem = latticeProblem(job);
  const t0 = performance.now();
  const run = await backend.run(latticeKernel, problem, {
    dt: job.dt, steps: job.equilibrateSteps + job.sampleSteps, seed: job.seed, sampleEvery: job.sampleEvery, sampleFrom: job.equilibrateSteps,
    keepState: false, onProgress,
  });
  const N = problem.sites;
  const points = job.temperatures.map((t, k) => pointStats(run, N, Array.from({ length: job.replicas }, (_, j) => k * job.replicas + j), t));
  for (const p of points) {
    if (!Number.isFinite(p.magnetization) || !Number.isFinite(p.energy)) throw new RunFailure(`lattice: observables at T = ${p.temperature} K are not finite; lower --dt`);
  }
  return { job, problem, points, run, backend: backend.name, adapter: backend.adapter, seconds: (performance.now() - t0) / 1000 };
}

export const LATTICE_UNITS = {
  temperature: 'K', energy: 'meV per grain', susceptibility: 'meV⁻¹ per grain: N(⟨m²⟩ − ⟨m⟩²)/k_BT', heatCapacity: 'k_B per grain',
  J: 'meV', K: 'meV', field: 'meV (Zeeman energy per grain)', time: 'ps', magnetization: '⟨|M|⟩/N (M = Σ m_i, unit vectors)',
} as const;

/** The error method of a sweep in words. */
export function errorMethod(replicas: number, samples: number): { method: 'replicas' | 'blocking'; text: string } {
  if (replicas >= MIN_GROUPS) return { method: 'replicas', text: `jackknife over ${replicas} independent replicas per temperature` };
  const b = Math.min(samples, Math.ceil(MIN_GROUPS / replicas));
  return { method: 'blocking', text: `jackknife over ${replicas} replica${replicas > 1 ? 's' : ''} × ${b} contiguous blocks per temperature (blocking; valid when a block, ${Math.floor(samples / b)} samples, is much longer than the autocorrelation time)` };
}

const round = (x: number | null, d = 6) => (x === null || !Number.isFinite(x) ? null : Number(x.toPrecision(d)));

/** A point as it appears in the JSON contract. */
export function pointJson(p: PointStats): Record<string, number | null | string> {
  return {
    temperature: p.temperature,
    magnetization: round(p.magnetization), magnetizationStderr: round(p.magnetizationStderr, 3),
    susceptibility: round(p.susceptibility), susceptibilityStderr: round(p.susceptibilityStderr, 3),
    binder: round(p.binder), binderStderr: round(p.binderStderr, 3),
    energy: round(p.energy), energyStderr: round(p.energyStderr, 3),
    heatCapacity: round(p.heatCapacity), heatCapacityStderr: round(p.heatCapacityStderr, 3),
    sampledTemperature: round(p.configurationalTemperature), sampledTemperatureStderr: round(p.configurationalTemperatureStderr, 3),
    replicas: p.replicas, samples: p.samples,
  };
}

/** The time-step bias in one line: the sampled (configurational) over the bath temperature. */
export function biasSummary(points: PointStats[]): { meanRatio: number | null; minRatio: number | null } {
  const r = points.filter(p => p.temperature > 0 && p.configurationalTemperature !== null).map(p => p.configurationalTemperature! / p.temperature);
  if (r.length === 0) return { meanRatio: null, minRatio: null };
  return { meanRatio: round(r.reduce((a, b) => a + b, 0) / r.length, 5), minRatio: round(Math.min(...r), 5) };
}

export function latticeDescription(job: LatticeJob, problem: LatticeProblem): Record<string, unknown> {
  return {
    kind: job.lattice, L: job.L, dims: problem.dims, boundary: job.boundary, sites: problem.sites, coordination: problem.coordination,
    J: job.J, S: job.S, Jeff: job.J * job.S * job.S, K: job.K, axes: job.K !== 0 ? job.axes : null, axisSeed: job.K !== 0 && job.axes === 'random' ? job.axisSeed : null,
    field: job.field, alpha: job.alpha,
    energy: job.S === 1 ? 'E = −J Σ_⟨ij⟩ m_i·m_j − K Σ (m_i·n_i)² − Σ B·m_i (unit vectors, each bond once)' : `E = −J S² Σ_⟨ij⟩ m_i·m_j − K Σ (m_i·n_i)² − Σ B·m_i (classical spins of length S = ${job.S}: E = −J Σ S_i·S_j; K, B per grain)`,
  };
}

export function dynamicsDescription(job: LatticeJob, samples: number): Record<string, unknown> {
  return {
    scheme: 'stochastic Heun (Stratonovich) with renormalisation; Gilbert damping in LL form; noise ⟨b b⟩ = 2αħS k_BT',
    dt: job.dt, equilibrate: { steps: job.equilibrateSteps, ps: job.equilibrateSteps * job.dt },
    sample: { steps: job.sampleSteps, ps: job.sampleSteps * job.dt }, sampleEvery: { steps: job.sampleEvery, ps: job.sampleEvery * job.dt },
    samplesPerReplica: samples, replicasPerTemperature: job.replicas, seed: job.seed, init: job.init,
    noiseCounter: '(global site r·N + i, ⌊step/2⌋, 0, 0), key = seed',
  };
}

/** The JSON summary printed by --json and written as summary.json. */
export function latticeSummary(r: LatticeSweepResult, out?: string): Record<string, unknown> {
  const err = errorMethod(r.job.replicas, r.run.samples);
  return {
    units: LATTICE_UNITS,
    lattice: latticeDescription(r.job, r.problem),
    dynamics: dynamicsDescription(r.job, r.run.samples),
    errors: err.method, errorMethod: err.text,
    timeStepBias: { ...biasSummary(r.points), note: 'sampledTemperature = Σ⟨|m × h|²⟩/(k_B Σ⟨Δ_S E⟩), the configurational temperature the discretised dynamics samples (= temperature for exact Boltzmann sampling); lower --dt to bring it closer' },
    points: r.points.map(pointJson),
    backend: r.backend, adapter: r.adapter, seconds: round(r.seconds, 4), spinStepsPerSecond: round(r.run.spinStepsPerSecond, 4), bytesPerSpin: round(r.run.bytesPerSpin, 4),
    ...(out ? { out } : {}),
  };
}

/** CSV columns of a list of points (optionally with a size column). */
export function pointColumns(points: PointStats[], extra: Record<string, number[]> = {}): Record<string, number[]> {
  const col = (f: (p: PointStats) => number | null) => points.map(p => f(p) ?? NaN);
  return {
    ...extra,
    temperature_K: col(p => p.temperature), sampled_temperature_K: col(p => p.configurationalTemperature), sampled_temperature_stderr_K: col(p => p.configurationalTemperatureStderr),
    magnetization: col(p => p.magnetization), magnetization_stderr: col(p => p.magnetizationStderr),
    susceptibility_per_meV: col(p => p.susceptibility), susceptibility_stderr: col(p => p.susceptibilityStderr),
    binder: col(p => p.binder), binder_stderr: col(p => p.binderStderr),
    energy_meV: col(p => p.energy), energy_stderr_meV: col(p => p.energyStderr),
    heat_capacity_kB: col(p => p.heatCapacity), heat_capacity_stderr_kB: col(p => p.heatCapacityStderr),
    m2: col(p => p.m2), m4: col(p => p.m4), replicas: col(p => p.replicas), samples: col(p => p.samples),
  };
}

/** Per-sample series as .npy: [replica, sample, 6] = M_x, M_y, M_z, E, Σ|m × h|², Σ Δ_S E (float32), when ≤ 64 MiB. */
export function writeSamples(dir: RunDir, name: string, run: LatticeResult): boolean {
  const R = run.replicas, S = run.samples;
  if (S === 0 || 24 * R * S > 64 * 2 ** 20) return false;
  const a = new Float32Array(6 * R * S);
  for (let q = 0; q < R * S; q++) {
    a[6 * q] = run.M[3 * q]; a[6 * q + 1] = run.M[3 * q + 1]; a[6 * q + 2] = run.M[3 * q + 2];
    a[6 * q + 3] = run.E[q]; a[6 * q + 4] = run.gradSq[q]; a[6 * q + 5] = run.laplacian[q];
  }
  dir.writeNpy(name, a, [R, S, 6]);
  return true;
}

/** m, χ and U against temperature for one or more curves (each with its own label). */
export function observableFigures(dir: RunDir, curves: { label: string; points: PointStats[] }[], prefix = ''): { title: string; svgFile: string }[] {
  const figs: { title: string; svgFile: string }[] = [];
  const T = (ps: PointStats[]) => ps.map(p => p.temperature);
  const Ts = (ps: PointStats[]) => ps.map(p => p.configurationalTemperature ?? NaN);
  const chart = (file: string, title: string, yLabel: string, y: (p: PointStats) => number | null, e: (p: PointStats) => number | null, caption: string) => {
    const series = curves.flatMap((c, k) => [
      { name: `${c.label} (bath T)`, x: T(c.points), y: c.points.map(p => y(p) ?? NaN), yErr: c.points.map(p => e(p) ?? NaN), color: PALETTE[k % PALETTE.length] },
      ...(c.points.some(p => p.configurationalTemperature !== null) ? [{ name: `${c.label} (sampled T)`, x: Ts(c.points), y: c.points.map(p => y(p) ?? NaN), color: PALETTE[k % PALETTE.length], dash: '4 3', width: 1.2 }] : []),
    ]);
    dir.writeText(`${prefix}${file}`, lineChart({ title, xLabel: 'temperature (K)', yLabel, series }));
    figs.push({ title: caption, svgFile: `${prefix}${file}` });
  };
  chart('magnetization.svg', 'magnetization per grain ⟨|M|⟩/N', '⟨|M|⟩/N', p => p.magnetization, p => p.magnetizationStderr, 'm(T) = ⟨|M|⟩/N ± stderr against the bath temperature (solid) and the sampled (configurational) temperature (dashed)');
  chart('susceptibility.svg', 'susceptibility χ = N(⟨m²⟩ − ⟨m⟩²)/k_BT', 'χ (meV⁻¹ per grain)', p => p.susceptibility, p => p.susceptibilityStderr, 'χ(T) per grain (meV⁻¹)');
  chart('binder.svg', 'Binder cumulant U = 1 − ⟨m⁴⟩/3⟨m²⟩²', 'U', p => p.binder, p => p.binderStderr, 'Binder cumulant U(T) (4/9 disordered, 2/3 ordered)');
  return figs;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

export async function writeLatticeRun(target: OutputTarget, r: LatticeSweepResult): Promise<string> {
  return withRunDir(target, dir => {
    dir.writeCsv('points.csv', pointColumns(r.points));
    const kept = writeSamples(dir, 'samples.npy', r.run);
    dir.writeNpy('temperatures.npy', Float64Array.from(r.job.temperatures), [r.job.temperatures.length]);
    const figures = observableFigures(dir, [{ label: `L = ${r.job.L}`, points: r.points }]);
    const summary = latticeSummary(r);
    const err = errorMethod(r.job.replicas, r.run.samples);
    const bias = biasSummary(r.points);
    return {
      manifest: {
        params: { lattice: latticeDescription(r.job, r.problem), dynamics: dynamicsDescription(r.job, r.run.samples), temperatures: r.job.temperatures },
        backend: r.backend, adapter: r.adapter, seed: r.job.seed,
        timings: { seconds: r.seconds, spinStepsPerSecond: r.run.spinStepsPerSecond },
        tolerances: {
          float32: 'webgpu state in float32 (twin float64): step-by-step agreement ≤ 1e-5 per component over 40 steps (test/lattice.kernel.test.ts); sums folded in float64',
          timeStep: `Heun at finite dt samples ≈ Boltzmann at the configurational temperature; sampled/bath = ${bias.meanRatio} (mean), ${bias.minRatio} (min)`,
          errors: err.text,
        },
        extra: { samplesFile: kept ? 'samples.npy [replica, sample, (M_x, M_y, M_z, E, Σ|m×h|², ΣΔ_S E)]; replica = temperature index × replicas + k' : 'not written (over 64 MiB)' },
      },
      summary,
      report: {
        title: `nanospin lattice: ${r.job.lattice} L = ${r.job.L}, J = ${r.job.J} meV`,
        summary: {
          lattice: `${r.problem.dims.join('×')} ${r.job.boundary}`, J_meV: r.job.J, S: r.job.S, K_meV: r.job.K, temperatures: r.points.length,
          replicas_per_T: r.job.replicas, samples_per_replica: r.run.samples, dt_ps: r.job.dt, errors: err.method,
          sampled_over_bath_T: bias.meanRatio ?? 'n/a', backend: `${r.backend} (${r.adapter})`, seconds: r.seconds,
        },
        figures,
      },
    };
  });
}

/** Kelvin of an energy in meV. */
export const kelvin = (meV: number) => meV / KB;
