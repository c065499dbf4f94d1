// CPU twin (float64) of the Keldysh exchange kernel (shaders/exchange/*.wgsl): the same algorithm —
// lesser Green's functions on the grid, principal value by the FFT alternate-point rule, contraction
// into Pauli bilinears — plus the brute-force cross-check (direct double sum on a half-step offset grid).
import { c2, dagger2, type C2 } from '../../numerics/complex.ts';
import { JunctionGreens } from '../../models/junction/greens.ts';
import { accumulateBilinear, bilinearOffset, BILINEAR_FLOATS } from '../../models/junction/exchange.ts';
import type { JunctionParams } from '../../models/junction/params.ts';
import { principalValueCpu } from '../hilbert/cpu.ts';
import type { EnergyGrid } from './grid.ts';

/** Complex rows of G^< per parameter point that go through the principal-value transform. */
export const PV_ROWS = 8;
const TRANSPOSE = [0, 2, 1, 3];

/**
 * Pack the independent entries of G^< into 8 complex rows (row r, entry k at [r*N + k]):
 * diagonal blocks are anti-Hermitian, so (00, 11) imaginary parts share row 0 (2), the 01 entry is
 * row 1 (3); the 12 block fills rows 4–7; G^<_21 = −(G^<_12)†.
 */
export function packLesser(lesser: C2[], k: number, N: number, re: Float64Array, im: Float64Array): void {
  const put = (row: number, r: number, i: number) => { re[row * N + k] = r; im[row * N + k] = i; };
  put(0, lesser[0][1], lesser[0][7]); put(1, lesser[0][2], lesser[0][3]);
  put(2, lesser[3][1], lesser[3][7]); put(3, lesser[3][2], lesser[3][3]);
  for (let e = 0; e < 4; e++) put(4 + e, lesser[1][2 * e], lesser[1][2 * e + 1]);
}

/** Rebuild K^<_mn = P∫ G^<_mn(ε')/(ε' − ε_k) dε' for the four blocks from the transformed rows. */
export function unpackLesserPV(re: Float64Array, im: Float64Array, k: number, N: number): C2[] {
  const g = (row: number): [number, number] => [re[row * N + k], im[row * N + k]];
  const diag = (r0: number, r1: number) => {
    const [a, b] = g(r0), [xr, xi] = g(r1);
    return Float64Array.of(0, a, xr, xi, -xr, xi, 0, b); // i·PV(Im G00), PV(G01), −conj, i·PV(Im G11)
  };
  const k11 = diag(0, 1), k22 = diag(2, 3), k12 = c2();
  for (let e = 0; e < 4; e++) [k12[2 * e], k12[2 * e + 1]] = g(4 + e);
  const k21 = dagger2(k12); for (let i = 0; i < 8; i++) k21[i] = -k21[i];
  return [k11, k12, k21, k22];
}

/** Add iπ(Gʳ_nm + Gᵃ_nm) to K^<_nm: the principal value of G^> − G^< = Gʳ − Gᵃ is analytic. */
export function greaterPV(kLess: C2[], retarded: C2[]): C2[] {
  return kLess.map((K, blk) => {
    const gr = retarded[blk], ga = dagger2(retarded[TRANSPOSE[blk]]), out = Float64Array.from(K);
    for (let e = 0; e < 4; e++) {
      const sr = gr[2 * e] + ga[2 * e], si = gr[2 * e + 1] + ga[2 * e + 1];
      out[2 * e] += -Math.PI * si; out[2 * e + 1] += Math.PI * sr;
    }
    return out;
  });
}

/** Accumulate the four bilinear kinds at one energy with weight w. */
export function contractAt(acc: Float64Array, base: number, lesser: C2[], greater: C2[], kLess: C2[], kGreat: C2[], w: number): void {
  for (let blk = 0; blk < 4; blk++) {
    const nm = TRANSPOSE[blk];
    accumulateBilinear(acc, base + bilinearOffset(blk, 0), greater[blk], kLess[nm], w);
    accumulateBilinear(acc, base + bilinearOffset(blk, 1), lesser[blk], kGreat[nm], w);
    accumulateBilinear(acc, base + bilinearOffset(blk, 2), greater[blk], lesser[nm], w);
    accumulateBilinear(acc, base + bilinearOffset(blk, 3), lesser[blk], greater[nm], w);
  }
}

/** Pauli bilinears (BILINEAR_FLOATS per point) of every parameter point, by the FFT principal value. */
export function exchangeBilinearsCpu(points: JunctionParams[], grid: EnergyGrid): Float64Array {
  const { N, h, lo } = grid, out = new Float64Array(points.length * BILINEAR_FLOATS);
  const re = new Float64Array(PV_ROWS * N), im = new Float64Array(PV_ROWS * N);
  points.forEach((p, i) => {
    const gf = new JunctionGreens(p);
    for (let k = 0; k < N; k++) packLesser(gf.keldysh(lo + k * h).lesser, k, N, re, im);
    const pv = principalValueCpu(re, im, PV_ROWS, N);
    for (let k = 0; k < N; k++) {
      const g = gf.keldysh(lo + k * h), kl = unpackLesserPV(pv.re, pv.im, k, N);
      contractAt(out, i * BILINEAR_FLOATS, g.lesser, g.greater, kl, greaterPV(kl, g.retarded), h);
    }
  });
  return out;
}

/**
 * Brute force: P∫∫ by the direct double sum with ε' on the half-step offset grid ε_k + (j − k + ½)h,
 * for G^< and G^> alike (no FFT, no analytic shortcut). O(N²): a cross-check for small grids.
 */
export function exchangeBilinearsOffsetGrid(p: JunctionParams, grid: EnergyGrid): Float64Array {
  const { N, h, lo } = grid, out = new Float64Array(BILINEAR_FLOATS), gf = new JunctionGreens(p);
  const at = Array.from({ length: N }, (_, k) => gf.keldysh(lo + k * h));
  const off = Array.from({ length: N }, (_, j) => gf.keldysh(lo + (j + 0.5) * h));
  const kl = Array.from({ length: 4 }, () => c2()), kg = Array.from({ length: 4 }, () => c2());
  for (let k = 0; k < N; k++) {
    for (let b = 0; b < 4; b++) { kl[b].fill(0); kg[b].fill(0); }
    for (let j = 0; j < N; j++) {
      const w = 1 / (j - k + 0.5), o = off[j];
      for (let b = 0; b < 4; b++) for (let e = 0; e < 8; e++) { kl[b][e] += w * o.lesser[b][e]; kg[b][e] += w * o.greater[b][e]; }
    }
    contractAt(out, 0, at[k].lesser, at[k].greater, kl, kg, h);
  }
  return out;
}
