// Shared comparison helpers of the CPU-twin vs WebGPU tests.
import { expect } from 'vitest';

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
