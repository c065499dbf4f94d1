// Exchange tensors of the junction dimer from its Keldysh Green's functions (seed 000, Eqs. 3–5).
//
// Derivation used by the engine (see README "Junction exchange"): the static retarded spin
// susceptibility of the leads-plus-dimer electrons,
//   χ^{ab}_mn = (1/4) ∫∫ dε dε'/(2π)² Tr[σᵃ G^>_mn(ε) σᵇ G^<_nm(ε') − σᵃ G^<_mn(ε) σᵇ G^>_nm(ε')] / (ε' − ε + i0),
// gives the field on S_m from S_n, B_m = C_mn S_n with C_mn = −J_m J_n Re χ_mn, i.e. the pair energy
// E = −S_1·C_12·S_2 (positive C favours parallel spins). 1/(x + i0) = P/x − iπδ(x) splits each
// quantity into a principal-value part (a double integral, done as ∫ X(ε) K[Y](ε) dε with
// K[Y](ε) = P∫ Y(ε')/(ε' − ε) dε') and a δ part (a single integral).
//
// Everything — χ and the paper's printed Eqs. 5a–5c — is a linear combination of the Pauli
// bilinears of four products, per block (m, n), with x_p = Tr(σᵖX)/2 (so X = Σ_p x_p σᵖ):
//   P1^{pq} = ∫ x_p[G^>_mn] y_q[K^<_nm] dε      P2^{pq} = ∫ x_p[G^<_mn] y_q[K^>_nm] dε
//   δ1^{pq} = ∫ x_p[G^>_mn] y_q[G^<_nm] dε      δ2^{pq} = ∫ x_p[G^<_mn] y_q[G^>_nm] dε
// which is what both the CPU twin and the WGSL kernel accumulate (16 complex numbers each).
import { PAULI, mul2, pauliParts, traceMul2, type C2 } from '../../numerics/complex.ts';

/** Number of bilinear kinds (P1, P2, δ1, δ2) and components per block. */
export const KINDS = 4;
export const PQ = 16;
/** Floats of accumulated bilinears per parameter point: 4 blocks × 4 kinds × 16 × (re, im). */
export const BILINEAR_FLOATS = 4 * KINDS * PQ * 2;

/** T[a][p][b][q] = Tr[σᵃ σᵖ σᵇ σ^q] (complex), a, b, p, q ∈ {0, x, y, z}. */
const TRACE4: Float64Array = (() => {
  const t = new Float64Array(256 * 2);
  for (let a = 0; a < 4; a++) for (let p = 0; p < 4; p++) for (let b = 0; b < 4; b++) for (let q = 0; q < 4; q++) {
    const [re, im] = traceMul2(mul2(PAULI[a], PAULI[p]), mul2(PAULI[b], PAULI[q]));
    const i = ((a * 4 + p) * 4 + b) * 4 + q;
    t[2 * i] = re; t[2 * i + 1] = im;
  }
  return t;
})();

/** Add w·x_p·y_q (p, q = 0..3) of 2×2 blocks X, Y into acc[off + 2(4p+q) (+1)]. */
export function accumulateBilinear(acc: Float64Array, off: number, X: C2, Y: C2, w: number): void {
  const x = pauliParts(X), y = pauliParts(Y);
  for (let p = 0; p < 4; p++) for (let q = 0; q < 4; q++) {
    const xr = x[2 * p], xi = x[2 * p + 1], yr = y[2 * q], yi = y[2 * q + 1];
    const k = off + 2 * (4 * p + q);
    acc[k] += w * (xr * yr - xi * yi); acc[k + 1] += w * (xr * yi + xi * yr);
  }
}

/** Offset of (block, kind) in a BILINEAR_FLOATS vector. */
export function bilinearOffset(block: number, kind: number): number { return (block * KINDS + kind) * PQ * 2; }

/** Blocks (m, n) → index 2m + n; the transposed block (n, m). */
const TRANSPOSE = [0, 2, 1, 3];

export interface ComplexTensor { re: Float64Array; im: Float64Array }

export interface BlockExchange {
  /** Static susceptibility χ^{ab}_mn (a, b = x, y, z; row-major 3×3), meV⁻¹: principal-value and δ parts. */
  chiPV: ComplexTensor;
  chiDelta: ComplexTensor;
  /** Coupling C^{ab}_mn = −J_m J_n Re(χ_PV + χ_δ) (meV): the field on S_m is C_mn·S_n. */
  C: Float64Array;
  /** The paper's Eq. 5a (scalar), 5b (3×3 dyad) and 5c (vector) as printed, ω → 0, meV (complex). */
  paperJ: [number, number];
  paperI: ComplexTensor;
  paperD: ComplexTensor;
}

/**
 * Turn accumulated bilinears (already multiplied by the energy step) into tensors for all four
 * blocks. J = [J_1, J_2] (meV).
 */
