// `nanospin llg vibronic` (issue 13, item 6): the classical spin–lattice Langevin model of seed 003
// (src/models/vibronic/spinLattice.ts) over a temperature sweep on the LLG core — two classical spins and one
// anharmonic mode per trajectory, Langevin baths on both — beside Eq. 7 (quantum coth form and its classical
// limit), the exact classical Boltzmann values (the mode alone, and the whole model by 2D quadrature) and the
// paper's mean-field picture in its classical limit (the pair in the static field A·⟨Q⟩ of Eq. 7). Written as a
// run directory (CSV, .npy, SVG, report).
// As a sweep (vibronicLangevinPlan) the temperatures are computed in resumable, shardable chunks
// (src/sweeps/chunked.ts): a chunk is one LLG problem starting at trajectory first·M (trajectoryOffset), so it
// draws the noise of the whole sweep; it keeps per temperature the Welford results (trajectories used, means and
// standard errors), the escaped count and its seconds; the references are computed by the writer.
import type { Backend } from '../backends/index.ts';
import { llgKernel } from '../kernels/llg/index.ts';
import { LlgProblem, stepsFor, type TrajectoryBatch } from '../llg/index.ts';
import {
  checkSpinLatticeParams, coupledSpins, cubicBarrier, eq7Classical, oscillatorBoltzmann, spinLatticeBoltzmann, spinLatticeModel, spinPairBoltzmann,
  type SpinLatticeParams,
} from '../models/vibronic/spinLattice.ts';
import { eq7MeanDisplacement } from '../models/vibronic/closedForms.ts';
import { KB } from '../numerics/units.ts';
import { lineChart } from '../plots/svg.ts';
import { withRunDir, type OutputTarget } from './output.ts';
import type { ChunkData, SweepPlan } from '../sweeps/chunked.ts';
import { llgChunkPoints } from '../sweeps/params.ts';
import { spreadSeconds, sumSeconds, sweepExtra, sweepRecord, type SweepInfo } from './sweepInfo.ts';

/** The smallest barrier (in k_BT at the sweep's highest T) a run accepts: below it trajectories escape the well. */
export const MIN_BARRIER_KT = 10;

export interface VibronicLangevinJob {
  /** Model parameters but T (energies meV, γ 1/ps). */
  model: Omit<SpinLatticeParams, 'T'>;
  /** Temperatures (K, > 0), one parameter point each. */
  temperatures: number[];
  trajectories: number;
  /** Time step, duration and start of the time average (ps). */
  dt: number; time: number; averageFrom: number;
  seed: number;
}

export interface VibronicLangevinPoint {
  T: number;
  /** Langevin: mean over trajectories of the time-averaged Q, Q², P², m1^z, m2^z, and moment S(m1^z + m2^z); ± standard errors. */
  Q: number; QStderr: number; Q2: number; Q2Stderr: number; P2: number; P2Stderr: number;
  m1: number; m1Stderr: number; m2: number; m2Stderr: number; moment: number; momentStderr: number;
  /** Eq. 7: quantum −(6Φ/ω0) coth(βω0/2), and its classical limit −12Φk_BT/ω0². */
  QEq7: number; QEq7Classical: number;
  /** Exact classical Boltzmann ⟨Q⟩ of the mode alone (A = 0), over the metastable well. */
  QOscillator: number;
  /** Exact classical Boltzmann averages of the whole model (2D quadrature over the well). */
  QExact: number; Q2Exact: number; momentExact: number;
  /** The pair in the static field α = A·QEq7Classical (the paper's mean-field picture, classical spins). */
  momentEq7Classical: number;
  /** Equipartition ⟨P²⟩ = 2k_BT/ω0. */
  P2Exact: number;
  /** Barrier of the cubic well in k_BT, with the spins pulling the worst way (worstBarrier). */
  barrierKT: number;
  /** Trajectories left out: non-finite, or past the barrier top at the end (escaped from the well). */
  escaped: number;
  /** Trajectories in the averages. */
  used: number;
}

