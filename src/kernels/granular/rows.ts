// The fixed product rule of the granular exchange kernel, shared by the WGSL host (./webgpu.ts) and the
// float64 twin (./cpu.ts): node tables (generated here from the Kronrod nodes of src/numerics/quadrature.ts
// and injected into the shader, never copied), per-point rows and per-"row" descriptors.
//
// A row is one outer node k₁ of one band pair (b1, b2) of one term at one sweep point. The host builds it in
// float64 (k₁, fd₁ = k_F1² − k₁², κ₁, the outer weight × Jacobian, the inner limits of ../../models/granular/
// domains.ts). The device gives each row one workgroup; its invocations take the inner k₂ nodes (piece 1:
// [0, mid] linear, piece 2: [mid, hi] graded toward hi), and for I_ex each runs the q rule (piece [0, |R₁−R₂|]
// linear, lens piece mapped by sin²) with the truncated sine series of ω̂ (N terms per point) at every q node.
// The workgroup sum, times the outer weight, is the row's partial; the host folds the partials into the 22
// band-pair integrals per point in float64 (PAIR_SLOTS) and assembles the terms (assembleTerms).
import { defineRow } from '../../backends/layout.ts';
import { gk15Nodes } from '../../numerics/quadrature.ts';
import { granularBands, type GranularBands, type GranularParams } from '../../models/granular/params.ts';
import { innerLimits, outerNode, outerPieces, termCombos, TERM_IDS, type TermId } from '../../models/granular/domains.ts';
import { blockadeOffset } from '../../models/granular/integrands.ts';
import { omegaTerms, OMEGA_MAX_TERMS } from '../../models/granular/omega.ts';

/** Panels of 15 Kronrod nodes per piece of each level, and the ω̂ series length factor. */
export interface GranularRule {
  /** Outer (k₁) panels per piece. */
  outer: number;
  /** Inner (k₂) panels per piece. */
  inner: number;
  /** q panels per piece (I_ex). */
  q: number;
  /** ω̂ series: X = (N + ½)π/d ≥ omegaRho · max(2k_F, k_max) (see omegaTerms). */
  omegaRho: number;
}

export const RULES = {
  coarse: { outer: 1, inner: 1, q: 1, omegaRho: 2.2 },
  standard: { outer: 2, inner: 2, q: 2, omegaRho: 2.6 },
  refined: { outer: 4, inner: 4, q: 3, omegaRho: 3.5 },
} as const satisfies Record<string, GranularRule>;
export type RuleName = keyof typeof RULES;

export function checkRule(r: GranularRule): void {
  for (const k of ['outer', 'inner', 'q'] as const) {
    if (!Number.isInteger(r[k]) || r[k] < 1 || r[k] > 8) throw new RangeError(`granular rule: ${k} panels must be an integer in [1, 8], got ${r[k]}`);
  }
  if (!(r.omegaRho >= 1.5 && r.omegaRho <= 8)) throw new RangeError(`granular rule: omegaRho must be in [1.5, 8], got ${r.omegaRho}`);
}

/** Composite Kronrod rule with `panels` panels on [0, 1]. */
export function unitRule(panels: number): { u: Float64Array; w: Float64Array } {
  const u: number[] = [], w: number[] = [];
  for (let p = 0; p < panels; p++) gk15Nodes(p / panels, (p + 1) / panels, (x, wt) => { u.push(x); w.push(wt); });
  return { u: Float64Array.from(u), w: Float64Array.from(w) };
}

/** The constant node tables of a rule (the shader's INNER_*, Q_* arrays; the twin reads the same values). */
export interface RuleTables {
  /** inner piece 1 (linear): u, w */
  lu: Float64Array; lw: Float64Array;
  /** inner piece 2 (graded toward hi): 1 − (1−u)², (1−u)², 2(1−u)w */
  gu: Float64Array; gc: Float64Array; gw: Float64Array;
  /** q piece 1 (linear): u, w */
  qlu: Float64Array; qlw: Float64Array;
  /** q lens piece (sin² map): sin²(πv/2), cos²(πv/2), π sin(πv/2) cos(πv/2) w */
  qs: Float64Array; qc: Float64Array; qw: Float64Array;
  /** outer rule on [0, 1] */
  ou: Float64Array; ow: Float64Array;
}

export function ruleTables(r: GranularRule): RuleTables {
  checkRule(r);
  const I = unitRule(r.inner), Q = unitRule(r.q), O = unitRule(r.outer);
  const map = (a: Float64Array, f: (x: number, k: number) => number) => Float64Array.from(a, f);
  return {
    lu: I.u, lw: I.w,
    gu: map(I.u, x => 1 - (1 - x) * (1 - x)), gc: map(I.u, x => (1 - x) * (1 - x)), gw: map(I.u, (x, k) => 2 * (1 - x) * I.w[k]),
    qlu: Q.u, qlw: Q.w,
    qs: map(Q.u, x => Math.sin(0.5 * Math.PI * x) ** 2), qc: map(Q.u, x => Math.cos(0.5 * Math.PI * x) ** 2),
    qw: map(Q.u, (x, k) => Math.PI * Math.sin(0.5 * Math.PI * x) * Math.cos(0.5 * Math.PI * x) * Q.w[k]),
    ou: O.u, ow: O.w,
  };
}

