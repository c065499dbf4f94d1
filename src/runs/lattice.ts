// `nanospin lattice`: Langevin sampling of a classical Heisenberg lattice of grain macrospins over a temperature
// sweep (independent replicas per temperature), reduced to m(T), χ(T), U(T), e(T), C(T) and the configurational
// temperature, written as a run directory.
// As a sweep (latticePlan) the temperatures are computed in resumable, shardable chunks (src/sweeps/chunked.ts):
// a chunk of temperatures [first, first + count) is one kernel run of their replicas, whose replica offset
// first·R keys the noise and the random start with the replicas' indices in the whole sweep, so every chunk
// draws what the run of the whole sweep draws. A chunk keeps per temperature the jackknife group sums
// (statsFromGroups rebuilds every statistic from them bit for bit), the sample series when samples.npy is
// written, and its seconds.
import type { Backend } from '../backends/index.ts';
import { latticeKernel } from '../kernels/lattice/index.ts';
import { twinBytes } from '../kernels/lattice/cpu.ts';
import { bytesPerGrain } from '../kernels/lattice/run.ts';
import { deviceBytes } from '../kernels/lattice/webgpu.ts';
import { LatticeProblem, type LatticeSpec } from '../models/lattice/problem.ts';
import { groupLayout, groupSums, statsFromGroups, GROUP_SUMS, MIN_GROUPS, type PointStats } from '../models/lattice/observables.ts';
import { HBAR, KB } from '../numerics/units.ts';
import type { Vec3 } from '../numerics/vec3.ts';
import { lineChart } from '../plots/svg.ts';
import type { ChunkData, SweepPart, SweepPlan } from '../sweeps/chunked.ts';
import { RunFailure, withRunDir, type OutputTarget } from './output.ts';
import { spreadSeconds, sumSeconds, sweepExtra, sweepRecord, type SweepInfo } from './sweepInfo.ts';
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

/**
 * The lattice problem of a job (replica r = point · replicas + k), or of its temperatures [first, first + count):
 * replica offset first · replicas, and the noise drawn whenever the whole sweep draws it, so the chunk's replicas
 * are those of the whole problem bit for bit.
 */
