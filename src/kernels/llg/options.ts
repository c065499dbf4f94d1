// Run options and results shared by the CPU twin and the WebGPU host of the LLG ensemble kernel.
import type { LlgEnsemble } from './ensemble.ts';

export interface LlgRunOptions {
  /** Time step (ps). */
  dt: number;
  /** Number of Heun steps. */
  steps: number;
  /** Start of the time-average window (ps); the average runs over steps n with n·dt > averageFrom. */
  averageFrom: number;
  /** Noise seed (integer in [0, 2^53)). */
  seed: number;
  /** Record the trajectories of the first `systems` systems every `stride` steps. */
  record?: { systems: number; stride: number };
  /** Progress callback: fraction done in [0, 1]. */
  onProgress?: (done: number) => void;
}

export interface LlgResult {
  systems: number;
  spins: number;
  steps: number;
  dt: number;
  /** Final orientations, [system][spin][xyz]. */
  finalM: Float64Array;
  /** Time average of m over the window, [system][spin][xyz]. */
  meanM: Float64Array;
  averagedSteps: number;
  /** First time (ps) at which sign(m·n) differed from its initial sign; NaN if never. [system][spin] */
  switchTime: Float64Array;
  /** 1 where the final sign of m·n differs from the initial one. [system][spin] */
  switched: Uint8Array;
  /** Recorded trajectories: m at times `times`, [recorded system][sample][spin][xyz]. */
  record?: { systems: number; times: Float64Array; m: Float64Array };
  backend: 'cpu' | 'webgpu';
  adapter: string;
  /** Integration wall time (s): dispatches and readback, excluding setup. */
  seconds: number;
  /** Shader compilation, parameter packing and upload (s). */
  setupSeconds?: number;
  spinStepsPerSecond: number;
}

export function validateRunOptions(ens: LlgEnsemble, o: LlgRunOptions): { avgFromStep: number; recSystems: number; recStride: number; recSamples: number } {
  if (!(Number.isFinite(o.dt) && o.dt > 0 && o.dt <= 10)) throw new RangeError(`dt (time step, ps) must be in (0, 10], got ${o.dt}`);
  if (!Number.isInteger(o.steps) || o.steps < 1 || o.steps > 0xffffffff - 1) throw new RangeError(`steps must be an integer in [1, 4294967294], got ${o.steps}`);
  const total = o.steps * o.dt;
  if (!(Number.isFinite(o.averageFrom) && o.averageFrom >= 0 && o.averageFrom < total)) {
    throw new RangeError(`average-from (ps) must be in [0, ${total}) (the run's duration), got ${o.averageFrom}`);
  }
  const avgFromStep = Math.min(o.steps - 1, Math.floor(o.averageFrom / o.dt + 1e-9));
  const recSystems = o.record ? o.record.systems : 0;
  const recStride = o.record ? o.record.stride : 1;
  if (!Number.isInteger(recSystems) || recSystems < 0 || recSystems > ens.systems) throw new RangeError(`recorded systems must be an integer in [0, ${ens.systems}], got ${recSystems}`);
  if (!Number.isInteger(recStride) || recStride < 1) throw new RangeError(`record stride must be an integer ≥ 1, got ${recStride}`);
  const recSamples = recSystems > 0 ? Math.floor(o.steps / recStride) + 1 : 0;
  if (recSystems * recSamples * ens.dim > 2 ** 27) throw new RangeError(`trajectory recording of ${recSystems} systems × ${recSamples} samples is too large; raise the stride or record fewer systems`);
  return { avgFromStep, recSystems, recStride, recSamples };
}

/** Number of steps of length dt in `time` (ps); the time must be a whole number of steps. */
export function stepsFor(time: number, dt: number): number {
  const steps = Math.round(time / dt);
  if (!(steps >= 1) || Math.abs(steps * dt - time) > 1e-9 * time) throw new RangeError(`--time (${time} ps) must be a whole number ≥ 1 of --dt steps (${dt} ps)`);
  return steps;
}