/** Per sweep point: the band quantities the device needs (f32 row). */
export const POINT_ROW = defineRow({ kF: 2, kmax: 2, kappa0: 1, d: 1, W: 2, epsC: 1, nOmega: 1 });
/** Per row: outer node, weight and inner limits (f32), plus point index and code (u32, ROW_U_STRIDE). */
export const ROW = defineRow({ k1: 1, fd1: 1, kap1: 1, w1: 1, mid: 1, fdMid: 1, hi: 1, fdHi: 1, shift: 1 });
export const ROW_U_STRIDE = 2;

/** Band-pair slots per point: termCombos of every term in TERM_IDS order (22). */
export const PAIR_SLOTS: { term: TermId; combo: number; b1: number; b2: number }[] = TERM_IDS.flatMap(term =>
  termCombos(term).map(([b1, b2], combo) => ({ term, combo, b1, b2 })));
export const PAIR_COUNT = PAIR_SLOTS.length;
export const TERM_CODE: Record<TermId, number> = Object.fromEntries(TERM_IDS.map((t, i) => [t, i])) as Record<TermId, number>;
/** First pair slot of each term. */
export const TERM_SLOT0: Record<TermId, number> = Object.fromEntries(TERM_IDS.map(t => [t, PAIR_SLOTS.findIndex(s => s.term === t)])) as Record<TermId, number>;

export interface GranularRows {
  count: number;
  /** ROW.stride float64 per row (the twin reads these; the device gets them as f32). */
  f: Float64Array;
  /** point index, code = slot (pair slot index 0..20) per row. */
  u: Uint32Array;
  /** POINT_ROW.stride float64 per point. */
  points: Float64Array;
  /** ω̂ series terms per point. */
  nOmega: Uint32Array;
}

/** I_ex's span of q and Δκ sets the ω̂ series length of a point. */
export function pointOmegaTerms(B: GranularBands, rule: GranularRule): number {
  const kScale = Math.max(2 * Math.max(B.kF[0], B.kF[1]), Math.max(B.kmax[0], B.kmax[1]) - B.kappa0);
  return omegaTerms(B.p.d, kScale, rule.omegaRho, OMEGA_MAX_TERMS);
}

/** Rows of every point (float64; the device gets float32 copies). */
export function buildRows(params: GranularParams[], rule: GranularRule): GranularRows {
  const T = ruleTables(rule);
  const f: number[] = [], u: number[] = [];
  const points = new Float64Array(params.length * POINT_ROW.stride), nOmega = new Uint32Array(params.length);
  const P = POINT_ROW.offsets, R = ROW.offsets;
  params.forEach((p, ip) => {
    const B = granularBands(p);
    const o = ip * POINT_ROW.stride;
    nOmega[ip] = pointOmegaTerms(B, rule);
    points[o + P.kF] = B.kF[0]; points[o + P.kF + 1] = B.kF[1];
    points[o + P.kmax] = B.kmax[0]; points[o + P.kmax + 1] = B.kmax[1];
    points[o + P.kappa0] = B.kappa0; points[o + P.d] = p.d;
    points[o + P.W] = B.W[0]; points[o + P.W + 1] = B.W[1];
    points[o + P.epsC] = B.epsC; points[o + P.nOmega] = nOmega[ip];
    PAIR_SLOTS.forEach(({ term, b1, b2 }, slot) => {
      const dEF = term === 'heps' ? blockadeOffset(B, b1, b2) : 0;
      for (const piece of outerPieces(B, term, b1, b2)) {
        const nodes: [number, number][] = piece.map === 'none' ? [[0, 1]] : Array.from(T.ou, (x, k) => [x, T.ow[k]]);
        for (const [x, w] of nodes) {
          const n1 = outerNode(B, piece, x);
          const wt = n1.jac * w;
          if (!(wt > 0)) continue;
          const lim = innerLimits(B, term, b1, b2, n1);
          if (!(lim.hi > 0)) continue;
          const row = new Array<number>(ROW.stride);
          row[R.k1] = n1.k; row[R.fd1] = n1.fd; row[R.kap1] = n1.kap; row[R.w1] = wt;
          row[R.mid] = lim.mid; row[R.fdMid] = lim.fdMid; row[R.hi] = lim.hi; row[R.fdHi] = lim.fdHi; row[R.shift] = dEF;
          f.push(...row);
          u.push(ip, slot);
        }
      }
    });
  });
  return { count: u.length / ROW_U_STRIDE, f: Float64Array.from(f), u: Uint32Array.from(u), points, nOmega };
}

/** Rows one point needs at most under `rule` (for sizing batches before building anything). */
export function maxRowsPerPoint(rule: GranularRule): number {
  const n = 15 * rule.outer;
  // hv 2; hp, lec 4 pairs with ≤ 2 pieces each (only one cross pair splits); heps 4 × 2 pieces; lloc 4; iex 4
  return 2 + 2 * (5 * n) + 8 * n + 4 * n + 4 * n;
}

/** Loop iterations one invocation runs at most (llvmpipe caps the total per invocation at 65535). */
export function loopIterationsPerInvocation(rule: GranularRule, nOmega: number, workgroup: number): number {
  const innerNodes = 2 * 15 * rule.inner, perThread = Math.ceil(innerNodes / workgroup);
  const qNodes = 2 * 15 * rule.q;
  return perThread * (2 + nOmega + qNodes * (nOmega + 1)) + 16 + Math.log2(workgroup) + 4;
}
