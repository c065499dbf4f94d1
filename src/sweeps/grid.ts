// Parameter grids: inclusive linear axes and the flat system index of (point, trajectory).

/** `count` equally spaced values from `from` to `to` inclusive. */
export function linspace(from: number, to: number, count: number, name = 'axis'): Float64Array {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`${name}: number of points must be an integer ≥ 1, got ${count}`);
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError(`${name}: range must be finite, got ${from}:${to}`);
  return Float64Array.from({ length: count }, (_, k) => (count === 1 ? from : from + ((to - from) * k) / (count - 1)));
}

/** Parse 'from:to:count' (e.g. '0:2.5:26'). */
export function parseAxis(spec: string, name: string): Float64Array {
  const p = spec.split(':');
  if (p.length !== 3) throw new RangeError(`${name} must be from:to:count, got '${spec}'`);
  return linspace(Number(p[0]), Number(p[1]), Number(p[2]), name);
}