export function exchangeFromBilinears(bil: Float64Array, base: number, J: [number, number]): BlockExchange[] {
  const get = (block: number, kind: number, p: number, q: number): [number, number] => {
    const k = base + bilinearOffset(block, kind) + 2 * (4 * p + q);
    return [bil[k], bil[k + 1]];
  };
  const out: BlockExchange[] = [];
  for (let blk = 0; blk < 4; blk++) {
    const m = blk >> 1, n = blk & 1, JJ = J[m] * J[n];
    const chiPV = { re: new Float64Array(9), im: new Float64Array(9) }, chiDelta = { re: new Float64Array(9), im: new Float64Array(9) };
    const C = new Float64Array(9);
    for (let a = 1; a < 4; a++) for (let b = 1; b < 4; b++) {
      let pr = 0, pi = 0, dr = 0, di = 0;
      for (let p = 0; p < 4; p++) for (let q = 0; q < 4; q++) {
        const ti = 2 * (((a * 4 + p) * 4 + b) * 4 + q), tr = TRACE4[ti], tim = TRACE4[ti + 1];
        const [p1r, p1i] = get(blk, 0, p, q), [p2r, p2i] = get(blk, 1, p, q);
        const [d1r, d1i] = get(blk, 2, p, q), [d2r, d2i] = get(blk, 3, p, q);
        const sr = p1r - p2r, si = p1i - p2i, er = d1r - d2r, ei = d1i - d2i;
        pr += tr * sr - tim * si; pi += tr * si + tim * sr;
        // −iπ (δ1 − δ2)
        const ur = Math.PI * ei, ui = -Math.PI * er;
        dr += tr * ur - tim * ui; di += tr * ui + tim * ur;
      }
      const k = 3 * (a - 1) + (b - 1), c = 1 / (16 * Math.PI * Math.PI);
      chiPV.re[k] = c * pr; chiPV.im[k] = c * pi; chiDelta.re[k] = c * dr; chiDelta.im[k] = c * di;
      C[k] = -JJ * c * (pr + dr);
    }
    // Paper's printed forms, prefactor J_mJ_n/2 · 1/(2π)² for 5a/5b and J_mJ_n/4 · 1/(2π) for 5c.
    const c5 = JJ / (8 * Math.PI * Math.PI), c5c = JJ / (8 * Math.PI), tb = TRANSPOSE[blk];
    let jr = 0, ji = 0;
    const sgn = [1, -1, -1, -1];
    for (let p = 0; p < 4; p++) {
      const [p1r, p1i] = get(blk, 0, p, p), [p2r, p2i] = get(blk, 1, p, p);
      jr += sgn[p] * (p2r - p1r); ji += sgn[p] * (p2i - p1i);
    }
    const paperI = { re: new Float64Array(9), im: new Float64Array(9) }, paperD = { re: new Float64Array(3), im: new Float64Array(3) };
    for (let a = 1; a < 4; a++) {
      for (let b = 1; b < 4; b++) {
        const [a1r, a1i] = get(blk, 1, a, b), [b1r, b1i] = get(blk, 0, a, b), [c1r, c1i] = get(tb, 0, b, a), [d1r, d1i] = get(blk, 1, b, a);
        const k = 3 * (a - 1) + (b - 1);
        paperI.re[k] = c5 * (a1r - b1r - c1r + d1r); paperI.im[k] = c5 * (a1i - b1i - c1i + d1i);
      }
      const [e1r, e1i] = get(blk, 2, 0, a), [e2r, e2i] = get(blk, 3, a, 0);
      paperD.re[a - 1] = c5c * (-e1r - e2r); paperD.im[a - 1] = c5c * (-e1i - e2i);
    }
    out.push({ chiPV, chiDelta, C, paperJ: [c5 * jr, c5 * ji], paperI, paperD });
  }
  return out;
}

export interface PairCoupling {
  /** Pair tensor in the LLG core's convention E = −S₁·𝕁·S₂ (meV), counted once: (C₁₂ + C₂₁ᵀ)/2. */
  tensor: Float64Array;
  Czz: number;
  Cxx: number;
  /** DM: E ⊃ −Dz (S₁ × S₂)_z, i.e. the antisymmetric part (𝕁ˣʸ − 𝕁ʸˣ)/2 (meV). */
  Dz: number;
  D: [number, number, number];
  /** max |C₁₂ − C₂₁ᵀ|: out of equilibrium the fields on the two spins need not derive from one energy. */
  nonreciprocal: number;
  /**
   * Non-reciprocal antisymmetric (DM-like) part, z component: ([C₁₂]ₐ − [C₂₁ᵀ]ₐ)/2 with [X]ₐ = (Xˣʸ − Xʸˣ)/2.
   * It rotates both spins the same way, so it is a torque, not an energy; the LLG core's pair
   * tensor cannot carry it (see README).
   */
  DzNonreciprocal: number;
}

export function pairCoupling(blocks: BlockExchange[]): PairCoupling {
  const c12 = blocks[1].C, c21 = blocks[2].C, t = new Float64Array(9);
  let nonrec = 0;
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
    t[3 * a + b] = (c12[3 * a + b] + c21[3 * b + a]) / 2;
    nonrec = Math.max(nonrec, Math.abs(c12[3 * a + b] - c21[3 * b + a]));
  }
  const D: [number, number, number] = [(t[5] - t[7]) / 2, (t[6] - t[2]) / 2, (t[1] - t[3]) / 2];
  const dnr = ((c12[1] - c12[3]) - (c21[3] - c21[1])) / 4;
  return { tensor: t, Czz: t[8], Cxx: (t[0] + t[4]) / 2, Dz: D[2], D, nonreciprocal: nonrec, DzNonreciprocal: dnr };
}
