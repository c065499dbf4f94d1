// Every contribution to the intergrain exchange H_ex = E_AFM − E_FM (meV, positive = FM), by nested adaptive
// Gauss–Kronrod quadrature (src/numerics/quadrature.ts) in float64 over the pieces of ./domains.ts. This is the
// reference the fixed product rule of the device kernel is checked against.
//
// Each term is H = e^{−2κ₀d} Σ_{(b1,b2)} coefficient(term, b1, b2) · I_{b1 b2}, I the scaled integral of
// ./integrands.ts. Coefficients (derivations and the paper's typos in docs/models/granular.md):
//   H_V   = a/(4πκ₀) Σ_s (−s J_sd) ∫ …                    (Eq. 11, first term)
//   H_P   = a/(8π²κ₀) (Σ_cross − Σ_same) ∫∫ …              (Eq. 11, second bracket; H_h0 = H_V + H_P)
//   H_hε  = a/(8π²κ₀) (Σ_same − Σ_cross) ∫∫ …              (Eq. 12 as printed = c(F − A); H_h = H_h0 + H_hε, A11)
//   L_loc = 3a(U − h_B)/(2^p π Σ k_F³) Σ γ ∫∫ …            (Eq. 39, positive C_loc, p = 6 printed, A35, A36)
//   L_Ec  = e²/(64π³ε₀ε_eff) Σ γ ∫∫ …                      (Eq. 38 with the γ sign structure, A31, A32)
//   I_ex  = N_I e²a/(16π⁴ε₀ε) ½[Sq₊₊ + Sq₋₋ − Sq₊₋ − Sq₋₊]  (Eqs. 25–27, N_I = 4 default / 1 printed, A22, A23, A29)
// Accuracy: each adaptive level is converged to relTol (1e-10 inner / 1e-9 outer for the 1D and 2D terms;
// 1e-9 / 1e-8 / 1e-7 for the q, k₂, k₁ levels of I_ex), so every band-pair integral carries a relative error
// ≲ 1e-8 (I_ex ≲ 1e-6); the terms, differences of such integrals, carry that error relative to Σ|pieces|.
import { gk15Nodes, integrate } from '../../numerics/quadrature.ts';
import { bandSign, COULOMB, granularBands, type GranularBands, type GranularParams } from './params.ts';
import {
  blockadeOffset, gammaSS, hepsIntegrand, hpIntegrand, hvIntegrand, iexPairFactor, lecIntegrand, llocIntegrand, type MomentumNode,
} from './integrands.ts';
import { innerLimits, innerNode, outerNode, outerPieces, termCombos, TERM_IDS, type InnerLimits, type TermId } from './domains.ts';
import { lensArea, omegaScaled } from './omega.ts';

/** Every contribution (meV) and its sums. */
export interface GranularTerms {
  /** First-order hopping H_V (Eq. 11, first term). */
  hv: number;
  /** Overlap (Pauli) hopping H_P (Eq. 11, second bracket). */
  hp: number;
  /** H_h0 = H_V + H_P. */
  h0: number;
  /** Coulomb-blockade hopping H_hε (Eq. 12). */
  heps: number;
  /** H_h = H_h0 + H_hε. */
  hopping: number;
  /** L_loc (Eq. 39). */
  lloc: number;
  /** L_Ec (Eq. 38). */
  lec: number;
  /** I_ex (Eqs. 25–27). */
  iex: number;
  /** H_C = L_loc + L_Ec + I_ex (Eq. 24). */
  coulomb: number;
  /** H_ex = H_h + H_C (Eq. 41). */
  total: number;
}

export const TERM_FIELDS = ['hv', 'hp', 'h0', 'heps', 'hopping', 'lloc', 'lec', 'iex', 'coulomb', 'total'] as const;
export type TermField = typeof TERM_FIELDS[number];

