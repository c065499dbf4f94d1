// Seed 003 (Fransson, "Vibrationally induced magnetism in supramolecular aggregates"): the spin-pair
// Hamiltonians, for spin S of both spins, as one operator family (energies in meV, ħ = 1):
//
//   H = exchange · S1·S2 + exchangeZZ · S1^z S2^z + field1 · S1^z + field2 · S2^z
//       + Σ_m [ axial_m · (S_m^z)² + rhombic_m · ((S_m^x)² − (S_m^y)²) ]
//
// with S1·S2 = S1^z S2^z + (S1^+ S2^− + S1^− S2^+)/2 and (S^x)² − (S^y)² = ((S^+)² + (S^−)²)/2, all real in
// the product basis |m1 m2⟩ (index i1·(2S+1) + i2, m = S − i). Which paper term is which:
//
//  • Eq. 1, H_MQ = −J S1·S2 − Σ_mn ( S_m^z I_mn S_n^z + S_m^z A_mn·⟨Q_n⟩ ):
//      exchange = −J (J > 0 ferromagnetic), exchangeZZ = −(I_12 + I_21), axial_m = −I_mm
//      (a constant for S = 1/2, an on-site anisotropy for S ≥ 1), field_m = −h_m with h_m = Σ_n A_mn·⟨Q_n⟩.
//  • The k-pair after Eq. 4, H_k = S_k·(J_k S_k̄ + α_k ẑ) with α_k = A_k⟨Q_k̄⟩:
//      exchange = J_k (J_k > 0 antiferromagnetic), field1 = α_k, field2 = 0 ("first", as printed) or α_k
//      ("both": α_k (S_k^z + S_k̄^z), the alternative reading).
//  • Optional on-site anisotropy H_S (Eq. 3): axial D (S^z)² (D > 0 easy plane, D < 0 easy axis) and rhombic
//      E ((S^x)² − (S^y)²).
//
// Everything but the rhombic term commutes with the total M = S1^z + S2^z, so H is block diagonal in M
// (blocks of size 2S + 1 − |M|, tridiagonal in the basis ordered by m1). The rhombic term couples M to M ± 2
// and needs the dense (2S+1)² problem.
import { lowering, mValues, raising } from './spin.ts';

export interface PairHamiltonian {
  /** Spin length of both spins (positive half-integer). */
  S: number;
  /** Coefficient of S1·S2 (meV); > 0 antiferromagnetic. */
  exchange: number;
  /** Coefficient of S1^z S2^z (meV). */
  exchangeZZ: number;
  /** Coefficients of S1^z and S2^z (meV): a field that lowers m = −S for positive values. */
  field1: number;
  field2: number;
  /** Coefficients of (S_m^z)² (meV). */
  axial1: number;
  axial2: number;
  /** Coefficients of (S_m^x)² − (S_m^y)² (meV); non-zero breaks S^z conservation. */
  rhombic1: number;
  rhombic2: number;
}

export const PAIR_TERMS = ['exchange', 'exchangeZZ', 'field1', 'field2', 'axial1', 'axial2', 'rhombic1', 'rhombic2'] as const;

export function pairHamiltonian(S: number, terms: Partial<Omit<PairHamiltonian, 'S'>> = {}): PairHamiltonian {
  if (!Number.isInteger(2 * S) || S <= 0) throw new RangeError(`S must be a positive half-integer, got ${S}`);
  const h: PairHamiltonian = { S, exchange: 0, exchangeZZ: 0, field1: 0, field2: 0, axial1: 0, axial2: 0, rhombic1: 0, rhombic2: 0, ...terms };
  for (const k of PAIR_TERMS) if (!Number.isFinite(h[k])) throw new RangeError(`${k} must be a finite energy (meV), got ${h[k]}`);
  return h;
}

export type FieldOn = 'first' | 'both';
export const FIELD_ON: readonly FieldOn[] = ['first', 'both'];

/** H_k = J_k S_k·S_k̄ + α_k S_k^z (field on 'first', as printed) or α_k (S_k^z + S_k̄^z) ('both'), plus on-site anisotropy. */
export function kPair(o: { S: number; J: number; alpha: number; fieldOn?: FieldOn; axial?: number; rhombic?: number; exchangeZZ?: number }): PairHamiltonian {
  const both = (o.fieldOn ?? 'first') === 'both';
  return pairHamiltonian(o.S, {
    exchange: o.J, exchangeZZ: o.exchangeZZ ?? 0, field1: o.alpha, field2: both ? o.alpha : 0,
    axial1: o.axial ?? 0, axial2: o.axial ?? 0, rhombic1: o.rhombic ?? 0, rhombic2: o.rhombic ?? 0,
  });
}

/** Parameters of Eq. 1 (I row-major [I11, I12, I21, I22], h_m = Σ_n A_mn·⟨Q_n⟩). */
export interface Eq1Params { S: number; J: number; I: [number, number, number, number]; h: [number, number]; axial?: [number, number]; rhombic?: [number, number] }

