// Run options and results of an LLG problem, shared by the CPU twin and the WebGPU host, and the one
// reduction of per-trajectory observables into per-point statistics (fed batch by batch, so no run ever
// holds every trajectory's results unless asked to).
import type { LlgProblem } from './problem.ts';

export interface LlgRunOptions {
  /** Time step (ps). */
  dt: number;
  /** Number of Heun steps. */
  steps: number;
  /** Start of the time-average window (ps); the average runs over steps n with n·dt > averageFrom. */
  averageFrom: number;
  /** Noise seed (integer in [0, 2^53)). */
  seed: number;
  /** Record the trajectories of the first `systems` trajectories every `stride` steps. */
  record?: { systems: number; stride: number };
  /** Keep every trajectory's final m, time-averaged m, switch time and flag in the result. */
  keepTrajectories?: boolean;
  /**
   * Extra time averages over the window, per spin: `angle`, the angle θ between m and the torque axis p
   * (radians, 2·atan2(|m − p|, |m + p|): accurate at θ ≈ 0 and π); `readout`, the spin's readout table g(m·p).
   */
  observables?: { angle?: boolean; readout?: boolean };
  /**
   * The trajectory count that sets how many steps one WebGPU dispatch takes (default: the problem's own). The
   * device sums the time averages in float32 per block, per dispatch and per host fold, so the rounding of a
   * trajectory's averages depends on the dispatch length: a sweep's chunks (of any size, in any shard or resume)
   * pass the sweep's full chunk size here so they all integrate exactly alike (a library run of the whole sweep as one
   * problem, passing the same value, then matches the chunked CLI run too). The CPU twin ignores it.
   */
  dispatchTrajectories?: number;
  /** Called with each finished batch of trajectories (in order), e.g. for a custom reduction. */
  onBatch?: (batch: TrajectoryBatch) => void;
  /** Progress callback: fraction done in [0, 1]. */
  onProgress?: (done: number) => void;
}

/** Observables of trajectories [first, first + count), each [trajectory][spin][xyz] or [trajectory][spin]. */
export interface TrajectoryBatch {
  first: number;
  count: number;
  /** Final m (float32 from the device, float64 from the CPU twin). */
  finalM: Float32Array | Float64Array;
  /** Time average of m over the window. */
  meanM: Float64Array;
  /** First time (ps) at which s0·(m·n) < −SWITCH_BAND; NaN if never. */
  switchTime: Float64Array;
  /** 1 where the final m·n is on the other side than the start (past the band). */
  switched: Uint8Array;
  /** observables.angle: time-averaged angle to p (rad), [trajectory][spin]. */
  meanAngle?: Float64Array;
  /** observables.readout: time-averaged readout g(m·p), [trajectory][spin]. */
  meanReadout?: Float64Array;
  /** Problems with an oscillator: the final (Q, P) and the window averages of Q, Q², P², [trajectory]. */
  oscillator?: OscillatorBatch;
}

/** Per-trajectory oscillator observables, [trajectory] each (float64). */
export interface OscillatorBatch { finalQ: Float64Array; finalP: Float64Array; meanQ: Float64Array; meanQ2: Float64Array; meanP2: Float64Array }

/** Every trajectory's observables, [trajectory][spin][xyz] or [trajectory][spin] (float64). */
export interface TrajectoryArrays {
  finalM: Float64Array; meanM: Float64Array; switchTime: Float64Array; switched: Uint8Array;
  meanAngle?: Float64Array; meanReadout?: Float64Array;
  oscillator?: OscillatorBatch;
}

/** Per-point statistics over the point's trajectories whose observables are all finite. */
export interface PointStats {
  /** Mean over trajectories of the time-averaged m, and its standard error (NaN with one trajectory): [point][spin][xyz]. */
  meanM: Float64Array;
  meanMStderr: Float64Array;
  /** Mean over trajectories of the final m and its standard error: [point][spin][xyz]. */
  finalM: Float64Array;
  finalMStderr: Float64Array;
  /** Trajectories whose final state is switched (final side ≠ initial side): [point][spin]. */
  switchedFinal: Float64Array;
  /** Trajectories that crossed the axis at least once (first-crossing event), and their mean first-crossing time (ps; NaN if none): [point][spin]. */
  crossed: Float64Array;
  meanCrossingTime: Float64Array;
  /** Trajectories with finite observables: [point]. The others are left out of every statistic above. */
  finite: Float64Array;
  /** observables.angle: mean over trajectories of the time-averaged angle to p (rad) and its standard error: [point][spin]. */
  meanAngle?: Float64Array;
  meanAngleStderr?: Float64Array;
  /** observables.readout: the same for the readout g(m·p). */
  meanReadout?: Float64Array;
  meanReadoutStderr?: Float64Array;
  /**
   * Problems with an oscillator: mean over trajectories of the window averages of Q, Q² and P² and their
   * standard errors, [point]. (A trajectory whose Q ran away over the cubic barrier has non-finite
   * observables and is left out, as every non-finite trajectory.)
   */
  meanQ?: Float64Array;
  meanQStderr?: Float64Array;
  meanQ2?: Float64Array;
  meanQ2Stderr?: Float64Array;
  meanP2?: Float64Array;
  meanP2Stderr?: Float64Array;
}