export interface VibronicLangevinResult {
  job: VibronicLangevinJob;
  points: VibronicLangevinPoint[];
  backend: string; adapter: string;
  steps: number; averagedSteps: number;
  seconds: { langevin: number; references: number };
  spinStepsPerSecond: number;
  /** Chunks resumed from an interrupted run and shards merged (absent for library runs). */
  sweep?: { resumedChunks: number; mergedShards: SweepInfo['shards'] };
}

/** Checks of a job that need no computation; returns the step count. */
export function validateVibronicLangevinJob(job: VibronicLangevinJob): number {
  checkSpinLatticeParams({ ...job.model, T: 1 });
  if (!job.temperatures.length) throw new RangeError('no temperatures: give --temperature or --sweep T=from:to:count');
  for (const T of job.temperatures) if (!(Number.isFinite(T) && T > 0)) throw new RangeError(`temperatures must be finite and > 0 K (the classical Boltzmann state needs T > 0), got ${T}`);
  if (!Number.isInteger(job.trajectories) || job.trajectories < 2 || job.trajectories > 2 ** 22) throw new RangeError(`trajectories must be an integer in [2, 4194304] (standard errors need ≥ 2), got ${job.trajectories}`);
  if (!(job.averageFrom >= 0 && job.averageFrom < job.time)) throw new RangeError(`average-from must be in [0, time) = [0, ${job.time}) ps, got ${job.averageFrom}`);
  const { omega0, Phi } = job.model, Tmax = Math.max(...job.temperatures);
  const barrier = worstBarrier(job.model), b = barrier / (KB * Tmax);
  if (!(b >= MIN_BARRIER_KT)) {
    throw new RangeError(`Phi: the cubic well's barrier is only ${barrier.toPrecision(4)} meV = ${b.toPrecision(3)} k_BT at T = ${Tmax} K (needs ≥ ${MIN_BARRIER_KT}; ` +
      `ω0³/(432Φ²) = ${cubicBarrier(omega0, Phi).height.toPrecision(4)} meV, lowered by the spins' pull ${coupledSpins(job.model.fieldOn).length}|A|S on Q${barrier === 0 ? ', which removes the well: 12Φ·n|A|S ≥ ω0²/4' : ''}): ` +
      'Φ Q³ is unbounded below and trajectories would escape the metastable well; lower |Phi|, |A| or the temperature');
  }
  return stepsFor(job.time, job.dt);
}

/** The well's barrier (meV) with the spins pulling the mode the worst way: force n|A|S (n coupled spins). */
export function worstBarrier(m: Omit<SpinLatticeParams, 'T'>): number {
  return cubicBarrier(m.omega0, m.Phi, coupledSpins(m.fieldOn).length * Math.abs(m.A) * m.S).height;
}

/** Welford accumulator over k quantities. */
class Welford {
  n = 0; readonly mean: Float64Array; readonly m2: Float64Array;
  constructor(k: number) { this.mean = new Float64Array(k); this.m2 = new Float64Array(k); }
  add(x: number[]): void {
    this.n++;
    for (let k = 0; k < x.length; k++) { const d = x[k] - this.mean[k]; this.mean[k] += d / this.n; this.m2[k] += d * (x[k] - this.mean[k]); }
  }
  stderr(k: number): number { return this.n > 1 ? Math.sqrt(this.m2[k] / (this.n - 1) / this.n) : NaN; }
}

/** The classical references at one temperature (all quadrature, float64). */
export function vibronicReferences(model: Omit<SpinLatticeParams, 'T'>, T: number) {
  const { J, A, omega0, Phi, S, fieldOn } = model;
  const QEq7Classical = eq7Classical(Phi, omega0, T);
  const exact = spinLatticeBoltzmann({ J, A, omega0, Phi, S, fieldOn, T });
  const a = A * QEq7Classical;
  return {
    QEq7: eq7MeanDisplacement(Phi, omega0, T), QEq7Classical,
    QOscillator: oscillatorBoltzmann(omega0, Phi, T).Q,
    QExact: exact.Q, Q2Exact: exact.Q2, momentExact: exact.moment,
    momentEq7Classical: spinPairBoltzmann(J, S, a, fieldOn === 'both' ? a : 0, T).moment,
    P2Exact: (2 * KB * T) / omega0,
    barrierKT: worstBarrier(model) / (KB * T),
  };
}

