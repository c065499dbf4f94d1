// Integration domains of the contributions: which band pairs enter, the outer (k₁) pieces with their kinks
// split off, the inner (k₂) limits per k₁, and the variable maps that make each piece smooth. Shared by the
// adaptive model (./terms.ts) and the fixed product rule of the device kernel (src/kernels/granular/rows.ts),
// so both integrate the same pieces.
//
// Kinks and endpoint singularities, and how they are removed:
// * δ = min(fd₁, fd₂) (H_P, L_Ec) has a kink on the curve fd₂ = fd₁, i.e. k₂ = g(k₁) = √(k_F2² − fd₁)
//   (the diagonal for the same band): the inner integral is split at g. Where g reaches 0 (k₁ = k₁⁰ =
//   √(k_F1² − k_F2²), cross pairs with k_F1 > k_F2), the inner integral behaves as (k₁ − k₁⁰)^{3/2}: the outer
//   integral is split there and each outer piece mapped by k = lo + (hi − lo) sin²(πu/2) (quadratic at both
//   ends: (k−lo)^{3/2} becomes u³, and the nodes cluster at the Fermi surface, where e^{−2κd} is largest).
// * H_hε: the weight w = fd₂ − max(0, fd₁) changes form at k₁ = k_F1 (split), the inner limit
//   k_up = √(k_F2² − max(0, fd₁)) starts as √(k₁ − k_lo) (same sin² map), and κ₁ = √(k_max1² − k₁²) has a
//   square-root end at k_max1, removed by k₁ = k_max1 sin φ on the empty-state piece.
// * Inner pieces: [0, mid] linear (a constant-δ strip) and [mid, hi] graded toward hi,
//   k = mid + (hi − mid)(1 − (1 − u)²): quadratic clustering at the Fermi end, like k = k_F sin θ.
import type { GranularBands } from './params.ts';
import type { MomentumNode } from './integrands.ts';

export const TERM_IDS = ['hv', 'hp', 'heps', 'lloc', 'lec', 'iex'] as const;
export type TermId = typeof TERM_IDS[number];

export const TERM_INFO: Record<TermId, { symbol: string; equation: string; description: string }> = {
  hv: { symbol: 'H_V', equation: 'Eq. 11, first term', description: 'first-order hopping: each electron’s tail in the other grain feels its s-d field' },
  hp: { symbol: 'H_P', equation: 'Eq. 11, second bracket', description: 'overlap (Pauli) part of the hopping exchange: non-orthogonal occupied states' },
  heps: { symbol: 'H_hε', equation: 'Eq. 12', description: 'second-order virtual hopping suppressed by the Coulomb blockade ε̃_c' },
  lloc: { symbol: 'L_loc', equation: 'Eq. 39', description: 'Coulomb exchange of the contact interaction ΩΔ/2 δ(r₁ − r₂) inside the grains' },
  lec: { symbol: 'L_Ec', equation: 'Eqs. 37–38', description: 'Coulomb exchange of the charging term 2E_c inside the grains (size effect)' },
  iex: { symbol: 'I_ex', equation: 'Eqs. 25–36', description: 'Coulomb exchange through the insulating gap (screened by the metal grains)' },
};

/**
 * Band pairs (b1, b2) a term sums over; for hv the pair (b, b) means band b. Both cross pairs are always
 * integrated (for I_ex, Sq₊₋ = Sq₋₊ analytically, but k₁ is the outer and k₂ the inner variable, so only
 * computing both keeps H(J_sd) = H(−J_sd) exact on the fixed rule).
 */
export function termCombos(term: TermId): [number, number][] {
  if (term === 'hv') return [[0, 0], [1, 1]];
  return [[0, 0], [1, 1], [0, 1], [1, 0]];
}

/** Outer piece in k₁: 'sin2' k = lo + (hi − lo) sin²(πu/2) (fd = (hi − k)(hi + k) + fdHi); 'arc' k = kmax sin φ. */
export type OuterPiece =
  | { map: 'sin2'; lo: number; hi: number; fdHi: number }
  | { map: 'arc'; kmax: number; kF: number; phi0: number }
  | { map: 'none' };

export interface MappedNode extends MomentumNode { jac: number }