export function latticeProblem(job: LatticeJob, range?: { first: number; count: number }): LatticeProblem {
  const dims: [number, number, number] = job.lattice === 'cubic' ? [job.L, job.L, job.L] : [job.L, job.L, 1];
  const per = job.boundary === 'periodic';
  const temps = range ? job.temperatures.slice(range.first, range.first + range.count) : job.temperatures;
  const spec: LatticeSpec = {
    geometry: { dims, periodic: [per, per, per && job.lattice === 'cubic'] },
    J: job.J * job.S * job.S,
    anisotropy: job.K !== 0 ? { K: job.K, axes: job.axes, seed: job.axisSeed } : undefined,
    S: job.S, alpha: job.alpha,
    replicas: temps.flatMap(t => Array.from({ length: job.replicas }, () => ({ temperature: t, field: job.field }))),
    init: job.init === 'random' ? 'random' : [0, 0, 1],
    ...(range ? { replicaOffset: range.first * job.replicas, thermal: job.temperatures.some(t => t > 0) } : {}),
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

/** What the writer keeps of the kernel runs of a sweep (every temperature's replicas). */
export interface LatticeRunRecord {
  /** Samples per replica; replicas of the whole sweep (temperatures × replicas per temperature). */
  samples: number;
  replicas: number;
  /** N · replicas · steps over the seconds in the step loops of every chunk. */
  spinStepsPerSecond: number;
  /** Memory per grain of the whole sweep as one run on its backend. */
  bytesPerSpin: number;
  /** [replica][sample][(M_x, M_y, M_z, E, Σ|m×h|², ΣΔ_S E)] of the whole sweep when samples.npy is written (keepsSeries), else null. */
  series: Float64Array | null;
}

export interface LatticeSweepResult {
  job: LatticeJob;
  /** The lattice (one temperature's replicas: geometry, bonds and axes for the description). */
  problem: LatticeProblem;
  points: PointStats[];
  run: LatticeRunRecord;
  backend: string;
  adapter: string;
  /** Seconds of every chunk's kernel run and reduction. */
  seconds: number;
  /** Chunks resumed from an interrupted run and shards merged. */
  sweep?: { resumedChunks: number; mergedShards: SweepInfo['shards'] };
}

/** Samples per replica of a job (the kernel's count: one every sampleEvery steps after equilibrating). */
export const latticeSamples = (job: LatticeJob) => Math.floor(job.sampleSteps / job.sampleEvery);
const latticeSites = (job: LatticeJob) => (job.lattice === 'cubic' ? job.L ** 3 : job.L ** 2);

/** samples.npy (float32 [replica, sample, 6]) is written when it holds at most 64 MiB. */
export function keepsSeries(job: LatticeJob): boolean {
  const S = latticeSamples(job);
  return S > 0 && 24 * job.replicas * job.temperatures.length * S <= 64 * 2 ** 20;
}

/** Grains per chunk: at least MIN (or the whole sweep), so a GPU gets enough sites per dispatch; at most MAX (memory). */
export const CHUNK_GRAINS = { min: 2 ** 12, max: 2 ** 24 } as const;

/** Temperatures per chunk: about 1/32 of the sweep, within CHUNK_GRAINS (never below one temperature). */
export function latticeChunkPoints(job: LatticeJob): number {
  const T = job.temperatures.length, g = latticeSites(job) * job.replicas;
  const c = Math.min(Math.max(Math.ceil(T / 32), Math.floor(CHUNK_GRAINS.min / g)), Math.floor(CHUNK_GRAINS.max / g));
  return Math.max(1, Math.min(T, c));
}

/** Host bytes of a run: one chunk's state and series (and the twin's arrays on the cpu backend), and what the sweep keeps per temperature. */
export function latticeHostBytes(job: LatticeJob, cpu: boolean): number {
  const S = latticeSamples(job), chunk = latticeChunkPoints(job) * job.replicas, grains = chunk * latticeSites(job);
  const widths = latticeWidths(job), perPoint = 8 * Object.values(widths).reduce((a, b) => a + b, 0);
  return 48 * chunk * S + 40 * grains + (cpu ? 120 * grains : 0) + 2 * perPoint * job.temperatures.length;
}

/** Per-temperature arrays of a sweep: the group sums and counts, the series (keepsSeries), seconds (wall, step loop). */
export function latticeWidths(job: LatticeJob): Record<string, number> {
  const S = latticeSamples(job), { groups } = groupLayout(job.replicas, S);
  return { groups: (GROUP_SUMS + 1) * groups, ...(keepsSeries(job) ? { series: 6 * job.replicas * S } : {}), seconds: 2 };
}

/** The sweep over the job's temperatures as a part of a sweep (a plan with the identity, or a named part). */
export function latticePart(backend: Backend, job: LatticeJob): Omit<SweepPart, 'key'> {
  const N = latticeSites(job), R = job.replicas, S = latticeSamples(job), { groups: G } = groupLayout(R, S);
  const widths = latticeWidths(job), Wg = widths.groups, keep = 'series' in widths;
  return {
    points: job.temperatures.length, widths, chunkPoints: latticeChunkPoints(job), cost: N * R * (job.equilibrateSteps + job.sampleSteps),
    async compute(first, count, progress) {
      const t0 = performance.now();
      const problem = latticeProblem(job, { first, count });
      const run = await backend.run(latticeKernel, problem, {
        dt: job.dt, steps: job.equilibrateSteps + job.sampleSteps, seed: job.seed, sampleEvery: job.sampleEvery, sampleFrom: job.equilibrateSteps,
        keepState: false, onProgress: progress,
      });
      const d: ChunkData = { groups: new Float64Array(count * Wg) };
      for (let k = 0; k < count; k++) {
        const { sums, counts } = groupSums(run, N, Array.from({ length: R }, (_, j) => k * R + j));
        d.groups.set(sums, k * Wg); d.groups.set(counts, k * Wg + GROUP_SUMS * G);
        const p = statsFromGroups(sums, counts, { N, temperature: job.temperatures[first + k], replicas: R, samples: S, conf: true });
        if (!Number.isFinite(p.magnetization) || !Number.isFinite(p.energy)) throw new RunFailure(`lattice: observables at T = ${p.temperature} K are not finite; lower --dt`);
      }
      if (keep) {
        const a = d.series = new Float64Array(6 * count * R * S);
        for (let q = 0; q < count * R * S; q++) {
          a[6 * q] = run.M[3 * q]; a[6 * q + 1] = run.M[3 * q + 1]; a[6 * q + 2] = run.M[3 * q + 2];
          a[6 * q + 3] = run.E[q]; a[6 * q + 4] = run.gradSq[q]; a[6 * q + 5] = run.laplacian[q];
        }
      }
      d.seconds = spreadSeconds(count, [(performance.now() - t0) / 1000, run.stepSeconds]);
      return d;
    },
  };
}

/** `nanospin lattice` as a resumable, shardable sweep over its temperatures. */
export function latticePlan(backend: Backend, job: LatticeJob, identity: SweepPlan['identity']): SweepPlan {
  const { cost: _, ...part } = latticePart(backend, job);
  return { identity, ...part };
}

/** The sweep's result from its per-temperature arrays (the run's own, or merged shards'). */
export function latticeFromArrays(job: LatticeJob, d: ChunkData, info: SweepInfo): LatticeSweepResult {
  const N = latticeSites(job), R = job.replicas, S = latticeSamples(job), T = job.temperatures.length, { groups: G } = groupLayout(R, S);
  const Wg = latticeWidths(job).groups;
  const points = job.temperatures.map((t, k) => statsFromGroups(d.groups.subarray(k * Wg, k * Wg + GROUP_SUMS * G), d.groups.subarray(k * Wg + GROUP_SUMS * G, (k + 1) * Wg),
    { N, temperature: t, replicas: R, samples: S, conf: true }));
  const [seconds, stepSeconds] = sumSeconds(d.seconds, 2);
  const problem = latticeProblem(job, { first: 0, count: 1 });
  const bytes = info.backend.startsWith('webgpu') ? deviceBytes(problem) : twinBytes(problem);
  const run: LatticeRunRecord = {
    samples: S, replicas: R * T, spinStepsPerSecond: stepSeconds > 0 ? (N * R * T * (job.equilibrateSteps + job.sampleSteps)) / stepSeconds : NaN,
    bytesPerSpin: bytesPerGrain(bytes, N, R * T), series: d.series ?? null,
  };
  return { job, problem, points, run, backend: info.backend, adapter: info.adapter, seconds, sweep: sweepRecord(info) };
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
    noiseCounter: '(g mod 2^32, ⌊step/2⌋, ⌊g/2^32⌋, 0) of global site g = r·N + i (r the replica\'s index in the whole sweep), key = seed',
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

/** Per-sample series as .npy: [replica, sample, 6] = M_x, M_y, M_z, E, Σ|m × h|², Σ Δ_S E (float32), when kept (≤ 64 MiB). */
export function writeSamples(dir: RunDir, name: string, run: LatticeRunRecord): boolean {
  if (!run.series) return false;
  dir.writeNpy(name, Float32Array.from(run.series), [run.replicas, run.samples, 6]);
  return true;
}

/** m, χ and U against temperature for one or more curves (each with its own label). */
export function observableFigures(dir: RunDir, curves: { label: string; points: PointStats[] }[], prefix = ''): { title: string; svgFile: string; caption: string }[] {
  const figs: { title: string; svgFile: string; caption: string }[] = [];
  const T = (ps: PointStats[]) => ps.map(p => p.temperature);
  const Ts = (ps: PointStats[]) => ps.map(p => p.configurationalTemperature ?? NaN);
  const chart = (file: string, title: string, yLabel: string, y: (p: PointStats) => number | null, e: (p: PointStats) => number | null, caption: string) => {
    const series = curves.flatMap((c, k) => [
      { name: `${c.label} (bath T)`, x: T(c.points), y: c.points.map(p => y(p) ?? NaN), yErr: c.points.map(p => e(p) ?? NaN), color: PALETTE[k % PALETTE.length] },
      ...(c.points.some(p => p.configurationalTemperature !== null) ? [{ name: `${c.label} (sampled T)`, x: Ts(c.points), y: c.points.map(p => y(p) ?? NaN), color: PALETTE[k % PALETTE.length], dash: '4 3', width: 1.2 }] : []),
    ]);
    dir.writeText(`${prefix}${file}`, lineChart({ title, xLabel: 'temperature (K)', yLabel, series }));
    figs.push({ title, svgFile: `${prefix}${file}`, caption: `${caption}. Error bars: one standard error (jackknife over replicas, or over replicas × time blocks when there are few replicas: the manifest says which). Solid: against the bath temperature; dashed: the same points against the sampled (configurational) temperature, which is what a finite time step actually samples. Data: points.csv; every sample in samples*.npy.` });
  };
  chart('magnetization.svg', 'magnetization per grain ⟨|M|⟩/N', '⟨|M|⟩/N', p => p.magnetization, p => p.magnetizationStderr, 'Order parameter m = ⟨|M|⟩/N per grain (1 ordered, ~N^(−1/2) disordered)');
  chart('susceptibility.svg', 'susceptibility χ = N(⟨m²⟩ − ⟨m⟩²)/k_BT', 'χ (meV⁻¹ per grain)', p => p.susceptibility, p => p.susceptibilityStderr, 'Susceptibility per grain χ = N(⟨m²⟩ − ⟨m⟩²)/k_BT in meV⁻¹, peaked near the ordering temperature');
  chart('binder.svg', 'Binder cumulant U = 1 − ⟨m⁴⟩/3⟨m²⟩²', 'U', p => p.binder, p => p.binderStderr, 'Binder cumulant U = 1 − ⟨m⁴⟩/3⟨m²⟩² (4/9 disordered, 2/3 ordered; curves of two sizes cross at T_c)');
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
        extra: { samplesFile: kept ? 'samples.npy [replica, sample, (M_x, M_y, M_z, E, Σ|m×h|², ΣΔ_S E)]; replica = temperature index × replicas + k' : 'not written (over 64 MiB)', ...sweepExtra(target, r.sweep) },
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
