// Small dense linear algebra (row-major, n ≤ ~12) shared by the LLG host and its CPU twin.

/**
 * Solve A x = b in place by Gaussian elimination with partial pivoting (A is destroyed, b becomes x).
 * The WGSL kernel (shaders/llg/heun.wgsl, solve_damping) follows the same pivoting steps.
 */
export function solveInPlace(a: Float64Array, b: Float64Array, n: number): void {
  for (let col = 0; col < n; col++) {
    let piv = col, best = Math.abs(a[col * n + col]);
    for (let r = col + 1; r < n; r++) { const v = Math.abs(a[r * n + col]); if (v > best) { best = v; piv = r; } }
    if (piv !== col) {
      for (let c = 0; c < n; c++) { const t = a[col * n + c]; a[col * n + c] = a[piv * n + c]; a[piv * n + c] = t; }
      const t = b[col]; b[col] = b[piv]; b[piv] = t;
    }
    const d = a[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col] / d;
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c] -= f * a[col * n + c];
      b[r] -= f * b[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let c = r + 1; c < n; c++) s -= a[r * n + c] * b[c];
    b[r] = s / a[r * n + r];
  }
}

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive semi-definite matrix C = L Lᵀ.
 * Semi-definite directions (pivot ≤ tol·max diag) get a zero column, so a noise covariance with
 * pinned or noiseless components factorises. Throws if C is not symmetric or has a negative direction.
 */
export function choleskyPsd(c: ArrayLike<number>, n: number, what = 'matrix'): Float64Array {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(c[i * n + i]));
  const tol = 1e-12 * maxDiag;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    if (Math.abs(c[i * n + j] - c[j * n + i]) > 1e-9 * Math.max(maxDiag, 1e-300)) throw new RangeError(`${what} must be symmetric (entry ${i},${j} ≠ ${j},${i})`);
  }
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = c[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] ** 2;
    if (d < -1e-9 * Math.max(maxDiag, 1e-300)) throw new RangeError(`${what} must be positive semi-definite (negative pivot ${d} in row ${j})`);
    if (d <= tol) continue; // zero column
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = c[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  // A skipped (zero) column is only right if C really had no weight there: check L Lᵀ = C.
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    for (let k = 0; k <= j; k++) s += l[i * n + k] * l[j * n + k];
    if (Math.abs(s - c[i * n + j]) > 1e-9 * Math.max(maxDiag, 1e-300)) throw new RangeError(`${what} must be positive semi-definite (no factor reproduces entry ${i},${j})`);
  }
  return l;
}
