// Angle-dependent spin-torque amplitudes a(u), u = m·p = cos θ, tabulated per parameter point on the
// uniform grid u_k = −1 + 2k/(n−1), k = 0…n−1, and interpolated by Catmull–Rom cubics: on [u_k, u_k+1],
// with t = (u − u_k)/h and slopes from central differences (the end intervals use the quadratic
// extrapolations y_−1 = 3y_0 − 3y_1 + y_2, y_n = 3y_n−1 − 3y_n−2 + y_n−3; linear ones when n = 2),
//   a = y_k + ½t[(y_k+1 − y_k−1) + t((2y_k−1 − 5y_k + 4y_k+1 − y_k+2) + t(3(y_k − y_k+1) + y_k+2 − y_k−1))].
// It reproduces constants, linear and quadratic functions exactly and has an O(h³) error for smooth a(u)
// (test/llg.torqueTable.test.ts measures the order). Why a grid in cos θ: the device gets u from one dot
// product, with no acos (whose WGSL accuracy is loose), and physical amplitudes are smooth in m·p; an
// amplitude with a √(1 − u²) factor (∝ sin θ) converges only as √h next to u = ±1, where the torque
// directions m × p and m × (m × p) vanish anyway. shaders/llg/heun.wgsl (torque_table) is the float32 twin.

/** Nodes u_k of an n-node table. */
export function tableNodes(n: number): Float64Array {
  checkNodes(n);
  return Float64Array.from({ length: n }, (_, k) => -1 + (2 * k) / (n - 1));
}

export function checkNodes(n: number): void {
  if (!Number.isInteger(n) || n < 2 || n > 4096) throw new RangeError(`torque table: the number of nodes must be an integer in [2, 4096], got ${n}`);
}

/** Tabulate a(u) on the n-node grid (e.g. a model's torque amplitude as a function of cos θ). */
export function tabulate(a: (u: number) => number, n: number): Float64Array {
  return Float64Array.from(tableNodes(n), a);
}

/** Catmull–Rom value of the table y (n ≥ 2 nodes at offset o of `y`) at u (clamped to [−1, 1]). */
export function tableValue(y: ArrayLike<number>, o: number, n: number, u: number): number {
  const x = Math.min(Math.max((u + 1) * 0.5 * (n - 1), 0), n - 1);
  const k = Math.min(Math.floor(x), n - 2), t = x - k;
  const y1 = y[o + k], y2 = y[o + k + 1];
  const y0 = k > 0 ? y[o + k - 1] : n > 2 ? 3 * y1 - 3 * y2 + y[o + 2] : 2 * y1 - y2;
  const y3 = k + 2 < n ? y[o + k + 2] : n > 2 ? 3 * y2 - 3 * y1 + y[o + n - 3] : 2 * y2 - y1;
  return y1 + 0.5 * t * ((y2 - y0) + t * ((2 * y0 - 5 * y1 + 4 * y2 - y3) + t * (3 * (y1 - y2) + y3 - y0)));
}