/** Spins per trajectory of spinLatticeModel (S1, S2): every one is integrated at every step. */
const SPINS = 2;

/**
 * Per-temperature arrays of the sweep: trajectories in the averages, escaped (or non-finite) ones, the Welford
 * means and standard errors over trajectories of (Q, Q², P², m1^z, m2^z, moment), the averaged steps and the
 * Langevin seconds (spreadSeconds).
 */
export const VIBRONIC_LANGEVIN_WIDTHS = { used: 1, escaped: 1, mean: 6, stderr: 6, averagedSteps: 1, seconds: 1 } as const;

/** The sweep: temperatures [first, first + count) are one LLG problem (trajectory offset first·M). */
export function vibronicLangevinPlan(backend: Backend, job: VibronicLangevinJob, identity: SweepPlan['identity']): SweepPlan {
  const steps = validateVibronicLangevinJob(job), M = job.trajectories, S = job.model.S, P = job.temperatures.length;
  // a trajectory past the barrier top at the end has left the well (it runs away): left out and counted
  const Qb = cubicBarrier(job.model.omega0, job.model.Phi).Q;
  const past = (Q: number) => (job.model.Phi > 0 ? Q < Qb : job.model.Phi < 0 ? Q > Qb : false);
  const chunkPoints = llgChunkPoints(P, M);
  return {
    identity, points: P, widths: VIBRONIC_LANGEVIN_WIDTHS, chunkPoints,
    async compute(first, count, progress) {
      const params = job.temperatures.slice(first, first + count).map(T => ({ ...job.model, T }));
      const problem = LlgProblem.fromModel(spinLatticeModel, params, { trajectoriesPerPoint: M, trajectoryOffset: first * M });
      const acc = params.map(() => new Welford(6)), escaped = new Float64Array(count);
      const onBatch = (b: TrajectoryBatch) => {
        const o = b.oscillator!;
        for (let l = 0; l < b.count; l++) {
          const q = Math.floor((b.first + l) / M);
          const m1 = b.meanM[6 * l + 2], m2 = b.meanM[6 * l + 5];
          const x = [o.meanQ[l], o.meanQ2[l], o.meanP2[l], m1, m2, S * (m1 + m2)];
          if (!x.every(Number.isFinite) || !Number.isFinite(o.finalQ[l]) || past(o.finalQ[l])) { escaped[q]++; continue; }
          acc[q].add(x);
        }
      };
      const r = await backend.run(llgKernel, problem, { dt: job.dt, steps, averageFrom: job.averageFrom, seed: job.seed, dispatchTrajectories: chunkPoints * M, onBatch, onProgress: progress });
      const d: ChunkData = {
        used: Float64Array.from(acc, w => w.n), escaped, mean: new Float64Array(6 * count), stderr: new Float64Array(6 * count),
        averagedSteps: new Float64Array(count).fill(r.averagedSteps), seconds: spreadSeconds(count, [r.seconds]),
      };
      acc.forEach((w, i) => { for (let k = 0; k < 6; k++) { d.mean[6 * i + k] = w.n > 0 ? w.mean[k] : NaN; d.stderr[6 * i + k] = w.stderr(k); } });
      return d;
    },
  };
}

