// CPU (float64) twin of the spin-pair ED kernels: the same rows in, the same result rows out, the same
// algorithm (M blocks or the dense matrix, cyclic Jacobi, thermal weights with E_0 subtracted), run to
// float64 convergence. Buffers are allocated once per batch, not per point.
import { jacobiInPlace } from '../../numerics/jacobi.ts';
import { denseMatrix, pairHamiltonian, spinDim, PAIR_TERMS, type PairHamiltonian } from '../../models/vibronic/hamiltonian.ts';
import { lowering, mValues, raising } from '../../models/vibronic/spin.ts';
import { DEGENERACY_TOL } from '../../models/vibronic/spectrum.ts';
import { POINT_ROW, POINT_STRIDE, RESULT_ROW, RESULT_STRIDE } from './layout.ts';

export type PairPath = 'blocks' | 'dense';

export interface PairBatch {
  /** Spin of both spins. */
  S: number;
  /** count × POINT_STRIDE (layout.ts POINT_ROW). */
  rows: Float64Array;
  /** Also return every point's spectrum (ascending). */
  spectrum?: boolean;
  /** 'auto' (default): blocks unless some row has a rhombic term. */
  path?: 'auto' | PairPath;
}

export interface PairBatchResult {
  path: PairPath;
  count: number;
  /** count × RESULT_STRIDE (layout.ts RESULT_ROW). */
  results: Float64Array;
  /** count × (2S+1)², ascending per point; null unless asked. */
  spectrum: Float64Array | null;
  seconds: number;
  /** Device dispatches (0 on the CPU); the block path runs up to POINTS_PER_DISPATCH points in one. */
  dispatches: number;
}

export type PairProgress = (done: number, total: number) => void;

export function batchCount(b: PairBatch): number {
  if (b.rows.length % POINT_STRIDE !== 0) throw new RangeError(`pair batch: ${b.rows.length} values is not a whole number of ${POINT_STRIDE}-value rows`);
  return b.rows.length / POINT_STRIDE;
}

/** The path a batch takes: blocks unless forced dense or some row breaks S^z conservation. */
export function batchPath(b: PairBatch): PairPath {
  const want = b.path ?? 'auto';
  if (want === 'dense') return 'dense';
  const o = POINT_ROW.offsets;
  let rhombic = false;
  for (let at = 0; at < b.rows.length; at += POINT_STRIDE) if (b.rows[at + o.rhombic1] !== 0 || b.rows[at + o.rhombic2] !== 0) { rhombic = true; break; }
  if (rhombic && want === 'blocks') throw new RangeError('pair batch: path blocks asked for, but a rhombic term breaks S^z conservation');
  return rhombic ? 'dense' : 'blocks';
}

/** The Hamiltonian of one row. */
export function rowHamiltonian(S: number, rows: ArrayLike<number>, i: number): PairHamiltonian {
  const o = POINT_ROW.offsets, at = i * POINT_STRIDE, t: Partial<PairHamiltonian> = {};
  for (const k of PAIR_TERMS) t[k] = rows[at + o[k]];
  return pairHamiltonian(S, t);
}

/** Weights, moments and E_0 from the levels (en, s1, s2 of length d) at k_BT = kT: the kernels' reduction. */
function reduce(en: Float64Array, s1: Float64Array, s2: Float64Array, kT: number, out: Float64Array, at: number, residual: number): void {
  let e0 = Infinity, emax = -Infinity;
  for (let k = 0; k < en.length; k++) { if (en[k] < e0) e0 = en[k]; if (en[k] > emax) emax = en[k]; }
  const tol = DEGENERACY_TOL * (emax - e0);
  let Z = 0, a = 0, b = 0;
  for (let k = 0; k < en.length; k++) {
    const w = kT === 0 ? (en[k] - e0 <= tol ? 1 : 0) : Math.exp(-(en[k] - e0) / kT);
    Z += w; a += w * s1[k]; b += w * s2[k];
  }
  const o = RESULT_ROW.offsets;
  out[at + o.moment1] = a / Z; out[at + o.moment2] = b / Z; out[at + o.groundEnergy] = e0; out[at + o.residual] = residual;
}

