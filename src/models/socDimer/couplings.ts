// Bias-dependent couplings, dampings and noise correlations of the seed-001 SOC dimer (Eq. A24),
// float64 CPU twin of shaders/socDimer/couplings.wgsl (same composite rule, same formulas).
//
// Physics. The dimer's hopping T = t0 + t t̂·τ is diagonal in the eigenbasis σ = ± of t̂·τ, so each
// channel is a two-site problem with hopping h_σ = t0 + σt: Rσ = [[g1, h_σ], [h_σ, g2]]⁻¹,
// g_i = z − ε0 − Σ_i(z). Singlet/triplet parts (Eqs. A10–A15) are x^s,t = (x₊ ± x₋)/2. Spin traces of
// the kernel (A6) reduce to three bilinear forms of the entries x = X_ab, y = Y_ba:
//   Tr[τⁱ X τʲ Y] = iso(x,y) δⁱʲ + an(x,y) t̂ⁱt̂ʲ + dm(x,y) εⁱʲᵏ t̂ᵏ,
//   iso = 2(xˢyˢ − xᵗyᵗ), an = 4xᵗyᵗ, dm = 2i(xˢyᵗ − xᵗyˢ)   (checked by direct 2×2 traces in the tests),
// which is A19's split into 𝒥, 𝒟 and Γ̄. With the s-d coupling −ΔS m_a·s_a the electrons exert on spin a
//   B_a = ΔS⟨s_a⟩ + Δ²S² Σ_b χ_ab·m_b − Σ_b λ_ab dm_b/dt + ΔS δs_a,
// χ_ab the static retarded spin response, λ_ab = ħΔ²S² Im ∂_ω χ_ab(0), ⟨ΔSδs ΔSδs⟩ = Δ²S² ħ j δ(t−t').
// Reduced to single energy integrals (the ε'' integral of A24 done by Kramers–Kronig, see README):
//   χ_ab      = (i/4) ∫dε/2π Tr[τ Rʳ_ab τ G^<_ba + τ G^<_ab τ Rᵃ_ba]                  (= J, D, A, K of A24)
//   Im∂χ_ab   = Im (i/4) ∫dε/2π Tr[τ ∂Rʳ_ab τ G^<_ba − τ G^<_ab τ ∂Rᵃ_ba]            (= α of A24)
//   j_ab      = (1/8) ∫dε/2π Tr[τ G^>_ab τ G^<_ba + τ G^<_ab τ G^>_ba]                 (= i × j of A24)
//   ⟨s_a⟩     = t̂ ∫dε/2π (−i) G^(t)<_aa
// Evaluation. G^< = −f_R (Rʳ − Rᵃ) + i (f_L − f_R) M_L with M_c = Rʳ Γ_c Rᵃ on the lead-c site: the
// f_R part is analytic in the upper half plane and is summed over Matsubara energies μ_R + iω_n (the
// first `matsubara` explicitly, the tail as an integral along the imaginary axis with its Euler–Maclaurin
// correction; at T = 0 the whole sum is that integral); the rest lives in the bias window and at the
// Fermi surfaces, integrated on the real axis with a composite 15-point Kronrod rule whose panels are
// cut at μ_c + k_BT_c·{0, ±2, ±6, ±14, ±40} and are never wider than `panelWidth`.
import { cconj, cinv, cmul, csqrt, type Cx } from '../../numerics/complex.ts';
import { gk15Nodes } from '../../numerics/quadrature.ts';
import { leads, type SocDimerParams } from './params.ts';

export interface TensorParts { iso: number; an: number; dm: number }
export interface DampingParts { iso: number; an: number }
/** Couplings at one (μ_F, V) point, in the paper's normalisation (per Δ², energies meV; see README). */
export interface SocCouplings {
  /** χ_ab (meV⁻¹): field on spin a per Δ²S² is χ_ab·m_b. [a][b], 0 = site 1 (left), 1 = site 2 (right). */
  exchange: TensorParts[][];
  /** Im ∂_ε χ_ab (meV⁻²): Gilbert damping tensor per Δ²S (isotropic and along t̂t̂). */
  damping: DampingParts[][];
  /** j_ab (meV⁻¹): noise covariance per Δ²S²ħ (isotropic and along t̂t̂). */
  noise: DampingParts[][];
  /** ⟨s_a⟩·t̂ (dimensionless); ⟨s_a⟩ ∥ t̂. */
  spin: [number, number];
}