/** The result from the sweep's per-temperature arrays (the run's own, or merged shards'); the references computed here. */
export function vibronicLangevinFromArrays(job: VibronicLangevinJob, d: ChunkData, info: SweepInfo): VibronicLangevinResult {
  const steps = validateVibronicLangevinJob(job);
  const t0 = performance.now();
  const points = job.temperatures.map((T, q): VibronicLangevinPoint => {
    const ref = vibronicReferences(job.model, T), mean = (k: number) => d.mean[6 * q + k], se = (k: number) => d.stderr[6 * q + k];
    return {
      T, Q: mean(0), QStderr: se(0), Q2: mean(1), Q2Stderr: se(1), P2: mean(2), P2Stderr: se(2),
      m1: mean(3), m1Stderr: se(3), m2: mean(4), m2Stderr: se(4), moment: mean(5), momentStderr: se(5),
      ...ref, escaped: d.escaped[q], used: d.used[q],
    };
  });
  const references = (performance.now() - t0) / 1000;
  const [langevin] = sumSeconds(d.seconds, 1);
  return {
    job, points, backend: info.backend, adapter: info.adapter, steps, averagedSteps: d.averagedSteps[0],
    seconds: { langevin, references }, spinStepsPerSecond: (job.temperatures.length * job.trajectories * SPINS * steps) / langevin,
    sweep: sweepRecord(info),
  };
}

/** The whole sweep in one go, one LLG problem of every temperature (library use; the CLI runs it as a resumable sweep). */
export async function runVibronicLangevin(backend: Backend, job: VibronicLangevinJob, progress?: (f: number) => void): Promise<VibronicLangevinResult> {
  const d = await vibronicLangevinPlan(backend, job, { command: [], version: '' }).compute(0, job.temperatures.length, progress);
  progress?.(1);
  return vibronicLangevinFromArrays(job, d, { backend: backend.name, adapter: backend.adapter, seconds: 0, resumedChunks: 0, shards: [] });
}

/** Fields of the JSON points, in order (the first seven are the command's documented core). */
const POINT_KEYS = ['T', 'Q', 'QStderr', 'moment', 'momentStderr', 'QEq7Classical', 'QEq7', 'QOscillator', 'QExact', 'momentExact', 'momentEq7Classical',
  'Q2', 'Q2Stderr', 'Q2Exact', 'P2', 'P2Stderr', 'P2Exact', 'm1', 'm1Stderr', 'm2', 'm2Stderr', 'barrierKT', 'escaped', 'used'] as const;

const num = (x: number) => (Number.isFinite(x) ? x : null);

export function vibronicLangevinSummary(r: VibronicLangevinResult) {
  const { job } = r;
  return {
    backend: r.backend, adapter: r.adapter, model: job.model, trajectories: job.trajectories, dt: job.dt, time: job.time, averageFrom: job.averageFrom,
    steps: r.steps, averagedSteps: r.averagedSteps, seed: job.seed, seconds: r.seconds, spinStepsPerSecond: r.spinStepsPerSecond,
    units: { T: 'K', Q: 'dimensionless (Q = a + a†)', moment: 'ħ: S(⟨m1^z⟩ + ⟨m2^z⟩)', energies: 'meV', gamma: '1/ps' },
    escapedTrajectories: r.points.reduce((s, p) => s + p.escaped, 0),
    points: r.points.map(p => Object.fromEntries(POINT_KEYS.map(k => [k, num(p[k])]))),
  };
}

/** Points where the Langevin ⟨Q⟩ or moment is more than 4 standard errors from the exact classical value. */
export function deviations(r: VibronicLangevinResult): { T: number; what: string; value: number; stderr: number; exact: number; sigmas: number }[] {
  const out: { T: number; what: string; value: number; stderr: number; exact: number; sigmas: number }[] = [];
  for (const p of r.points) {
    for (const [what, value, stderr, exact] of [['⟨Q⟩', p.Q, p.QStderr, p.QExact], ['moment', p.moment, p.momentStderr, p.momentExact]] as const) {
      const sigmas = Math.abs(value - exact) / stderr;
      if (sigmas > 4) out.push({ T: p.T, what, value, stderr, exact, sigmas });
    }
  }
  return out;
}

