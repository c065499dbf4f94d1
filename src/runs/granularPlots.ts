// Plot helpers of the granular runs, on top of src/plots/svg.ts (zero lines over maps: src/plots/contours.ts):
// * signedLog: a series split into log₁₀|y| where y > 0 (solid) and where y < 0 (dashed), the paper's style;
// * symlog: a diverging colour coordinate for fields spanning decades.
import type { LineSeries } from '../plots/svg.ts';

/** log₁₀|y| split by sign: solid where y > 0, dashed where y < 0 (NaN elsewhere: |y| → 0 at a sign change anyway). */
export function signedLog(name: string, x: ArrayLike<number>, y: ArrayLike<number>, color: string): LineSeries[] {
  const n = y.length, pos = new Float64Array(n), neg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    pos[i] = v > 0 ? Math.log10(v) : NaN;
    neg[i] = v < 0 ? Math.log10(-v) : NaN;
  }
  return [
    { name: `${name} > 0`, x, y: pos, color, dash: '' },
    { name: `${name} < 0`, x, y: neg, color, dash: '6 4' },
  ];
}

/** sign(v)·log₁₀(1 + |v|/scale): a diverging colour coordinate for fields spanning decades. */
export function symlog(values: ArrayLike<number>, scale: number): Float64Array {
  return Float64Array.from(values as ArrayLike<number>, v => Math.sign(v) * Math.log10(1 + Math.abs(v) / scale));
}
