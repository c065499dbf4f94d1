// Run options and results of the lattice Langevin kernel (both backends).
import type { LatticeProblem } from '../../models/lattice/problem.ts';

export interface LatticeRunOptions {
  /** Time step (ps). */
  dt: number;
  /** Heun steps of this run. */
  steps: number;
  /** Philox key (noise; also the random initial state). */
  seed: number;
  /** Global index of the run's first step (continuing a run: the noise counters go on from there). Default 0. */
  firstStep?: number;
  /** Start state (3NR unit vectors, replica r at 3Nr); default the problem's initial orientation. */
  initialState?: ArrayLike<number>;
  /** Steps between samples of (M, E) per replica; 0 = none. Default 0. */
  sampleEvery?: number;
  /** Steps of this run before sampling starts (equilibration): samples after steps sampleFrom + k·sampleEvery, k ≥ 1. */
  sampleFrom?: number;
  /** Return the final state (3NR float64). Default true. */
  keepState?: boolean;
  /** Device splitting (results do not depend on it; tests): sites per predict/correct dispatch. */
  maxSitesPerDispatch?: number;
  /** Replicas per device batch (each batch has its own buffers). */
  maxReplicasPerBatch?: number;
  /** Steps per queue submission. */
  stepsPerSubmit?: number;
  onProgress?: (fraction: number) => void;
}

export interface LatticeResult {
  sites: number;
  replicas: number;
  steps: number;
  firstStep: number;
  dt: number;
  /** Samples per replica. */
  samples: number;
  /** Global step count after which each sample was taken (firstStep + steps done). */
  sampleSteps: Float64Array;
  /** Σ_i m_i per replica and sample: [replica][sample][xyz]. */
  M: Float64Array;
  /** E (meV) per replica and sample: [replica][sample]. */
  E: Float64Array;
  /**
   * Configurational temperature pair per replica and sample: Σ_i |m_i × h_i|² (meV²) and Σ_i Δ_S E
   * (= Σ 2 m_i·(h_ex,i + B) − 2K(1 − 3(m_i·n_i)²), meV); k_BT_conf = Σ⟨|m × h|²⟩ / Σ⟨Δ_S E⟩.
   */
  gradSq: Float64Array;
  laplacian: Float64Array;
  state: Float64Array | null;
  backend: 'webgpu' | 'cpu';
  adapter: string;
  /** Wall time of the whole call (set-up, uploads, readbacks included). */
  seconds: number;
  /** Time in the step loops (the dispatches and the sample readbacks; no set-up): spinStepsPerSecond = N·R·steps/stepSeconds. */
  stepSeconds: number;
  spinStepsPerSecond: number;
  /** Device (or twin) memory per grain (bytes), all buffers. */
  bytesPerSpin: number;
}

export interface ValidatedRun {
  firstStep: number;
  sampleEvery: number;
  sampleFrom: number;
  samples: number;
  sampleSteps: Float64Array;
  keepState: boolean;
}

const isInt = (x: unknown, min: number) => typeof x === 'number' && Number.isInteger(x) && x >= min;

export function validateLatticeRun(problem: LatticeProblem, o: LatticeRunOptions): ValidatedRun {
  if (!(typeof o.dt === 'number' && Number.isFinite(o.dt) && o.dt > 0)) throw new RangeError(`lattice run: time step dt must be a finite number > 0 (ps), got ${o.dt}`);
  if (!isInt(o.steps, 0)) throw new RangeError(`lattice run: steps must be an integer ≥ 0, got ${o.steps}`);
  if (!isInt(o.seed, 0) || !Number.isSafeInteger(o.seed)) throw new RangeError(`lattice run: seed must be an integer in [0, 2^53), got ${o.seed}`);
  const firstStep = o.firstStep ?? 0;
  if (!isInt(firstStep, 0) || firstStep + o.steps > 0xfffffffe) throw new RangeError(`lattice run: first step + steps must stay below 2^32 − 1 (u32 step counter), got ${firstStep} + ${o.steps}`);
  const sampleEvery = o.sampleEvery ?? 0, sampleFrom = o.sampleFrom ?? 0;
  if (!isInt(sampleEvery, 0)) throw new RangeError(`lattice run: sampleEvery must be an integer ≥ 0, got ${sampleEvery}`);
  if (!isInt(sampleFrom, 0) || sampleFrom > o.steps) throw new RangeError(`lattice run: sampleFrom must be an integer in [0, steps = ${o.steps}], got ${sampleFrom}`);
  const samples = sampleEvery > 0 ? Math.floor((o.steps - sampleFrom) / sampleEvery) : 0;
  const sampleSteps = Float64Array.from({ length: samples }, (_, k) => firstStep + sampleFrom + (k + 1) * sampleEvery);
  const n = 3 * problem.sites * problem.replicas;
  if (o.initialState !== undefined) {
    if (o.initialState.length !== n) throw new RangeError(`lattice run: initial state must hold 3 × ${problem.sites} sites × ${problem.replicas} replicas = ${n} numbers, got ${o.initialState.length}`);
    for (let k = 0; k < n; k += 3) {
      const a = o.initialState[k], b = o.initialState[k + 1], c = o.initialState[k + 2];
      const r = Math.hypot(a, b, c);
      if (!(Math.abs(r - 1) < 1e-3)) throw new RangeError(`lattice run: initial state of grain ${k / 3} is not a unit vector (|m| = ${r})`);
    }
  }
  for (const [k, v] of [['maxSitesPerDispatch', o.maxSitesPerDispatch], ['maxReplicasPerBatch', o.maxReplicasPerBatch], ['stepsPerSubmit', o.stepsPerSubmit]] as const) {
    if (v !== undefined && !isInt(v, 1)) throw new RangeError(`lattice run: ${k} must be an integer ≥ 1, got ${v}`);
  }
  return { firstStep, sampleEvery, sampleFrom, samples, sampleSteps, keepState: o.keepState ?? true };
}

/** Sample index after `done` steps of the run (1-based count), or −1. */
export function sampleIndex(v: ValidatedRun, done: number): number {
  if (v.sampleEvery === 0 || done <= v.sampleFrom || (done - v.sampleFrom) % v.sampleEvery !== 0) return -1;
  const k = (done - v.sampleFrom) / v.sampleEvery - 1;
  return k < v.samples ? k : -1;
}

/** Memory per grain (bytes) of a problem of R replicas: (perReplica·R + shared)/(N·R), on either backend's byte counts. */
export function bytesPerGrain(b: { perReplica: number; shared: number }, sites: number, replicas: number): number {
  return (b.perReplica * replicas + b.shared) / (sites * replicas);
}