/** Figures, CSV, .npy, manifest and report of a run. */
export function writeVibronicLangevinRun(target: OutputTarget, r: VibronicLangevinResult): Promise<string> {
  return withRunDir(target, dir => {
    const { job } = r, m = job.model, P = r.points, n = P.length;
    const col = (k: typeof POINT_KEYS[number]) => Float64Array.from(P, p => p[k]);
    dir.writeCsv('points.csv', Object.fromEntries(POINT_KEYS.map(k => [k === 'T' ? 'T_K' : k, col(k)])));
    for (const k of ['T', 'Q', 'QStderr', 'moment', 'momentStderr', 'QEq7', 'QEq7Classical', 'QOscillator', 'QExact', 'momentExact', 'momentEq7Classical'] as const) {
      dir.writeNpy(`${k}.npy`, col(k), [n]);
    }
    const T = col('T');
    const tag = `J = ${m.J} meV, A = ${m.A} meV, ω0 = ${m.omega0} meV, Φ = ${m.Phi} meV, S = ${m.S}, field on ${m.fieldOn === 'both' ? 'both spins' : 'S1'}`;
    const figures: { title: string; svgFile: string; caption: string }[] = [];
    dir.writeText('Q_vs_T.svg', lineChart({
      title: `Mean displacement ⟨Q⟩(T): Langevin vs Eq. 7 (${tag})`, xLabel: 'temperature T (K)', yLabel: '⟨Q⟩ (dimensionless, Q = a + a†)',
      series: [
        { name: 'Langevin ± SE', x: T, y: col('Q'), yErr: col('QStderr'), color: '#1f77b4', dash: '' },
        { name: 'exact classical (model)', x: T, y: col('QExact'), color: '#2ca02c', dash: '' },
        { name: 'exact classical (mode alone)', x: T, y: col('QOscillator'), color: '#9467bd', dash: '2 3' },
        { name: 'Eq. 7 classical −12Φk_BT/ω0²', x: T, y: col('QEq7Classical'), color: '#d62728', dash: '6 4' },
        { name: 'Eq. 7 −(6Φ/ω0) coth(βω0/2)', x: T, y: col('QEq7'), color: '#ff7f0e', dash: '6 2 2 2' },
      ],
    }));
    figures.push({ title: '⟨Q⟩(T)', svgFile: 'Q_vs_T.svg', caption: `Time- and ensemble-averaged mode coordinate Q from ${job.trajectories} Langevin trajectories per temperature (± one standard error), the exact classical Boltzmann average of the whole model (2D quadrature over the metastable well) and of the mode alone (A = 0), and Eq. 7 as printed (quantum, coth) and in its classical limit. Eq. 7 is first order in Φ and ignores the spins' back-action −(2AS/ω0)Σ⟨m^z⟩; ${tag}.` });
    dir.writeText('moment_vs_T.svg', lineChart({
      title: `Moment S⟨m1^z + m2^z⟩(T): Langevin vs the static Eq. 7 field (${tag})`, xLabel: 'temperature T (K)', yLabel: 'moment ⟨S1^z + S2^z⟩ (ħ)',
      series: [
        { name: 'Langevin ± SE', x: T, y: col('moment'), yErr: col('momentStderr'), color: '#1f77b4', dash: '' },
        { name: 'exact classical (model)', x: T, y: col('momentExact'), color: '#2ca02c', dash: '' },
        { name: 'static field A·⟨Q⟩ of Eq. 7 cl.', x: T, y: col('momentEq7Classical'), color: '#d62728', dash: '6 4' },
      ],
    }));
    figures.push({ title: 'Moment(T)', svgFile: 'moment_vs_T.svg', caption: `Total moment S(⟨m1^z⟩ + ⟨m2^z⟩) (ħ) of the two classical spins: Langevin (± one standard error), the exact classical Boltzmann average of the model, and the paper's mean-field picture in its classical limit — the classical pair H = J S1·S2 + α S^z in the static field α = A·(−12Φk_BT/ω0²). The two references differ at O(A²S²/(ω0 k_BT)) (fluctuations of Q, the induced coupling −(AS)²(Σm^z)²/ω0, and the back-action).` });
    dir.writeText('equipartition.svg', lineChart({
      title: 'Equipartition check: ⟨P²⟩ and ⟨Q²⟩ of the mode', xLabel: 'temperature T (K)', yLabel: 'second moment (dimensionless)',
      series: [
        { name: '⟨P²⟩ Langevin ± SE', x: T, y: col('P2'), yErr: col('P2Stderr'), color: '#1f77b4', dash: '' },
        { name: '⟨P²⟩ = 2k_BT/ω0', x: T, y: col('P2Exact'), color: '#1f77b4', dash: '6 4' },
        { name: '⟨Q²⟩ Langevin ± SE', x: T, y: col('Q2'), yErr: col('Q2Stderr'), color: '#2ca02c', dash: '' },
        { name: '⟨Q²⟩ exact classical', x: T, y: col('Q2Exact'), color: '#2ca02c', dash: '6 4' },
      ],
    }));
    figures.push({ title: 'Equipartition', svgFile: 'equipartition.svg', caption: 'The thermostat check: the time-averaged ⟨P²⟩ against its exact value 2k_BT/ω0 (the P-marginal of e^{−E/k_BT} is Gaussian whatever Φ and A), and ⟨Q²⟩ against the exact classical value of the model (≈ 2k_BT/ω0 plus the spins\' and the cubic term\'s contributions).' });
    const escaped = r.points.reduce((s, p) => s + p.escaped, 0);
    const summary = vibronicLangevinSummary(r);
    const warnings = [
      ...(escaped > 0 ? [`${escaped} trajectories left the metastable well (or became non-finite) and are not in the averages; lower |Φ| or T`] : []),
      ...deviations(r).map(d => `T = ${d.T} K: Langevin ${d.what} ${d.value.toPrecision(4)} ± ${d.stderr.toPrecision(2)} is ${d.sigmas.toFixed(1)} standard errors from the exact classical ${d.exact.toPrecision(4)} (not stationary yet? raise --time / --average-from, or lower --dt)`),
    ];
    return {
      manifest: {
        params: { ...job, convention: 'core: pair tensor 𝕁 = −J S² (energy J S² m1·m2), coupling A S Q m^z on the coupled spin(s); mode E = (ω0/4)(Q² + P²) + Φ Q³' },
        backend: r.backend, adapter: r.adapter, seed: job.seed,
        timings: { langevinSeconds: r.seconds.langevin, referencesSeconds: r.seconds.references },
        tolerances: {
          langevin: 'statistical: standard errors over trajectories (each trajectory\'s time average one sample); Heun weak error O(dt²)',
          webgpu: 'float32 vs the float64 twin: ≤ 1e-4 per component over a few hundred steps (test/vibronic.langevin.test.ts)',
          references: 'composite 15-point Kronrod quadrature, panels ≤ 0.4 σ in Q and ≤ 1/(β·energy) in cos θ (exact to ~1e-12); the well is cut at the barrier top Q* = −ω0/(6Φ)',
        },
        extra: { spinStepsPerSecond: r.spinStepsPerSecond, escapedTrajectories: escaped, barrier: cubicBarrier(m.omega0, m.Phi), barrierWithWorstSpinPull_meV: worstBarrier(m), ...sweepExtra(target, r.sweep) },
      },
      summary,
      report: {
        title: `nanospin llg vibronic: classical spin–lattice Langevin model, ${n} temperature${n === 1 ? '' : 's'} × ${job.trajectories} trajectories`,
        summary: {
          backend: r.backend, adapter: r.adapter, 'J (meV)': m.J, 'A (meV per unit Q)': m.A, 'ω0 (meV)': m.omega0, 'Φ (meV)': m.Phi, 'γ (1/ps)': m.gamma,
          S: m.S, 'Gilbert α': m.alpha, 'field on': m.fieldOn, steps: r.steps, 'dt (ps)': job.dt, 'average from (ps)': job.averageFrom,
          'Langevin (s)': r.seconds.langevin, 'spin-steps/s': r.spinStepsPerSecond.toExponential(3), 'escaped trajectories': escaped,
        },
        figures,
        ...(warnings.length ? { warnings } : {}),
      },
    };
  });
}