/** Coefficient (meV) of the scaled band-pair integral I_{b1 b2} of `term` (without e^{−2κ₀d}). */
export function termCoefficient(B: GranularBands, term: TermId, b1: number, b2: number): number {
  const p = B.p, k0 = B.kappa0;
  switch (term) {
    case 'hv': return (p.a / (4 * Math.PI * k0)) * (-bandSign(b1) * p.Jsd);
    case 'hp': return (p.a / (8 * Math.PI * Math.PI * k0)) * -gammaSS(b1, b2);
    case 'heps': return (p.a / (8 * Math.PI * Math.PI * k0)) * gammaSS(b1, b2);
    case 'lloc': {
      const n = B.kF[0] ** 3 + B.kF[1] ** 3;
      return ((3 * p.a * (p.U - p.hB)) / (2 ** p.llocPow2 * Math.PI * n)) * gammaSS(b1, b2);
    }
    case 'lec': return (COULOMB / (16 * Math.PI * Math.PI * p.epsEff)) * gammaSS(b1, b2);
    case 'iex': return p.iexNorm * ((COULOMB * p.a) / (4 * Math.PI ** 3 * p.eps)) * 0.5 * gammaSS(b1, b2);
  }
}

/** e^{−2κ₀d}, the Fermi-level tunnelling factor every term carries (kept out of the integrands). */
export const fermiDecay = (B: GranularBands): number => Math.exp(-2 * B.kappa0 * B.p.d);

/** Terms from the band-pair integrals: integral(term, comboIndex) in termCombos(term) order. */
export function assembleTerms(B: GranularBands, integral: (term: TermId, combo: number) => number): GranularTerms {
  const E0 = fermiDecay(B);
  const v = {} as Record<TermId, number>;
  for (const t of TERM_IDS) {
    let s = 0;
    termCombos(t).forEach(([b1, b2], c) => { s += termCoefficient(B, t, b1, b2) * integral(t, c); });
    v[t] = E0 * s;
  }
  return withSums(v);
}

export function withSums(v: Record<TermId, number>): GranularTerms {
  const h0 = v.hv + v.hp, hopping = h0 + v.heps, coulomb = v.lloc + v.lec + v.iex;
  return { hv: v.hv, hp: v.hp, h0, heps: v.heps, hopping, lloc: v.lloc, lec: v.lec, iex: v.iex, coulomb, total: hopping + coulomb };
}

/** Σ over pairs of |coefficient · I| · e^{−2κ₀d}: the gross size a term's cancelling difference is measured against. */
export function assembleGross(B: GranularBands, integral: (term: TermId, combo: number) => number): Record<TermId, number> {
  const E0 = fermiDecay(B);
  const v = {} as Record<TermId, number>;
  for (const t of TERM_IDS) {
    let s = 0;
    termCombos(t).forEach(([b1, b2], c) => { s += Math.abs(termCoefficient(B, t, b1, b2) * integral(t, c)); });
    v[t] = E0 * s;
  }
  return v;
}

// ---- adaptive reference ---------------------------------------------------------------------------

export interface AdaptiveOptions { relTol?: number }

/** ∫_0^{R₁+R₂} q ω̂(q, a) ½A_lens(q; R₁, R₂) dq, adaptive, split at |R₁ − R₂| and mapped by sin² on the lens piece. */
export function lensOmegaIntegral(R1: number, R2: number, a: number, d: number, relTol = 1e-9): number {
  const lo = Math.abs(R1 - R2), span = R1 + R2 - lo;
  let s = 0;
  // ω̂ ≤ ω(0, 0) = d³/3: an absolute floor far below the integral, so a vanishing piece is accepted at once
  const absTol = relTol * 1e-6 * Math.PI * Math.min(R1, R2) ** 2 * (R1 + R2) ** 2 * d ** 3;
  if (lo > 0) {
    const A = Math.PI * Math.min(R1, R2) ** 2;
    s += integrate(q => q * omegaScaled(q, a, d) * 0.5 * A, 0, lo, { relTol, absTol }).value;
  }
  if (span > 0) {
    s += integrate(v => {
      const sn = Math.sin(0.5 * Math.PI * v), cs = Math.cos(0.5 * Math.PI * v);
      const q = lo + span * sn * sn, jac = span * Math.PI * sn * cs;
      return jac * q * omegaScaled(q, a, d) * 0.5 * lensArea(q, R1, R2, Math.acos, span * cs * cs, span * sn * sn);
    }, 0, 1, { relTol, absTol }).value;
  }
  return s;
}

