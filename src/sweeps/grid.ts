// Parameter grids: inclusive linear axes and the flat system index of (point, trajectory).

/** `count` equally spaced values from `from` to `to` inclusive. */
export function linspace(from: number, to: number, count: number, name = 'axis'): Float64Array {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`${name}: number of points must be an integer ≥ 1, got ${count}`);
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError(`${name}: range must be finite, got ${from}:${to}`);
  return Float64Array.from({ length: count }, (_, k) => (count === 1 ? from : from + ((to - from) * k) / (count - 1)));
}

/** Points on one axis at most (a sweep's total is the product of its axes, checked by the command). */
export const MAX_AXIS_POINTS = 1 << 24;

export interface AxisSpec { from: number; to: number; count: number }

/** Parse and check 'from:to:count' without building the axis (sizes are checked before anything is allocated). */
export function parseAxisSpec(spec: string, name: string): AxisSpec {
  const p = spec.split(':');
  if (p.length !== 3) throw new RangeError(`${name} must be from:to:count (e.g. 0:2.5:26), got '${spec}'`);
  const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
  const [from, to, count] = p.map(num);
  const bad = [[from, p[0], 'start'], [to, p[1], 'end']].filter(([v]) => !Number.isFinite(v as number));
  if (bad.length) throw new RangeError(`${name}: the ${bad.map(([, s, w]) => `${w} '${s}'`).join(' and the ')} ${bad.length > 1 ? 'are not finite numbers' : 'is not a finite number'} (from:to:count, e.g. 0:2.5:26)`);
  if (!Number.isInteger(count) || count < 1 || count > MAX_AXIS_POINTS) throw new RangeError(`${name}: the count '${p[2]}' must be an integer in [1, ${MAX_AXIS_POINTS}] (from:to:count)`);
  return { from, to, count };
}

/** Parse 'from:to:count' (e.g. '0:2.5:26'). */
export function parseAxis(spec: string, name: string): Float64Array {
  const a = parseAxisSpec(spec, name);
  return linspace(a.from, a.to, a.count, name);
}