/** The composite rule: window panels, Matsubara terms, imaginary-axis panels. */
export interface CouplingRule {
  /** Widest real-axis panel (meV). */
  panelWidth: number;
  /** Matsubara energies summed explicitly when k_BT_R > 0 (the rest by the imaginary-axis integral). */
  matsubara: number;
  /** Scale L (meV) of the map y = y0 + L (1 − v)/v, v ∈ (0, 1], of the imaginary axis. */
  axisScale: number;
}
/**
 * Panels of v = 1 − u ∈ (0, 1] on the imaginary axis y = y0 + L (1 − v)/v (denser where y → ∞ sweeps the
 * band). Nodes are placed in v itself so that small v keeps its relative precision in float32.
 */
export const AXIS_BREAKS = [1, 0.85, 0.7, 0.55, 0.4, 0.25, 0.12, 0.04, 0];
/** Fermi-window panel cuts, in units of k_BT around each μ. */
export const FERMI_CUTS = [-40, -14, -6, -2, 0, 2, 6, 14, 40];

export function defaultRule(p: SocDimerParams): CouplingRule {
  // resonances are about Γ = 2 t_c²/t_e wide: panels of Γ/4 (at most 0.5 meV) resolve them
  const gamma = (2 * Math.min(p.tL, p.tR) ** 2) / p.te;
  return { panelWidth: Math.min(0.5, Math.max(gamma / 4, 0.01)), matsubara: 32, axisScale: Math.max(1, gamma) };
}

/** What the kernel needs per (μ_F, V) point. */
export interface PointSpec { muL: number; muR: number; kTL: number; kTR: number; cL: number; cR: number }
export function pointSpec(p: SocDimerParams): PointSpec {
  const [L, R] = leads(p);
  return { muL: L.mu, muR: R.mu, kTL: L.kT, kTR: R.kT, cL: L.bandCentre, cR: R.bandCentre };
}

/** Sorted panel edges of the real-axis window (shared logic with the shader: same cuts, same splitting). */
export function windowEdges(pt: PointSpec): number[] {
  const cuts: number[] = [];
  for (const [mu, kT] of [[pt.muL, pt.kTL], [pt.muR, pt.kTR]]) for (const c of FERMI_CUTS) cuts.push(mu + c * kT);
  return cuts.sort((a, b) => a - b);
}

/** Lead self-energy t_c² g(z − centre) of the semi-infinite chain and its derivative, for Im z ≥ 0. */
export function chainSelfEnergy(z: Cx, centre: number, te: number, tc: number): { sigma: Cx; dsigma: Cx } {
  const w: Cx = [z[0] - centre, z[1]];
  const s = cmul(csqrt([w[0] - 2 * te, w[1]]), csqrt([w[0] + 2 * te, w[1]]));
  const g: Cx = [(w[0] - s[0]) / (2 * te * te), (w[1] - s[1]) / (2 * te * te)];
  // t_e² g² − w g + 1 = 0  ⇒  g' = g / (2 t_e² g − w)
  const dg = cmul(g, cinv([2 * te * te * g[0] - w[0], 2 * te * te * g[1] - w[1]]));
  const c2 = tc * tc;
  return { sigma: [c2 * g[0], c2 * g[1]], dsigma: [c2 * dg[0], c2 * dg[1]] };
}

/**
 * Singlet and triplet parts R[0] = (R₊ + R₋)/2, R[1] = (R₊ − R₋)/2 of the channel Green's functions
 * (entries 11, 12 = 21, 22) at z, and ∂R = −R (1 − Σ') R per channel if asked. The triplet part is
 * formed without the cancellation R₊ − R₋ (it is O(t)): 1/d₊ − 1/d₋ = 4 t0 t/(d₊ d₋), d_σ = g1 g2 − h_σ²,
 * which keeps the weak-SOC t̂t̂ terms accurate in float32 on the device.
 */