export interface LlgResult {
  points: number;
  trajectoriesPerPoint: number;
  trajectories: number;
  spins: number;
  steps: number;
  dt: number;
  averagedSteps: number;
  stats: PointStats;
  /** Every trajectory's observables (keepTrajectories). */
  trajectoryData?: TrajectoryArrays;
  /**
   * Recorded trajectories: m at times `times`, [recorded trajectory][sample][spin][xyz]; with an oscillator also
   * `osc`, (Q, P) at the same times, [recorded trajectory][sample][2].
   */
  record?: { systems: number; times: Float64Array; m: Float64Array; osc?: Float64Array };
  backend: 'cpu' | 'webgpu';
  adapter: string;
  /** Integration wall time (s): dispatches and readback, excluding setup. */
  seconds: number;
  /** Shader compilation, parameter packing and upload (s). */
  setupSeconds?: number;
  spinStepsPerSecond: number;
}

export interface RunPlan { avgFromStep: number; recSystems: number; recStride: number; recSamples: number }

export function validateRunOptions(problem: LlgProblem, o: LlgRunOptions): RunPlan {
  if (problem.points === 0) throw new RangeError('the LLG problem has no parameter points');
  if (!(Number.isFinite(o.dt) && o.dt > 0 && o.dt <= 10)) throw new RangeError(`dt (time step, ps) must be in (0, 10], got ${o.dt}`);
  if (!Number.isInteger(o.steps) || o.steps < 1 || o.steps > 0xffffffff - 1) throw new RangeError(`steps must be an integer in [1, 4294967294], got ${o.steps}`);
  const total = o.steps * o.dt;
  if (!(Number.isFinite(o.averageFrom) && o.averageFrom >= 0 && o.averageFrom < total)) {
    throw new RangeError(`average-from (ps) must be in [0, ${total}) (the run's duration), got ${o.averageFrom}`);
  }
  const avgFromStep = Math.min(o.steps - 1, Math.floor(o.averageFrom / o.dt + 1e-9));
  const recSystems = o.record ? o.record.systems : 0;
  const recStride = o.record ? o.record.stride : 1;
  if (!Number.isInteger(recSystems) || recSystems < 0 || recSystems > problem.trajectories) throw new RangeError(`recorded systems must be an integer in [0, ${problem.trajectories}], got ${recSystems}`);
  if (!Number.isInteger(recStride) || recStride < 1) throw new RangeError(`record stride must be an integer ≥ 1, got ${recStride}`);
  const recSamples = recSystems > 0 ? Math.floor(o.steps / recStride) + 1 : 0;
  if (recSystems * recSamples * problem.dim > 2 ** 27) throw new RangeError(`trajectory recording of ${recSystems} systems × ${recSamples} samples is too large; raise the stride or record fewer systems`);
  const perDispatch = o.dispatchTrajectories;
  if (perDispatch !== undefined && !(Number.isInteger(perDispatch) && perDispatch >= 1)) throw new RangeError(`dispatchTrajectories must be an integer ≥ 1, got ${perDispatch}`);
  if (o.observables?.readout && !problem.readout) throw new RangeError('observables.readout needs points with readout tables (spins[i].readoutTable)');
  return { avgFromStep, recSystems, recStride, recSamples };
}

/** Number of steps of length dt in `time` (ps); the time must be a whole number of steps. */
export function stepsFor(time: number, dt: number): number {
  const steps = Math.round(time / dt);
  if (!(steps >= 1) || Math.abs(steps * dt - time) > 1e-9 * time) throw new RangeError(`--time (${time} ps) must be a whole number ≥ 1 of --dt steps (${dt} ps)`);
  return steps;
}

