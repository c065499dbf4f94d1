// Float64 twin of shaders/granular/exchange.wgsl: the same rows, the same node tables, the same ω̂ series
// and tail, the same inner pieces, evaluated row by row. Integrands come from the model
// (src/models/granular/integrands.ts); the shader is their float32 transcription.
import { granularBands, type GranularBands, type GranularParams } from '../../models/granular/params.ts';
import {
  hepsIntegrand, hpIntegrand, hvIntegrand, iexPairFactor, lecIntegrand, llocIntegrand, type MomentumNode,
} from '../../models/granular/integrands.ts';
import { lensArea, omegaTail } from '../../models/granular/omega.ts';
import { buildRows, PAIR_COUNT, PAIR_SLOTS, ROW, ROW_U_STRIDE, ruleTables, type GranularRule, type GranularRows, type RuleTables } from './rows.ts';

export type GranularProgress = (done: number, total: number) => void;

/** ∫ q ω̂(q, a) ½A_lens(q; R1, R2) dq on the fixed q rule with the N-term series of ω̂ (the device's algorithm). */
export function lensOmegaFixed(T: RuleTables, R1: number, R2: number, a: number, d: number, N: number): number {
  const e1 = Math.exp(-a * d), A = a * a, step = Math.PI / d;
  const h = new Float64Array(N), kk = new Float64Array(N);
  for (let n = 1; n <= N; n++) {
    const k = n * step, k2 = k * k, f = 1 - (n % 2 === 1 ? -e1 : e1), den = A + k2;
    h[n - 1] = (k2 * f * f) / (den * den); kk[n - 1] = k2;
  }
  const om = (q: number) => {
    const Q = q * q;
    let s = 0;
    for (let n = 0; n < N; n++) s += h[n] / (kk[n] + Q);
    return (8 / d) * (s + omegaTail(A, Q, e1, d, N));
  };
  const lo = Math.abs(R1 - R2), span = R1 + R2 - lo;
  let sum = 0;
  if (lo > 0) {
    const half = 0.5 * Math.PI * Math.min(R1, R2) ** 2;
    for (let m = 0; m < T.qlu.length; m++) { const q = lo * T.qlu[m]; sum += lo * T.qlw[m] * q * om(q) * half; }
  }
  if (span > 0) {
    for (let m = 0; m < T.qs.length; m++) {
      const low = span * T.qs[m], q = lo + low;
      sum += span * T.qw[m] * q * om(q) * 0.5 * lensArea(q, R1, R2, Math.acos, span * T.qc[m], low);
    }
  }
  return sum;
}

function rowPartial(B: GranularBands, T: RuleTables, rows: GranularRows, r: number, nOmega: number): number {
  const o = r * ROW.stride, R = ROW.offsets, f = rows.f;
  const slot = rows.u[r * ROW_U_STRIDE + 1], { term, b1, b2 } = PAIR_SLOTS[slot];
  const n1: MomentumNode = { k: f[o + R.k1], fd: f[o + R.fd1], kap: f[o + R.kap1] };
  const mid = f[o + R.mid], fdMid = f[o + R.fdMid], hi = f[o + R.hi], fdHi = f[o + R.fdHi], dEF = f[o + R.shift];
  const k0sq = B.kappa0 * B.kappa0, d = B.p.d;
  const value = (n2: MomentumNode): number => {
    switch (term) {
      case 'hv': return hvIntegrand(B, b1, n2);
      case 'hp': return hpIntegrand(B, b1, b2, n1, n2);
      case 'heps': return hepsIntegrand(B, b1, b2, n1, n2, dEF);
      case 'lloc': return llocIntegrand(B, b1, b2, n1, n2);
      case 'lec': return lecIntegrand(B, b1, b2, n1, n2);
      case 'iex': {
        const pf = iexPairFactor(B, b1, b2, n1, n2);
        return pf * lensOmegaFixed(T, Math.sqrt(Math.max(0, n1.fd)), Math.sqrt(Math.max(0, n2.fd)), Math.abs(n1.kap - n2.kap), d, nOmega);
      }
    }
  };
  let s = 0;
  if (mid > 0) {
    for (let m = 0; m < T.lu.length; m++) {
      const k = mid * T.lu[m], fd = (mid - k) * (mid + k) + fdMid;
      s += mid * T.lw[m] * value({ k, fd, kap: Math.sqrt(k0sq + fd) });
    }
  }
  const L = hi - mid;
  if (L > 0) {
    for (let m = 0; m < T.gu.length; m++) {
      const k = mid + L * T.gu[m], fd = L * T.gc[m] * (hi + k) + fdHi;
      s += L * T.gw[m] * value({ k, fd, kap: Math.sqrt(k0sq + fd) });
    }
  }
  return s * f[o + R.w1];
}

/** Row partials (float64), the twin of the device's per-workgroup sums. */
export function rowPartialsCpu(params: GranularParams[], rows: GranularRows, rule: GranularRule, progress?: GranularProgress): Float64Array {
  const T = ruleTables(rule), bands = params.map(granularBands);
  const out = new Float64Array(rows.count);
  const every = Math.max(1, Math.floor(rows.count / 50));
  for (let r = 0; r < rows.count; r++) {
    const ip = rows.u[r * ROW_U_STRIDE];
    out[r] = rowPartial(bands[ip], T, rows, r, rows.nOmega[ip]);
    if ((r + 1) % every === 0 || r + 1 === rows.count) progress?.(r + 1, rows.count);
  }
  return out;
}

/** Fold row partials into PAIR_COUNT band-pair integrals per point (float64 sums). */
export function foldRows(rows: GranularRows, partials: ArrayLike<number>, points: number): Float64Array {
  const out = new Float64Array(points * PAIR_COUNT);
  for (let r = 0; r < rows.count; r++) out[rows.u[r * ROW_U_STRIDE] * PAIR_COUNT + rows.u[r * ROW_U_STRIDE + 1]] += partials[r];
  return out;
}

/** Scaled band-pair integrals, PAIR_COUNT per point (PAIR_SLOTS order), on the fixed rule, float64. */
export function granularPairsCpu(params: GranularParams[], rule: GranularRule, progress?: GranularProgress): Float64Array {
  const rows = buildRows(params, rule);
  return foldRows(rows, rowPartialsCpu(params, rows, rule, progress), params.length);
}
