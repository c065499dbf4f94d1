// Shared comparison helpers of the CPU-twin vs WebGPU tests.
import { expect } from 'vitest';
import type { LlgResult } from '../src/llg/run.ts';

/** Per-component agreement of the float32 device LLG with its float64 twin over hundreds of steps. */
export const TOL_M = 1e-4;

/** max |a_i − b_i|; NaN anywhere counts as Infinity (a NaN never passes a tolerance). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Math.abs(a[i] - b[i]);
    if (!(x <= d)) d = Number.isNaN(x) ? Infinity : x;
  }
  return d;
}

/**
 * Per-trajectory observables of a run made with `keepTrajectories: true`: finalM, meanM [trajectory][spin][xyz],
 * switchTime, switched [trajectory][spin] (what LlgResult carried per system before the LLG core v2).
 */
export function kept(r: LlgResult): NonNullable<LlgResult['trajectoryData']> {
  if (!r.trajectoryData) throw new Error('this run was made without keepTrajectories: true');
  return r.trajectoryData;
}