/**
 * Host bytes per spin-trajectory of a run that keeps every trajectory and writes it out: keepTrajectories'
 * arrays (final m, mean m, switch time: float64; a flag byte: 57 B), the per-system table columns of
 * `nanospin llg` (10 float64: 80 B) and its CSV text (~130 B per row).
 */
export function keptTrajectoryBytes(trajectories: number, spins: number): number {
  return trajectories * spins * (57 + 80 + 130);
}

/**
 * Accumulates batches (in trajectory order) into PointStats (Welford means and variances, float64),
 * forwards them to onBatch and, with keepTrajectories, concatenates them.
 */
export class BatchCollector {
  readonly stats: PointStats;
  readonly kept?: TrajectoryArrays;
  private readonly K: number;
  private readonly M: number;
  private readonly n3: Float64Array;   // Welford count per point (finite trajectories)
  private readonly m2Mean: Float64Array; private readonly m2Final: Float64Array;
  private readonly crossSum: Float64Array;
  private readonly m2Angle?: Float64Array;
  private readonly m2Readout?: Float64Array;
  /** Oscillator: Welford M2 of the window averages of Q, Q², P², [point][3]; and their means. */
  private readonly m2Osc?: Float64Array;
  private readonly meanOsc?: Float64Array;

  constructor(problem: LlgProblem, private readonly opts: LlgRunOptions) {
    const P = problem.points, K = problem.spins, n = 3 * K;
    this.K = K; this.M = problem.trajectoriesPerPoint;
    this.stats = {
      meanM: new Float64Array(P * n), meanMStderr: new Float64Array(P * n), finalM: new Float64Array(P * n), finalMStderr: new Float64Array(P * n),
      switchedFinal: new Float64Array(P * K), crossed: new Float64Array(P * K), meanCrossingTime: new Float64Array(P * K), finite: new Float64Array(P),
    };
    const obs = opts.observables ?? {};
    if (obs.angle) { this.stats.meanAngle = new Float64Array(P * K); this.stats.meanAngleStderr = new Float64Array(P * K); this.m2Angle = new Float64Array(P * K); }
    if (obs.readout) { this.stats.meanReadout = new Float64Array(P * K); this.stats.meanReadoutStderr = new Float64Array(P * K); this.m2Readout = new Float64Array(P * K); }
    if (problem.oscillator) { this.m2Osc = new Float64Array(3 * P); this.meanOsc = new Float64Array(3 * P); }
    this.n3 = this.stats.finite;
    this.m2Mean = new Float64Array(P * n); this.m2Final = new Float64Array(P * n); this.crossSum = new Float64Array(P * K);
    if (opts.keepTrajectories) {
      const N = problem.trajectories;
      this.kept = {
        finalM: new Float64Array(N * n), meanM: new Float64Array(N * n), switchTime: new Float64Array(N * K), switched: new Uint8Array(N * K),
        ...(obs.angle ? { meanAngle: new Float64Array(N * K) } : {}), ...(obs.readout ? { meanReadout: new Float64Array(N * K) } : {}),
        ...(problem.oscillator ? { oscillator: { finalQ: new Float64Array(N), finalP: new Float64Array(N), meanQ: new Float64Array(N), meanQ2: new Float64Array(N), meanP2: new Float64Array(N) } } : {}),
      };
    }
  }