/** h_m = Σ_n A_mn·⟨Q_n⟩ for z-projected couplings (A row-major [A11, A12, A21, A22], ⟨Q⟩ = [Q1, Q2]). */
export function displacementFields(A: [number, number, number, number], Q: [number, number]): [number, number] {
  return [A[0] * Q[0] + A[1] * Q[1], A[2] * Q[0] + A[3] * Q[1]];
}

/** Eq. 1 as an operator: H_MQ = −J S1·S2 − Σ_mn S_m^z I_mn S_n^z − Σ_m h_m S_m^z (+ optional on-site terms). */
export function dimerEq1(p: Eq1Params): PairHamiltonian {
  const [I11, I12, I21, I22] = p.I;
  return pairHamiltonian(p.S, {
    exchange: -p.J, exchangeZZ: -(I12 + I21), field1: -p.h[0], field2: -p.h[1],
    axial1: -I11 + (p.axial?.[0] ?? 0), axial2: -I22 + (p.axial?.[1] ?? 0), rhombic1: p.rhombic?.[0] ?? 0, rhombic2: p.rhombic?.[1] ?? 0,
  });
}

/** H commutes with M = S1^z + S2^z (no rhombic term). */
export const conservesSz = (h: PairHamiltonian): boolean => h.rhombic1 === 0 && h.rhombic2 === 0;

/** Per-spin dimension 2S + 1. */
export const spinDim = (S: number): number => Math.round(2 * S) + 1;

/** Diagonal element of H at (m1, m2). */
export function diagonalElement(h: PairHamiltonian, m1: number, m2: number): number {
  return (h.exchange + h.exchangeZZ) * m1 * m2 + h.field1 * m1 + h.field2 * m2 + h.axial1 * m1 * m1 + h.axial2 * m2 * m2;
}

/** The dense real-symmetric (2S+1)² × (2S+1)² matrix of H in the basis |m1 m2⟩, index i1·(2S+1) + i2. */
export function denseMatrix(h: PairHamiltonian): Float64Array {
  const m = mValues(h.S), ns = m.length, n = ns * ns, S = h.S;
  const H = new Float64Array(n * n);
  const at = (i1: number, i2: number) => i1 * ns + i2;
  const add = (r: number, c: number, v: number) => { H[r * n + c] += v; if (r !== c) H[c * n + r] += v; };
  for (let i1 = 0; i1 < ns; i1++) for (let i2 = 0; i2 < ns; i2++) {
    const m1 = m[i1], m2 = m[i2], c = at(i1, i2);
    H[c * n + c] += diagonalElement(h, m1, m2);
    // (exchange/2) S1^+ S2^−: |m1, m2⟩ → |m1 + 1, m2 − 1⟩ (and its transpose S1^− S2^+)
    if (i1 > 0 && i2 < ns - 1) add(at(i1 - 1, i2 + 1), c, (h.exchange / 2) * raising(S, m1) * lowering(S, m2));
    // (rhombic/2) (S^+)²: |m⟩ → |m + 2⟩ (and its transpose (S^−)²)
    if (i1 > 1 && h.rhombic1 !== 0) add(at(i1 - 2, i2), c, (h.rhombic1 / 2) * raising(S, m1) * raising(S, m1 + 1));
    if (i2 > 1 && h.rhombic2 !== 0) add(at(i1, i2 - 2), c, (h.rhombic2 / 2) * raising(S, m2) * raising(S, m2 + 1));
  }
  return H;
}

/** One M block: its states (i1, i2) ordered by i1 and its tridiagonal matrix (row-major n × n). */
export interface MBlock { M: number; i1: Int32Array; i2: Int32Array; matrix: Float64Array }

/** The 4S + 1 blocks of H (t = i1 + i2 = 2S − M from 0 to 4S); H must conserve S^z. */
export function mBlocks(h: PairHamiltonian): MBlock[] {
  if (!conservesSz(h)) throw new RangeError('mBlocks: the rhombic term breaks S^z conservation; use the dense matrix');
  const m = mValues(h.S), ns = m.length, S2 = ns - 1, out: MBlock[] = [];
  for (let t = 0; t <= 2 * S2; t++) {
    const lo = Math.max(0, t - S2), hi = Math.min(t, S2), n = hi - lo + 1;
    const i1 = Int32Array.from({ length: n }, (_, k) => lo + k), i2 = Int32Array.from(i1, x => t - x);
    const A = new Float64Array(n * n);
    for (let k = 0; k < n; k++) {
      const m1 = m[i1[k]], m2 = m[i2[k]];
      A[k * n + k] = diagonalElement(h, m1, m2);
      // state k + 1 = (m1 − 1, m2 + 1): (exchange/2) S1^− S2^+
      if (k + 1 < n) { const v = (h.exchange / 2) * lowering(S2 / 2, m1) * raising(S2 / 2, m2); A[k * n + k + 1] = v; A[(k + 1) * n + k] = v; }
    }
    out.push({ M: S2 - t, i1, i2, matrix: A });
  }
  return out;
}