interface Channels { R: Cx[][]; dR: Cx[][]; gamma: [number, number] }
function channels(z: Cx, p: SocDimerParams, pt: PointSpec, derivative: boolean): Channels {
  const L = chainSelfEnergy(z, pt.cL, p.te, p.tL), Rr = chainSelfEnergy(z, pt.cR, p.te, p.tR);
  const g1: Cx = [z[0] - p.eps0 - L.sigma[0], z[1] - L.sigma[1]], g2: Cx = [z[0] - p.eps0 - Rr.sigma[0], z[1] - Rr.sigma[1]];
  const hp = p.t0 + p.t, hm = p.t0 - p.t, P = cmul(g1, g2);
  const ip = cinv([P[0] - hp * hp, P[1]]), im = cinv([P[0] - hm * hm, P[1]]);
  const di = cmul(ip, im), k = 4 * p.t0 * p.t; // 1/d₊ − 1/d₋
  const sum: Cx = [0.5 * (ip[0] + im[0]), 0.5 * (ip[1] + im[1])], dif: Cx = [0.5 * k * di[0], 0.5 * k * di[1]];
  // off-diagonal: −(h₊/d₊ ± h₋/d₋)/2; the difference is 2t/d₋ + h₊ (1/d₊ − 1/d₋)
  const s12: Cx = [-0.5 * (hp * ip[0] + hm * im[0]), -0.5 * (hp * ip[1] + hm * im[1])];
  const t12: Cx = [-0.5 * (2 * p.t * im[0] + hp * k * di[0]), -0.5 * (2 * p.t * im[1] + hp * k * di[1])];
  const R: Cx[][] = [[cmul(g2, sum), s12, cmul(g1, sum)], [cmul(g2, dif), t12, cmul(g1, dif)]];
  const dR: Cx[][] = [];
  if (derivative) {
    const d: Cx[] = [[1 - L.dsigma[0], -L.dsigma[1]], [1 - Rr.dsigma[0], -Rr.dsigma[1]]];
    // −(R D R): singlet Σ_c (s d s + t d t), triplet Σ_c (s d t + t d s)
    const rdr = (x: Cx[], y: Cx[], a: number, b: number): Cx => {
      let re = 0, imag = 0;
      for (let c = 0; c < 2; c++) { const v = cmul(cmul(x[a + c], d[c]), y[c + b]); re += v[0]; imag += v[1]; }
      return [re, imag];
    };
    const [S, T] = R;
    for (const kind of [0, 1]) {
      dR.push([[0, 0], [0, 1], [1, 1]].map(([a, b]) => {
        const u = kind === 0 ? rdr(S, S, a, b) : rdr(S, T, a, b), v = kind === 0 ? rdr(T, T, a, b) : rdr(T, S, a, b);
        return [-(u[0] + v[0]), -(u[1] + v[1])] as Cx;
      }));
    }
  }
  return { R, dR, gamma: [-2 * L.sigma[1], -2 * Rr.sigma[1]] };
}

/** The three spin-trace forms (A19) of x = X_ab, y = Y_ba given as singlet and triplet parts. */
export function traces(xs: Cx, xt: Cx, ys: Cx, yt: Cx): [Cx, Cx, Cx] {
  const ss = cmul(xs, ys), tt = cmul(xt, yt), st = cmul(xs, yt), ts = cmul(xt, ys);
  return [[2 * (ss[0] - tt[0]), 2 * (ss[1] - tt[1])], [4 * tt[0], 4 * tt[1]], [-2 * (st[1] - ts[1]), 2 * (st[0] - ts[0])]];
}

const fermiStep = (e: number, mu: number, kT: number): number => {
  if (kT === 0) return e < mu ? 1 : e > mu ? 0 : 0.5;
  const x = (e - mu) / kT;
  return x > 0 ? Math.exp(-x) / (1 + Math.exp(-x)) : 1 / (1 + Math.exp(x));
};
/** −∂f/∂ε (meV⁻¹) for k_BT > 0. */
const fermiPeak = (e: number, mu: number, kT: number): number => { const f = fermiStep(e, mu, kT); return (f * (1 - f)) / kT; };

const PAIRS: [number, number][] = [[0, 0], [0, 1], [1, 0], [1, 1]];
/** Output layout of one point (also the shader's): exchange 4×3, damping 4×2, noise 4×2, spin 2. */
export const COUPLING_STRIDE = 30;

