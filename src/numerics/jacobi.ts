// Cyclic Jacobi eigensolver for small real-symmetric matrices (float64), the reference of the WGSL
// kernels in shaders/vibronic/ (same rotation formulas, same row-cyclic order; the device stops after a
// fixed number of sweeps or at float32 convergence, this twin at float64 convergence).
//
// One rotation annihilates a_pq (p < q):
//   θ = (a_qq − a_pp) / (2 a_pq),  t = sign(θ) / (|θ| + √(θ² + 1)),  c = 1/√(t² + 1),  s = t c,  τ = s/(1 + c)
//   a_pp −= t a_pq,  a_qq += t a_pq,  a_pq = a_qp = 0,
//   for r ≠ p, q:  a_rp ← a_rp − s (a_rq + τ a_rp),  a_rq ← a_rq + s (a_rp − τ a_rq)   (and the symmetric entries)
//   for every r:   v_rp ← v_rp − s (v_rq + τ v_rp),  v_rq ← v_rq + s (v_rp − τ v_rq)
// (Rutishauser's form, Numerical Recipes §11.1). Columns of V are the eigenvectors: A_in V = V diag(λ).

export interface SymmetricEigen {
  /** Eigenvalues, in the order of the columns of `vectors` (not sorted). */
  values: Float64Array;
  /** Row-major n × n; column k is the eigenvector of values[k]. */
  vectors: Float64Array;
  /** Sweeps performed. */
  sweeps: number;
  /** √(Σ_{p≠q} a_pq²) / √(Σ a²) left at the end. */
  residual: number;
}

/** |θ| beyond which θ² + 1 is replaced by θ² (t = 1/(2θ)); also used by the float32 kernels. */
export const JACOBI_THETA_BIG = 1e15;

/** The rotation (t, c, s, τ) that annihilates a_pq; null when a_pq = 0. */
export function jacobiRotation(app: number, aqq: number, apq: number): { t: number; c: number; s: number; tau: number } | null {
  if (apq === 0) return null;
  const theta = (aqq - app) / (2 * apq);
  const at = Math.abs(theta);
  let t = at > JACOBI_THETA_BIG ? 0.5 / theta : 1 / (at + Math.sqrt(theta * theta + 1));
  if (at <= JACOBI_THETA_BIG && theta < 0) t = -t;
  const c = 1 / Math.sqrt(t * t + 1), s = t * c;
  return { t, c, s, tau: s / (1 + c) };
}

/**
 * Eigen-decomposition of the real-symmetric row-major n × n matrix `a` (left unchanged) by cyclic Jacobi
 * sweeps until the off-diagonal norm is below `tol` times the Frobenius norm (or `maxSweeps`).
 */
export function jacobiEigen(a: ArrayLike<number>, n: number, opts: { tol?: number; maxSweeps?: number } = {}): SymmetricEigen {
  if (a.length !== n * n) throw new RangeError(`jacobiEigen: ${a.length} entries for an ${n} × ${n} matrix`);
  const tol = opts.tol ?? 1e-15, maxSweeps = opts.maxSweeps ?? 60;
  const A = Float64Array.from(a), V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let frob = 0;
  for (let i = 0; i < n * n; i++) {
    frob += A[i] * A[i];
    if (!Number.isFinite(A[i])) throw new RangeError(`jacobiEigen: entry ${Math.floor(i / n)},${i % n} is not finite (${A[i]})`);
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    if (Math.abs(A[i * n + j] - A[j * n + i]) > 1e-12 * Math.sqrt(frob)) throw new RangeError(`jacobiEigen: matrix is not symmetric (entry ${i},${j})`);
  }
  const { sweeps, residual } = jacobiInPlace(A, V, n, tol, maxSweeps, frob);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = A[i * n + i];
  return { values, vectors: V, sweeps, residual };
}

/**
 * Cyclic Jacobi sweeps on A (symmetric, both triangles, overwritten: its diagonal ends up holding the
 * eigenvalues) accumulating the rotations into V (start from the identity), until Σ_{p≠q} a_pq² ≤ tol² ‖A‖_F²
 * or maxSweeps. No allocation: the CPU twins call this for every block of every point.
 */
export function jacobiInPlace(A: Float64Array, V: Float64Array, n: number, tol = 1e-15, maxSweeps = 60, frob?: number): { sweeps: number; residual: number } {
  if (frob === undefined) { frob = 0; for (let i = 0; i < n * n; i++) frob += A[i] * A[i]; }
  const off = () => { let s = 0; for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) s += 2 * A[p * n + q] ** 2; return s; };
  let sweeps = 0, o = off();
  while (o > tol * tol * frob && sweeps < maxSweeps) {
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) rotate(A, V, n, p, q);
    sweeps++;
    o = off();
  }
  return { sweeps, residual: frob > 0 ? Math.sqrt(o / frob) : 0 };
}

/** One Jacobi rotation in the (p, q) plane of A (symmetric, both triangles kept) and V. */
export function rotate(A: Float64Array, V: Float64Array, n: number, p: number, q: number): void {
  const apq = A[p * n + q];
  const r = jacobiRotation(A[p * n + p], A[q * n + q], apq);
  if (!r) return;
  const { t, s, tau } = r;
  A[p * n + p] -= t * apq;
  A[q * n + q] += t * apq;
  A[p * n + q] = 0; A[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    if (k !== p && k !== q) {
      const g = A[k * n + p], h = A[k * n + q];
      const gp = g - s * (h + g * tau), hq = h + s * (g - h * tau);
      A[k * n + p] = gp; A[p * n + k] = gp;
      A[k * n + q] = hq; A[q * n + k] = hq;
    }
    const g = V[k * n + p], h = V[k * n + q];
    V[k * n + p] = g - s * (h + g * tau);
    V[k * n + q] = h + s * (g - h * tau);
  }
}