export function pairBatchCpu(b: PairBatch, progress?: PairProgress): PairBatchResult {
  const t0 = performance.now();
  const count = batchCount(b), path = batchPath(b), S = b.S, ns = spinDim(S), d = ns * ns, S2 = ns - 1;
  const m = mValues(S), lo = Float64Array.from(m, x => lowering(S, x)), up = Float64Array.from(m, x => raising(S, x));
  const results = new Float64Array(count * RESULT_STRIDE), spectrum = b.spectrum ? new Float64Array(count * d) : null;
  const en = new Float64Array(d), s1 = new Float64Array(d), s2 = new Float64Array(d);
  const o = POINT_ROW.offsets, rows = b.rows, every = Math.max(1, Math.floor(count / 100));
  // per block size n: scratch A, V
  const scratch = Array.from({ length: path === 'dense' ? d + 1 : ns + 1 }, (_, n) => (n > 0 && (path === 'blocks' || n === d) ? { A: new Float64Array(n * n), V: new Float64Array(n * n) } : null));
  for (let i = 0; i < count; i++) {
    const at = i * POINT_STRIDE;
    const ex = rows[at + o.exchange], diagJ = ex + rows[at + o.exchangeZZ];
    const f1 = rows[at + o.field1], f2 = rows[at + o.field2], d1 = rows[at + o.axial1], d2 = rows[at + o.axial2];
    let residual = 0;
    if (path === 'blocks') {
      let lvl = 0;
      for (let t = 0; t <= 2 * S2; t++) {
        const first = Math.max(0, t - S2), n = Math.min(t, S2) - first + 1, M = S2 - t;
        const { A, V } = scratch[n]!;
        A.fill(0); V.fill(0);
        for (let k = 0; k < n; k++) {
          const i1 = first + k, i2 = t - i1, m1 = m[i1], m2 = m[i2];
          A[k * n + k] = diagJ * m1 * m2 + f1 * m1 + f2 * m2 + d1 * m1 * m1 + d2 * m2 * m2;
          if (k + 1 < n) { const v = 0.5 * ex * lo[i1] * up[i2]; A[k * n + k + 1] = v; A[(k + 1) * n + k] = v; }
          V[k * n + k] = 1;
        }
        if (n > 1) residual = Math.max(residual, jacobiInPlace(A, V, n).residual);
        for (let k = 0; k < n; k++) {
          let a = 0;
          for (let r = 0; r < n; r++) a += V[r * n + k] * V[r * n + k] * m[first + r];
          en[lvl] = A[k * n + k]; s1[lvl] = a; s2[lvl] = M - a; lvl++;
        }
      }
    } else {
      const { A, V } = scratch[d]!;
      A.set(denseMatrix(rowHamiltonian(S, rows, i)));
      V.fill(0);
      for (let k = 0; k < d; k++) V[k * d + k] = 1;
      residual = jacobiInPlace(A, V, d).residual;
      for (let k = 0; k < d; k++) {
        let a = 0, c = 0;
        for (let r = 0; r < d; r++) { const w = V[r * d + k] * V[r * d + k]; a += w * m[Math.floor(r / ns)]; c += w * m[r % ns]; }
        en[k] = A[k * d + k]; s1[k] = a; s2[k] = c;
      }
    }
    reduce(en, s1, s2, rows[at + o.kT], results, i * RESULT_STRIDE, residual);
    if (spectrum) { const sorted = Float64Array.from(en).sort(); spectrum.set(sorted, i * d); }
    if ((i + 1) % every === 0 || i + 1 === count) progress?.(i + 1, count);
  }
  return { path, count, results, spectrum, seconds: (performance.now() - t0) / 1000, dispatches: 0 };
}
