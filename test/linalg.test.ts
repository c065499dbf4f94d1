// Dense linear algebra, the coupling tensor and the quadrature against exact answers.
import { describe, it, expect } from 'vitest';
import { choleskyPsd, solveInPlace } from '../src/numerics/linalg.ts';
import { couplingTensor, LlgProblem } from '../src/llg/index.ts';
import { integrate } from '../src/numerics/quadrature.ts';
import { cross3, dot3 } from '../src/numerics/vec3.ts';

/** Deterministic uniform(-1, 1) generator for test inputs (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

function matmul(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j]; c[i * n + j] = s; }
  return c;
}
function transpose(a: ArrayLike<number>, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
  return t;
}
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let d = 0; for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i])); return d; };

describe('solveInPlace', () => {
  it('solves a 3×3 system with an integer solution', () => {
    // 2x + y − z = 8, −3x − y + 2z = −11, −2x + y + 2z = −3 → (2, 3, −1); well conditioned, 1e-13.
    const a = Float64Array.from([2, 1, -1, -3, -1, 2, -2, 1, 2]);
    const b = Float64Array.from([8, -11, -3]);
    solveInPlace(a, b, 3);
    expect(maxAbsDiff(b, [2, 3, -1])).toBeLessThan(1e-13);
  });

  it('pivots: zero leading entry and a tiny pivot that would destroy accuracy without row exchange', () => {
    // [[0,1],[1,0]] x = [3,4] → x = (4,3): fails (division by 0) without pivoting.
    const a1 = Float64Array.from([0, 1, 1, 0]), b1 = Float64Array.from([3, 4]);
    solveInPlace(a1, b1, 2);
    expect(Array.from(b1)).toEqual([4, 3]);
    // [[1e-20, 1],[1, 1]] x = [1, 2] → x ≈ (1, 1); without pivoting x0 comes out 0.
    const a2 = Float64Array.from([1e-20, 1, 1, 1]), b2 = Float64Array.from([1, 2]);
    solveInPlace(a2, b2, 2);
    expect(maxAbsDiff(b2, [1, 1])).toBeLessThan(1e-15);
    // Permutation-like 4×4 with zeros on the diagonal.
    const a3 = Float64Array.from([0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0]);
    const b3 = Float64Array.from([2, 5, 9, 8]);
    solveInPlace(a3, b3, 4);
    expect(maxAbsDiff(b3, [5, 2, 1, 3])).toBeLessThan(1e-15);
  });

  it('recovers x from A x for random 12×12 systems (residual at rounding level)', () => {
    // Diagonally dominated random matrices: condition number O(10), so 1e-12 on x is generous.
    const r = rng(3);
    for (const n of [1, 2, 6, 12]) {
      const a = new Float64Array(n * n).map(() => r());
      for (let i = 0; i < n; i++) a[i * n + i] += n * (i % 2 ? 1 : -1);
      const x = new Float64Array(n).map(() => r());
      const b = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] += a[i * n + j] * x[j];
      solveInPlace(a.slice(), b, n);
      expect(maxAbsDiff(b, x)).toBeLessThan(1e-12);
    }
  });

  it('solves the LLG damping system (1 − M A) x = r with M = blockdiag([m_i]×)', () => {
    // The form used by the tensor-damping kernels: check the residual of the solution.
    const r = rng(5), n = 6;
    const m = [[0.6, 0, 0.8], [0, -1, 0]];
    const A = new Float64Array(n * n).map(() => 0.3 * r());
    const g = new Float64Array(n * n);
    for (let i = 0; i < 2; i++) for (let c = 0; c < n; c++) {
      const [mx, my, mz] = m[i], x = 3 * i;
      const a0 = A[x * n + c], a1 = A[(x + 1) * n + c], a2 = A[(x + 2) * n + c];
      g[x * n + c] = -(my * a2 - mz * a1); g[(x + 1) * n + c] = -(mz * a0 - mx * a2); g[(x + 2) * n + c] = -(mx * a1 - my * a0);
    }
    for (let k = 0; k < n; k++) g[k * n + k] += 1;
    const rhs = new Float64Array(n).map(() => r());
    const x = rhs.slice();
    solveInPlace(g.slice(), x, n);
    const back = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) back[i] += g[i * n + j] * x[j];
    expect(maxAbsDiff(back, rhs)).toBeLessThan(1e-14);
  });
});

describe('choleskyPsd', () => {
  it('reconstructs L Lᵀ = C for SPD matrices, with L lower-triangular and a positive diagonal', () => {
    const r = rng(11);
    for (const n of [1, 3, 6, 12]) {
      const b = new Float64Array(n * n).map(() => r());
      const c = matmul(b, transpose(b, n), n);
      for (let i = 0; i < n; i++) c[i * n + i] += 0.5; // strictly positive definite
      const l = choleskyPsd(c, n);
      for (let i = 0; i < n; i++) {
        expect(l[i * n + i]).toBeGreaterThan(0);
        for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
      }
      // entries O(n), rounding ~n·1e-16 relative
      expect(maxAbsDiff(matmul(l, transpose(l, n), n), c)).toBeLessThan(1e-13 * n);
    }
    // Known factor: [[4,2],[2,5]] = [[2,0],[1,2]]·[[2,1],[0,2]].
    expect(Array.from(choleskyPsd([4, 2, 2, 5], 2))).toEqual([2, 0, 1, 2]);
  });

  it('gives zero columns for a PSD singular matrix and still reconstructs it', () => {
    // Rank-1 3×3 C = v vᵀ, v = (1, 2, 2): L's first column is v, the others vanish.
    const v = [1, 2, 2];
    const c = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) c[i * 3 + j] = v[i] * v[j];
    const l = choleskyPsd(c, 3);
    expect(maxAbsDiff([l[0], l[3], l[6]], v)).toBeLessThan(1e-15);
    for (const k of [1, 2, 4, 5, 7, 8]) expect(l[k]).toBe(0);
    // Pinned-spin pattern: an all-zero block between noisy ones (6×6, spin 0 noiseless).
    const d = new Float64Array(36);
    for (let k = 3; k < 6; k++) d[k * 6 + k] = 2;
    d[3 * 6 + 4] = d[4 * 6 + 3] = 0.5;
    const l2 = choleskyPsd(d, 6);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 3; j++) expect(l2[i * 6 + j]).toBe(0);
    expect(maxAbsDiff(matmul(l2, transpose(l2, 6), 6), d)).toBeLessThan(1e-15);
    // The zero matrix factorises to zero.
    expect(Array.from(choleskyPsd(new Float64Array(4), 2))).toEqual([0, 0, 0, 0]);
  });

  it('throws for an indefinite or an asymmetric matrix, naming the matrix', () => {
    expect(() => choleskyPsd([1, 2, 2, 1], 2, 'noise covariance')).toThrow(/noise covariance must be positive semi-definite/);
    expect(() => choleskyPsd([-1, 0, 0, 1], 2)).toThrow(/positive semi-definite/);
    expect(() => choleskyPsd([1, 0.5, 0.4, 1], 2, 'noise covariance')).toThrow(/noise covariance must be symmetric/);
  });
});

describe('couplingTensor', () => {
  it('m_i·𝕁·m_j = J m_i·m_j + m_i·Γ·m_j + D·(m_i × m_j) for random vectors', () => {
    const r = rng(17);
    for (let t = 0; t < 200; t++) {
      const J = 2 * r(), D: [number, number, number] = [r(), r(), r()];
      const g = [r(), r(), r(), 0, r(), r(), 0, 0, r()];
      g[3] = g[1]; g[6] = g[2]; g[7] = g[5];
      const T = couplingTensor({ J, D, symmetric: g });
      const a = [r(), r(), r()], b = [r(), r(), r()];
      let lhs = 0, gab = 0;
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) { lhs += a[i] * T[3 * i + j] * b[j]; gab += a[i] * g[3 * i + j] * b[j]; }
      const rhs = J * dot3(a, b) + gab + dot3(D, cross3(a, b));
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-14); // O(1) terms, rounding only
    }
  });

  it('pure J is J·1, pure D is antisymmetric, and bad input is rejected', () => {
    expect(Array.from(couplingTensor({ J: 1.5 }))).toEqual([1.5, 0, 0, 0, 1.5, 0, 0, 0, 1.5]);
    const t = couplingTensor({ D: [1, 2, 3] });
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(t[3 * i + j] + t[3 * j + i]).toBe(0);
    // D = ẑ: m_i·𝕁·m_j = ẑ·(x̂ × ŷ) = 1 for m_i = x̂, m_j = ŷ
    expect(couplingTensor({ D: [0, 0, 1] })[1]).toBe(1);
    expect(() => couplingTensor({ symmetric: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toThrow(/symmetric/);
    expect(() => couplingTensor({ symmetric: [1, 2, 3] })).toThrow(/9 entries/);
    expect(() => couplingTensor({ J: NaN })).toThrow(/finite/);
  });
});

describe('integrate (adaptive Gauss–Kronrod)', () => {
  it('reproduces closed forms to its relative tolerance', () => {
    // default tolerance: relTol 1e-11; we accept 1e-10 relative
    const cases: [string, (x: number) => number, number, number, number][] = [
      ['x^7 on [0,2]', x => x ** 7, 0, 2, 32],
      ['sin on [0,π]', Math.sin, 0, Math.PI, 2],
      ['exp on [−1,3]', Math.exp, -1, 3, Math.exp(3) - Math.exp(-1)],
      ['1/(1+x²) on [0,1]', x => 1 / (1 + x * x), 0, 1, Math.PI / 4],
      ['√x on [0,1] (endpoint singularity of the derivative)', Math.sqrt, 0, 1, 2 / 3],
      ['narrow Gaussian on [−5,5]', x => Math.exp(-(x * x) / (2 * 0.01 ** 2)), -5, 5, 0.01 * Math.sqrt(2 * Math.PI)],
      ['ln x on [0,1] (integrable log singularity)', x => Math.log(x), 0, 1, -1],
      ['reversed limits: x² on [1,0]', x => x * x, 1, 0, -1 / 3],
    ];
    for (const [name, f, a, b, exact] of cases) {
      const { value, error } = integrate(f, a, b);
      expect(Math.abs(value - exact), name).toBeLessThan(1e-10 * Math.abs(exact));
      expect(error, name).toBeLessThan(1e-9 * Math.abs(exact));
    }
  });

  it('a 15-point rule is exact for polynomials of degree ≤ 22 in one interval', () => {
    const { value } = integrate(x => x ** 22, -1, 1, { maxIntervals: 1, absTol: 1, relTol: 1 });
    expect(Math.abs(value - 2 / 23)).toBeLessThan(1e-15);
  });

  it('throws on a non-finite integrand and when the tolerance cannot be met', () => {
    expect(() => integrate(x => 1 / (x - 0.5), 0, 1)).toThrow(/integrate/);
    expect(() => integrate(x => Math.sin(1 / x), 1e-6, 1, { maxIntervals: 5 })).toThrow(/tolerance/);
  });
});

describe('review regressions', () => {
  it('choleskyPsd rejects an indefinite matrix whose first pivot is zero (it used to drop the column)', () => {
    // eigenvalues of [[0,.5,0],[.5,1,0],[0,0,1]] include −0.207
    expect(() => choleskyPsd([0, 0.5, 0, 0.5, 1, 0, 0, 0, 1], 3, 'noise covariance')).toThrow(/noise covariance must be positive semi-definite/);
  });
  it('a negative spin index in a coupling is rejected instead of overwriting another spin', () => {
    expect(() => LlgProblem.fromPoints([{ temperature: 0, spins: [{}, {}], couplings: [{ i: -1, j: 0, J: 1 }] }])).toThrow(/coupling pair \(-1,0\) must be integers with 0 ≤ i < j < 2/);
  });
});