function pairIntegrand(B: GranularBands, term: TermId, b1: number, b2: number, dEF: number, relTol: number): (n1: MomentumNode, n2: MomentumNode) => number {
  switch (term) {
    case 'hv': return (_n1, n2) => hvIntegrand(B, b1, n2);
    case 'hp': return (n1, n2) => hpIntegrand(B, b1, b2, n1, n2);
    case 'heps': return (n1, n2) => hepsIntegrand(B, b1, b2, n1, n2, dEF);
    case 'lloc': return (n1, n2) => llocIntegrand(B, b1, b2, n1, n2);
    case 'lec': return (n1, n2) => lecIntegrand(B, b1, b2, n1, n2);
    case 'iex': return (n1, n2) => {
      const f = iexPairFactor(B, b1, b2, n1, n2);
      return f === 0 ? 0 : f * lensOmegaIntegral(Math.sqrt(Math.max(0, n1.fd)), Math.sqrt(Math.max(0, n2.fd)), n1.kap - n2.kap, B.p.d, relTol);
    };
  }
}

/** Scaled band-pair integral I_{b1 b2} of a term, nested adaptive. */
export function adaptivePairIntegral(B: GranularBands, term: TermId, b1: number, b2: number, opts: AdaptiveOptions = {}): number {
  const iex = term === 'iex';
  const outerTol = opts.relTol ?? (iex ? 1e-7 : 1e-9), innerTol = outerTol / 10;
  const f = pairIntegrand(B, term, b1, b2, term === 'heps' ? blockadeOffset(B, b1, b2) : 0, innerTol / 10);
  const pieces = outerPieces(B, term, b1, b2);
  // absolute tolerances from the gross size ∫∫|f| (15 × 15 Kronrod nodes per piece): a pair whose integrand
  // vanishes on a piece is then accepted at once instead of chasing relTol × 0
  let gross = 0;
  const sweep = (g: (u: number) => number) => { let s = 0; gk15Nodes(0, 1, (u, w) => { s += w * Math.abs(g(u)); }); return s; };
  const innerWith = (n1: MomentumNode, rule: (g: (u: number) => number) => number): number => {
    const lim: InnerLimits = innerLimits(B, term, b1, b2, n1);
    let s = 0;
    if (lim.mid > 0) s += rule(u => { const n2 = innerNode(B, lim, 1, u); return n2.jac * f(n1, n2); });
    if (lim.hi > lim.mid) s += rule(u => { const n2 = innerNode(B, lim, 2, u); return n2.jac * f(n1, n2); });
    return s;
  };
  for (const piece of pieces) {
    if (piece.map === 'none') { gross += innerWith(outerNode(B, piece, 0), sweep); continue; }
    gross += sweep(u => { const n1 = outerNode(B, piece, u); return n1.jac === 0 ? 0 : n1.jac * innerWith(n1, sweep); });
  }
  if (!(gross > 0)) return 0;
  const adaptive = (tol: number) => (g: (u: number) => number) => integrate(g, 0, 1, { relTol: tol, absTol: tol * gross * 1e-2 }).value;
  let total = 0;
  for (const piece of pieces) {
    if (piece.map === 'none') { total += innerWith(outerNode(B, piece, 0), adaptive(innerTol)); continue; }
    total += adaptive(outerTol)(u => { const n1 = outerNode(B, piece, u); return n1.jac === 0 ? 0 : n1.jac * innerWith(n1, adaptive(innerTol)); });
  }
  return total;
}

/** Every contribution at one parameter point, by nested adaptive quadrature (float64). */
export function granularTerms(p: GranularParams, opts: AdaptiveOptions & { terms?: readonly TermId[] } = {}): GranularTerms {
  const B = granularBands(p);
  const want = new Set(opts.terms ?? TERM_IDS);
  const cache = new Map<string, number>();
  return assembleTerms(B, (t, c) => {
    if (!want.has(t)) return 0;
    const [b1, b2] = termCombos(t)[c];
    const key = `${t}${c}`;
    let v = cache.get(key);
    if (v === undefined) { v = adaptivePairIntegral(B, t, b1, b2, opts); cache.set(key, v); }
    return v;
  });
}
