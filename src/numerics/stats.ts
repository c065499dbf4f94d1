// Interval estimates for ensemble observables.

/**
 * Wilson score interval of a proportion k/n at z standard deviations (z = 1: 68.3 %): honest at the
 * edges (k = 0 or n gives a finite-width interval, unlike p ± √(p(1−p)/n)); [NaN, NaN] for n = 0.
 */
export function wilson(k: number, n: number, z = 1): { p: number; lo: number; hi: number } {
  if (!(n > 0)) return { p: NaN, lo: NaN, hi: NaN };
  const p = k / n, z2 = z * z, d = 1 + z2 / n;
  const c = (p + z2 / (2 * n)) / d, h = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d;
  return { p, lo: Math.max(0, c - h), hi: Math.min(1, c + h) };
}