/** Raw accumulators of one point in the kernel's layout (float64). */
export function couplingsRaw(p: SocDimerParams, pt: PointSpec, rule: CouplingRule): Float64Array {
  const out = new Float64Array(COUPLING_STRIDE);
  const EX = 0, DA = 12, NO = 20, SP = 28;
  const idx = (a: number, b: number) => a + b; // channel entries 11, 12 = 21, 22
  const inv2pi = 1 / (2 * Math.PI);

  // (1) f_R part on the imaginary axis: Q = k_BT Σ_{n<N} X(μ_R + iω_n) + (1/2π) ∫_{2πN k_BT}^∞ X(μ_R + iy) dy
  const Q = new Float64Array(10); // re parts of X_iso, X_an per pair (8), then G^(t)_11, G^(t)_22
  const addAxis = (y: number, w: number) => {
    const { R } = channels([pt.muR, y], p, pt, false);
    PAIRS.forEach(([a, b], k) => {
      const [iso, an] = traces(R[0][idx(a, b)], R[1][idx(a, b)], R[0][idx(a, b)], R[1][idx(a, b)]);
      Q[2 * k] += w * iso[0]; Q[2 * k + 1] += w * an[0];
    });
    Q[8] += w * R[1][0][0]; Q[9] += w * R[1][2][0];
  };
  const N = pt.kTR > 0 ? rule.matsubara : 0;
  for (let n = 0; n < N; n++) addAxis((2 * n + 1) * Math.PI * pt.kTR, pt.kTR);
  const y0 = 2 * Math.PI * N * pt.kTR, Ls = rule.axisScale;
  if (N > 0) {
    // Euler–Maclaurin: the Matsubara tail Σ_{n≥N} is the integral from y0 plus (h²/24) X'(y0), h = 2πk_BT
    // (X' by a central difference over ±πk_BT)
    const h = 2 * Math.PI * pt.kTR, c = (h * h) / 24 / (2 * Math.PI) / h;
    addAxis(y0 + h / 2, c); addAxis(y0 - h / 2, -c);
  }
  for (let i = 0; i + 1 < AXIS_BREAKS.length; i++) {
    gk15Nodes(AXIS_BREAKS[i + 1], AXIS_BREAKS[i], (v, w) => addAxis(y0 + (Ls * (1 - v)) / v, (w * Ls) / (v * v) * inv2pi));
  }
  PAIRS.forEach((_, k) => { out[EX + 3 * k] += -0.5 * Q[2 * k]; out[EX + 3 * k + 1] += -0.5 * Q[2 * k + 1]; });
  out[SP] += 2 * Q[8]; out[SP + 1] += 2 * Q[9];

  // (2) the real-axis window and Fermi surfaces
  const atEnergy = (e: number, w: number) => {
    const fL = fermiStep(e, pt.muL, pt.kTL), fR = fermiStep(e, pt.muR, pt.kTR);
    const win = (fL - fR) * w * inv2pi;
    const wLL = 2 * fL * (1 - fL), wRR = 2 * fR * (1 - fR), wLR = fL * (1 - fR) + fR * (1 - fL);
    const fs = pt.kTR > 0 ? fermiPeak(e, pt.muR, pt.kTR) * w * inv2pi : 0;
    if (win === 0 && wLL + wRR + wLR === 0 && fs === 0) return;
    const ch = channels([e, 0], p, pt, true);
    // M_c = Rʳ Γ_c Rᵃ on lead c's site (c = 0: left lead, site 1): singlet Γ(s s̄ + t t̄), triplet Γ(s t̄ + t s̄)
    const M = (c: number, kind: number, a: number, b: number): Cx => {
      const s1 = ch.R[0][idx(a, c)], t1 = ch.R[1][idx(a, c)], s2 = cconj(ch.R[0][idx(b, c)]), t2 = cconj(ch.R[1][idx(b, c)]);
      const u = kind === 0 ? cmul(s1, s2) : cmul(s1, t2), v = kind === 0 ? cmul(t1, t2) : cmul(t1, s2);
      return [ch.gamma[c] * (u[0] + v[0]), ch.gamma[c] * (u[1] + v[1])];
    };
    PAIRS.forEach(([a, b], k) => {
      const Rs = ch.R[0][idx(a, b)], Rt = ch.R[1][idx(a, b)], dRs = ch.dR[0][idx(a, b)], dRt = ch.dR[1][idx(a, b)];
      const ML = [M(0, 0, a, b), M(0, 1, a, b)], MLba = [M(0, 0, b, a), M(0, 1, b, a)];
      if (win !== 0) {
        // static: −¼ Re[T(R_ab, M_ba) + T(M_ab, R̄_ba)]; damping: −¼ Im[T(∂R_ab, M_ba) − T(M_ab, ∂R̄_ba)]
        const s1 = traces(Rs, Rt, MLba[0], MLba[1]), s2 = traces(ML[0], ML[1], cconj(Rs), cconj(Rt));
        for (let q = 0; q < 3; q++) out[EX + 3 * k + q] += -0.25 * (s1[q][0] + s2[q][0]) * win;
        const d1 = traces(dRs, dRt, MLba[0], MLba[1]), d2 = traces(ML[0], ML[1], cconj(dRs), cconj(dRt));
        for (let q = 0; q < 2; q++) out[DA + 2 * k + q] += -0.25 * (d1[q][1] - d2[q][1]) * win;
      }
      if (fs !== 0) {
        // Fermi-surface damping (1/8) T(A_ab, A_ba), A = −2 Im R (real, site-symmetric)
        const As: Cx = [-2 * Rs[1], 0], At: Cx = [-2 * Rt[1], 0];
        const t = traces(As, At, As, At);
        for (let q = 0; q < 2; q++) out[DA + 2 * k + q] += 0.125 * t[q][0] * fs;
      }
      const wts = [[wLL, wLR], [wLR, wRR]];
      for (let c = 0; c < 2; c++) for (let d = 0; d < 2; d++) {
        const wcd = wts[c][d] * w * inv2pi;
        if (wcd === 0) continue;
        const t = traces(M(c, 0, a, b), M(c, 1, a, b), M(d, 0, b, a), M(d, 1, b, a));
        for (let q = 0; q < 2; q++) out[NO + 2 * k + q] += 0.125 * t[q][0] * wcd;
      }
    });
    if (win !== 0) for (let a = 0; a < 2; a++) {
      // −i G^(t)<_aa from the window: (f_L − f_R) M_L,t,aa (real)
      out[SP + a] += M(0, 1, a, a)[0] * win;
    }
  };
  const edges = windowEdges(pt);
  for (let i = 0; i + 1 < edges.length; i++) {
    const width = edges[i + 1] - edges[i];
    if (!(width > 0)) continue;
    const n = Math.ceil(width / rule.panelWidth);
    for (let j = 0; j < n; j++) gk15Nodes(edges[i] + (width * j) / n, edges[i] + (width * (j + 1)) / n, atEnergy);
  }
  // T_R = 0: −∂f_R/∂ε = δ(ε − μ_R)
  if (pt.kTR === 0) {
    const ch = channels([pt.muR, 0], p, pt, false);
    PAIRS.forEach(([a, b], k) => {
      const Rs = ch.R[0][idx(a, b)], Rt = ch.R[1][idx(a, b)];
      const As: Cx = [-2 * Rs[1], 0], At: Cx = [-2 * Rt[1], 0];
      const t = traces(As, At, As, At);
      for (let q = 0; q < 2; q++) out[DA + 2 * k + q] += 0.125 * t[q][0] * inv2pi;
    });
  }
  return out;
}

