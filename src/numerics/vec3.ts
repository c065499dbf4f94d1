export type Vec3 = [number, number, number];

export function norm3(v: ArrayLike<number>): number { return Math.hypot(v[0], v[1], v[2]); }

export function unit3(v: ArrayLike<number>, what: string): Vec3 {
  const n = norm3(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`${what} must be a finite non-zero vector x,y,z, got ${Array.from(v).join(',')}`);
  return [v[0] / n, v[1] / n, v[2] / n];
}

export function cross3(a: ArrayLike<number>, b: ArrayLike<number>): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function dot3(a: ArrayLike<number>, b: ArrayLike<number>): number { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
