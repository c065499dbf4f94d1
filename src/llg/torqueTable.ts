// Angle-dependent spin-torque amplitudes a(u), u = m·p = cos θ, tabulated per parameter point on a
// uniform grid in one of two variables, and interpolated by Catmull–Rom cubics:
//   'u'    — x = u = cos θ, nodes u_k = −1 + 2k/(n−1): physical amplitudes are smooth in m·p;
//   'zeta' — x = ζ = √(1 + u) − √(1 − u) = 2 cos(θ/2 + π/4), nodes ζ_k = −√2 + 2√2 k/(n−1): nearly uniform in θ
//            (dζ/dθ ∈ [−1, −1/√2]), for amplitudes that vary on a scale ∝ (π − θ)² ∝ 1 + u next to θ = π (the
//            dot valve near the antiparallel state, docs/models/dotValve.md), where a u grid puts the whole
//            feature into its last interval.
// Both are computed on the device from u alone (one dot product, two square roots for ζ; no acos, whose WGSL
// accuracy is loose). On [x_k, x_k+1], with t = (x − x_k)/h and slopes from central differences (the end
// intervals use the quadratic extrapolations y_−1 = 3y_0 − 3y_1 + y_2, y_n = 3y_n−1 − 3y_n−2 + y_n−3; linear
// ones when n = 2),
//   a = y_k + ½t[(y_k+1 − y_k−1) + t((2y_k−1 − 5y_k + 4y_k+1 − y_k+2) + t(3(y_k − y_k+1) + y_k+2 − y_k−1))].
// It reproduces constants, linear and quadratic functions of x exactly and has an O(h³) error for smooth ones
// (test/llg.torqueTable.test.ts measures the order). An amplitude with a √(1 − u²) factor (∝ sin θ) converges
// only as √h next to u = ±1 on the u grid, where the torque directions m × p and m × (m × p) vanish anyway.
// shaders/llg/heun.wgsl (table_at) is the float32 twin.

export type TableGrid = 'u' | 'zeta';
export const TABLE_GRIDS: readonly TableGrid[] = ['u', 'zeta'];

export function checkNodes(n: number): void {
  if (!Number.isInteger(n) || n < 2 || n > 4096) throw new RangeError(`torque table: the number of nodes must be an integer in [2, 4096], got ${n}`);
}

/** The grid variable x(u) of a table, normalised to [0, 1] (0 at u = −1, 1 at u = +1). */
export function tablePosition(grid: TableGrid, u: number): number {
  const c = Math.min(1, Math.max(-1, u));
  if (grid === 'u') return 0.5 * (c + 1);
  return ((Math.sqrt(1 + c) - Math.sqrt(1 - c)) / Math.SQRT2 + 1) / 2;
}

/**
 * (sin θ, cos θ) of node k of an n-node table, exact at the ends (θ = π at k = 0, 0 at k = n − 1). On the ζ
 * grid, ζ = 2cos(θ/2 + π/4) gives sin θ = 1 − ζ²/2 and cos θ = ζ√(1 − ζ²/4) without cancellation.
 */
export function nodeAngle(grid: TableGrid, k: number, n: number): [number, number] {
  if (k === 0) return [0, -1];
  if (k === n - 1) return [0, 1];
  if (grid === 'u') { const u = -1 + (2 * k) / (n - 1); return [Math.sqrt(Math.max(0, (1 - u) * (1 + u))), u]; }
  const z = -Math.SQRT2 + (2 * Math.SQRT2 * k) / (n - 1);
  return [Math.max(0, 1 - (z * z) / 2), z * Math.sqrt(Math.max(0, 1 - (z * z) / 4))];
}

/** Nodes u_k of an n-node table. */
export function tableNodes(n: number, grid: TableGrid = 'u'): Float64Array {
  checkNodes(n);
  return Float64Array.from({ length: n }, (_, k) => nodeAngle(grid, k, n)[1]);
}

/** Tabulate a(u) on the n-node grid (e.g. a model's torque amplitude as a function of cos θ). */
export function tabulate(a: (u: number) => number, n: number, grid: TableGrid = 'u'): Float64Array {
  return Float64Array.from(tableNodes(n, grid), a);
}

/** Catmull–Rom value of the table y (n ≥ 2 nodes at offset o of `y`) at u (clamped to [−1, 1]). */
export function tableValue(y: ArrayLike<number>, o: number, n: number, u: number, grid: TableGrid = 'u'): number {
  const x = tablePosition(grid, u) * (n - 1);
  const k = Math.min(Math.floor(x), n - 2), t = x - k;
  const y1 = y[o + k], y2 = y[o + k + 1];
  const y0 = k > 0 ? y[o + k - 1] : n > 2 ? 3 * y1 - 3 * y2 + y[o + 2] : 2 * y1 - y2;
  const y3 = k + 2 < n ? y[o + k + 2] : n > 2 ? 3 * y2 - 3 * y1 + y[o + n - 3] : 2 * y2 - y1;
  return y1 + 0.5 * t * ((y2 - y0) + t * ((2 * y0 - 5 * y1 + 4 * y2 - y3) + t * (3 * (y1 - y2) + y3 - y0)));
}