/** Unpack the kernel layout into named couplings. */
export function unpackCouplings(raw: ArrayLike<number>, offset = 0): SocCouplings {
  const r = (i: number) => raw[offset + i];
  const grid = <T>(f: (k: number) => T): T[][] => [[f(0), f(1)], [f(2), f(3)]];
  return {
    exchange: grid(k => ({ iso: r(3 * k), an: r(3 * k + 1), dm: r(3 * k + 2) })),
    damping: grid(k => ({ iso: r(12 + 2 * k), an: r(12 + 2 * k + 1) })),
    noise: grid(k => ({ iso: r(20 + 2 * k), an: r(20 + 2 * k + 1) })),
    spin: [r(28), r(29)],
  };
}

/** Couplings at one point on the CPU (float64). */
export function socCouplings(p: SocDimerParams, rule: CouplingRule = defaultRule(p)): SocCouplings {
  return unpackCouplings(couplingsRaw(p, pointSpec(p), rule));
}

/** The paper's named quantities (Figs. 2, 6, 7 and the mapping under Eq. A24). */
export interface PaperCouplings {
  J1: number; J2: number; D1: number; D2: number; A1: number; A2: number; K1: number; K2: number;
  alphaI: number; alphaAn: number; jI: number; jAn: number;
}
export function paperCouplings(c: SocCouplings): PaperCouplings {
  const x = c.exchange;
  return {
    J1: x[0][1].iso, J2: x[1][0].iso, D1: x[0][1].dm, D2: x[1][0].dm, A1: x[0][1].an, A2: x[1][0].an, K1: x[0][0].an, K2: x[1][1].an,
    alphaI: c.damping[1][1].iso, alphaAn: c.damping[1][1].an, jI: c.noise[1][1].iso, jAn: c.noise[1][1].an,
  };
}