export function outerNode(B: GranularBands, piece: OuterPiece, u: number): MappedNode {
  if (piece.map === 'none') return { k: 0, fd: 0, kap: 0, jac: 1 };
  if (piece.map === 'sin2') {
    const s = Math.sin(0.5 * Math.PI * u), c = Math.cos(0.5 * Math.PI * u), L = piece.hi - piece.lo;
    const k = piece.lo + L * s * s, top = L * c * c;                      // hi − k without cancellation
    const fd = top * (piece.hi + k) + piece.fdHi;
    return { k, fd, kap: Math.sqrt(B.kappa0 * B.kappa0 + fd), jac: L * Math.PI * s * c };
  }
  const span = 0.5 * Math.PI - piece.phi0, phi = piece.phi0 + span * u;
  const k = piece.kmax * Math.sin(phi), kap = piece.kmax * Math.cos(phi);
  return { k, fd: (piece.kF - k) * (piece.kF + k), kap, jac: kap * span };
}

/** The k₁ pieces of a term and band pair (empty when the pair has no states). */
export function outerPieces(B: GranularBands, term: TermId, b1: number, b2: number): OuterPiece[] {
  const kF1 = B.kF[b1], kF2 = B.kF[b2];
  if (term === 'hv') return kF1 > 0 ? [{ map: 'none' }] : [];
  if (term === 'heps') {
    const kmax1 = B.kmax[b1];
    if (!(kmax1 > 0) || !(kF2 > 0)) return [];
    const out: OuterPiece[] = [];
    const klo = kF1 > kF2 ? Math.sqrt((kF1 - kF2) * (kF1 + kF2)) : 0;
    if (kF1 > klo) out.push({ map: 'sin2', lo: klo, hi: kF1, fdHi: 0 });
    out.push({ map: 'arc', kmax: kmax1, kF: kF1, phi0: Math.asin(Math.min(1, kF1 / kmax1)) });
    return out;
  }
  if (!(kF1 > 0) || !(kF2 > 0)) return [];
  if ((term === 'hp' || term === 'lec') && kF1 > kF2) {
    const k10 = Math.sqrt((kF1 - kF2) * (kF1 + kF2));
    return [{ map: 'sin2', lo: 0, hi: k10, fdHi: kF2 * kF2 }, { map: 'sin2', lo: k10, hi: kF1, fdHi: 0 }];
  }
  return [{ map: 'sin2', lo: 0, hi: kF1, fdHi: 0 }];
}

/** Inner k₂ domain for a k₁ node: [0, mid] (linear; absent when mid = 0) and [mid, hi] (graded toward hi). */
export interface InnerLimits { mid: number; fdMid: number; hi: number; fdHi: number }

export function innerLimits(B: GranularBands, term: TermId, b1: number, b2: number, n1: MomentumNode): InnerLimits {
  const kF2 = B.kF[b2];
  if (term === 'hp' || term === 'lec') {
    const g2 = kF2 * kF2 - n1.fd;                  // g² = k_F2² − k_F1² + k₁²
    if (g2 > 0) {
      const g = Math.min(Math.sqrt(g2), kF2);
      return { mid: g, fdMid: n1.fd, hi: kF2, fdHi: 0 };
    }
    return { mid: 0, fdMid: 0, hi: kF2, fdHi: 0 };
  }
  if (term === 'heps') {
    const f = Math.max(0, n1.fd), up2 = kF2 * kF2 - f;
    return { mid: 0, fdMid: 0, hi: up2 > 0 ? Math.sqrt(up2) : 0, fdHi: f };
  }
  return { mid: 0, fdMid: 0, hi: term === 'hv' ? B.kF[b1] : kF2, fdHi: 0 };
}

/** Inner node on piece 1 ([0, mid], linear in u) or piece 2 ([mid, hi], graded toward hi). */
export function innerNode(B: GranularBands, lim: InnerLimits, piece: 1 | 2, u: number): MappedNode {
  if (piece === 1) {
    const k = lim.mid * u, top = lim.mid - k;
    const fd = top * (lim.mid + k) + lim.fdMid;
    return { k, fd, kap: Math.sqrt(B.kappa0 * B.kappa0 + fd), jac: lim.mid };
  }
  const L = lim.hi - lim.mid, v = 1 - u;
  const k = lim.mid + L * (1 - v * v), top = L * v * v;
  const fd = top * (lim.hi + k) + lim.fdHi;
  return { k, fd, kap: Math.sqrt(B.kappa0 * B.kappa0 + fd), jac: 2 * L * v };
}