  add(b: TrajectoryBatch): void {
    const K = this.K, n = 3 * K, s = this.stats;
    for (let l = 0; l < b.count; l++) {
      const t = b.first + l, q = Math.floor(t / this.M);
      let ok = true;
      for (let k = 0; k < n && ok; k++) ok = Number.isFinite(b.finalM[l * n + k]) && Number.isFinite(b.meanM[l * n + k]);
      const ob = b.oscillator;
      if (ok && this.m2Osc && ob) ok = Number.isFinite(ob.finalQ[l]) && Number.isFinite(ob.finalP[l]) && Number.isFinite(ob.meanQ[l]) && Number.isFinite(ob.meanQ2[l]) && Number.isFinite(ob.meanP2[l]);
      if (!ok) continue;
      const c = ++this.n3[q];
      for (let k = 0; k < n; k++) {
        const j = q * n + k;
        const x = b.meanM[l * n + k], dx = x - s.meanM[j];
        s.meanM[j] += dx / c; this.m2Mean[j] += dx * (x - s.meanM[j]);
        const y = b.finalM[l * n + k], dy = y - s.finalM[j];
        s.finalM[j] += dy / c; this.m2Final[j] += dy * (y - s.finalM[j]);
      }
      for (let i = 0; i < K; i++) {
        const j = q * K + i;
        s.switchedFinal[j] += b.switched[l * K + i];
        const ts = b.switchTime[l * K + i];
        if (!Number.isNaN(ts)) { s.crossed[j]++; this.crossSum[j] += ts; }
        if (b.meanAngle && s.meanAngle) { const x = b.meanAngle[l * K + i], d = x - s.meanAngle[j]; s.meanAngle[j] += d / c; this.m2Angle![j] += d * (x - s.meanAngle[j]); }
        if (b.meanReadout && s.meanReadout) { const x = b.meanReadout[l * K + i], d = x - s.meanReadout[j]; s.meanReadout[j] += d / c; this.m2Readout![j] += d * (x - s.meanReadout[j]); }
      }
      if (this.m2Osc && ob) {
        const xs = [ob.meanQ[l], ob.meanQ2[l], ob.meanP2[l]];
        for (let k = 0; k < 3; k++) { const j = 3 * q + k, d = xs[k] - this.meanOsc![j]; this.meanOsc![j] += d / c; this.m2Osc[j] += d * (xs[k] - this.meanOsc![j]); }
      }
    }
    if (this.kept) {
      this.kept.finalM.set(b.finalM, b.first * n); this.kept.meanM.set(b.meanM, b.first * n);
      this.kept.switchTime.set(b.switchTime, b.first * K); this.kept.switched.set(b.switched, b.first * K);
      if (this.kept.meanAngle && b.meanAngle) this.kept.meanAngle.set(b.meanAngle, b.first * K);
      if (this.kept.meanReadout && b.meanReadout) this.kept.meanReadout.set(b.meanReadout, b.first * K);
      const ko = this.kept.oscillator, ob = b.oscillator;
      if (ko && ob) for (const k of ['finalQ', 'finalP', 'meanQ', 'meanQ2', 'meanP2'] as const) ko[k].set(ob[k].subarray(0, b.count), b.first);
    }
    this.opts.onBatch?.(b);
  }

  finish(): PointStats {
    const s = this.stats, n = 3 * this.K;
    for (let j = 0; j < s.meanM.length; j++) {
      const c = this.n3[Math.floor(j / n)];
      s.meanMStderr[j] = c > 1 ? Math.sqrt(this.m2Mean[j] / (c - 1) / c) : NaN;
      s.finalMStderr[j] = c > 1 ? Math.sqrt(this.m2Final[j] / (c - 1) / c) : NaN;
      if (c === 0) s.meanM[j] = s.finalM[j] = NaN;
    }
    for (let j = 0; j < s.crossed.length; j++) {
      s.meanCrossingTime[j] = s.crossed[j] > 0 ? this.crossSum[j] / s.crossed[j] : NaN;
      const c = this.n3[Math.floor(j / this.K)];
      for (const [m, e, m2] of [[s.meanAngle, s.meanAngleStderr, this.m2Angle], [s.meanReadout, s.meanReadoutStderr, this.m2Readout]] as const) {
        if (!m || !e || !m2) continue;
        e[j] = c > 1 ? Math.sqrt(m2[j] / (c - 1) / c) : NaN;
        if (c === 0) m[j] = NaN;
      }
    }
    if (this.m2Osc && this.meanOsc) {
      const P = s.finite.length, keys = [['meanQ', 'meanQStderr'], ['meanQ2', 'meanQ2Stderr'], ['meanP2', 'meanP2Stderr']] as const;
      keys.forEach(([mk, ek], k) => {
        const m = new Float64Array(P), e = new Float64Array(P);
        for (let q = 0; q < P; q++) {
          const c = this.n3[q];
          m[q] = c === 0 ? NaN : this.meanOsc![3 * q + k];
          e[q] = c > 1 ? Math.sqrt(this.m2Osc![3 * q + k] / (c - 1) / c) : NaN;
        }
        s[mk] = m; s[ek] = e;
      });
    }
    return s;
  }
}

/** Mean and standard error of point q, spin i from PointStats (convenience for callers). */
export function pointMean(s: PointStats, spins: number, q: number, i: number, which: 'meanM' | 'finalM' = 'meanM'): { mean: [number, number, number]; stderr: [number, number, number] } {
  const o = (q * spins + i) * 3, m = s[which], e = which === 'meanM' ? s.meanMStderr : s.finalMStderr;
  return { mean: [m[o], m[o + 1], m[o + 2]], stderr: [e[o], e[o + 1], e[o + 2]] };
}
