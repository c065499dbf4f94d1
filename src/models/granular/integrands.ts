// Integrands of every contribution to H_ex = E_AFM − E_FM (positive = ferromagnetic), in the real forms of
// docs/models/granular.md §2, float64. One place for the physics formulas: the adaptive model (./terms.ts)
// and the fixed-rule CPU twin of the device kernel (src/kernels/granular/cpu.ts) both call these; the WGSL
// (shaders/granular/exchange.wgsl) is their transcription.
//
// A momentum node is passed as { k, fd, kap }: the normal momentum k, its distance to the Fermi surface of its
// band fd = (k_F)² − k² (computed without cancellation by the caller) and the decay constant κ = √(k_max² − k²).
// For an occupied state κ² = κ₀² + fd exactly. Every integrand is scaled by e^{+2κ₀d} (the Fermi-level decay
// e^{−2κ₀d} is restored by the caller in float64): all remaining exponentials are e^{−x} with x ≥ 0.
//
// Band indices b1 (state k₁, grain 1) and b2 (state k₂, grain 2): b = 0 is s = +1 (minority), 1 is s = −1.
import { bandSign, HBAR2_2M, type GranularBands } from './params.ts';

export interface MomentumNode { k: number; fd: number; kap: number }

/** |τ|² = 4k²/k_max² (τ = 2k/(k + iκ), |k + iκ|² = k_max²). */
export const tau2 = (k: number, kmax: number): number => (4 * k * k) / (kmax * kmax);

/** e^{−2(κ − κ₀)d} */
const decay2 = (B: GranularBands, kap: number) => Math.exp(-2 * (kap - B.kappa0) * B.p.d);

/**
 * H_V (first-order hopping, Eq. 11 first term): band b's ∫ dk (k_F² − k²)|τ|²/κ e^{−2κd}.
 * H_V = a/(4πκ₀) Σ_s (−s J_sd) ∫…  (positive ↔ FM; the majority band favours FM).
 */
export function hvIntegrand(B: GranularBands, b: number, n: MomentumNode): number {
  return (n.fd * tau2(n.k, B.kmax[b]) / n.kap) * decay2(B, n.kap);
}

/** sinhc(x) = sinh(x)/x. */
function gapOverlap(B: GranularBands, k1: number, k2: number): number {
  // d e^{−(κ₁+κ₂)d/2} sinhc((κ₁−κ₂)d/2), scaled: = (e^{−(κ₂−κ₀)d} − e^{−(κ₁−κ₀)d})/(κ₁ − κ₂)
  const d = B.p.d, x = 0.5 * (k1 - k2) * d;
  if (Math.abs(x) < 0.5) {
    const x2 = x * x;
    return d * Math.exp(-(0.5 * (k1 + k2) - B.kappa0) * d) * (1 + x2 / 6 * (1 + x2 / 20 * (1 + x2 / 42)));
  }
  return (Math.exp(-(k2 - B.kappa0) * d) - Math.exp(-(k1 - B.kappa0) * d)) / (k1 - k2);
}

/**
 * Overlap (Pauli) part of H_h0 (Eq. 11, second bracket), both states occupied: δ·(−T·P*) with the moduli
 * T̂ = W₁|τ₁||τ₂|(κ₁+κ₂)/(k₁²+κ₂²) e^{−κ₂d} (W₁ = U − s₁J, A1) and
 * P̂ = |τ₁||τ₂|[(κ₁+κ₂)/(k₂²+κ₁²) e^{−κ₁d} + (κ₁+κ₂)/(k₁²+κ₂²) e^{−κ₂d} + d e^{−(κ₁+κ₂)d/2} sinhc((κ₁−κ₂)d/2)];
 * δ = min(fd₁, fd₂) is the in-plane phase space with both states occupied (Eqs. 13–14, A14).
 * Each configuration's energy is +c Σ δ T̂P̂ (T < 0, P > 0); H_P = c (Σ_cross − Σ_same), c = a/(8π²κ₀).
 */
export function hpIntegrand(B: GranularBands, b1: number, b2: number, n1: MomentumNode, n2: MomentumNode): number {
  const delta = Math.min(n1.fd, n2.fd);
  if (!(delta > 0)) return 0;
  const t12 = tau2(n1.k, B.kmax[b1]) * tau2(n2.k, B.kmax[b2]);      // |τ₁|²|τ₂|²
  const ks = n1.kap + n2.kap, d = B.p.d, k0 = B.kappa0;
  const e2 = Math.exp(-(n2.kap - k0) * d), e1 = Math.exp(-(n1.kap - k0) * d);
  const g21 = ks / (n1.k * n1.k + n2.kap * n2.kap), g12 = ks / (n2.k * n2.k + n1.kap * n1.kap);
  // T̂ P̂ = W₁ |τ₁|²|τ₂|² g21 e^{−κ₂d} [g12 e^{−κ₁d} + g21 e^{−κ₂d} + gap], each e^{…} scaled by e^{κ₀d}
  return delta * B.W[b1] * t12 * g21 * (g12 * e1 * e2 + g21 * e2 * e2 + gapOverlap(B, n1.kap, n2.kap) * e2);
}

/**
 * Coulomb-blockade hopping H_hε (Eq. 12, A11–A13, A15): a virtual hop from the occupied state k₂ (band b2,
 * grain 2) into the empty state k₁ (band b1, grain 1) with the same in-plane momentum, weight
 * w = fd₂ − max(0, fd₁) (in-plane momenta with k₁ empty and k₂ occupied), matrix element
 * |T|² = W₁²|τ₁|²|τ₂|²(κ₁+κ₂)² e^{−2κ₂d}/(k₁²+κ₂²)², energy denominator
 * ΔE = ħ²(k₁² − k₂²)/2m + (bottom₁ − bottom₂) + ε̃_c = c(fd₂ − fd₁) + dEF + ε̃_c > 0, where
 * dEF = (bottom₁ + c k_F1²) − (bottom₂ + c k_F2²) vanishes unless a band is clamped empty (half-metal).
 * FM pairs (same band) lower E_FM, cross pairs E_AFM: H_hε = c (Σ_same − Σ_cross) = c(F − A).
 */
export function hepsIntegrand(B: GranularBands, b1: number, b2: number, n1: MomentumNode, n2: MomentumNode, dEF: number): number {
  const w = n2.fd - Math.max(0, n1.fd);
  if (!(w > 0)) return 0;
  const dE = HBAR2_2M * (n2.fd - n1.fd) + dEF + B.epsC;
  const ks = n1.kap + n2.kap, g = ks / (n1.k * n1.k + n2.kap * n2.kap);
  const W = B.W[b1];
  return (w * W * W * tau2(n1.k, B.kmax[b1]) * tau2(n2.k, B.kmax[b2]) * g * g * decay2(B, n2.kap)) / dE;
}

/** dEF of the pair (b1 empty band, b2 occupied band); 0 when both bands hold electrons. */
export function blockadeOffset(B: GranularBands, b1: number, b2: number): number {
  const c = HBAR2_2M;
  return (B.bottom[b1] + c * B.kF[b1] * B.kF[b1]) - (B.bottom[b2] + c * B.kF[b2] * B.kF[b2]);
}

/**
 * B(κ₁, k₂, κ₂) = (1 + |ξ₂|²)/(2κ₁) + Re(conj(ξ₂)/(κ₁ + ik₂)) with ξ = (k − iκ)/(k + iκ), in real form
 * k₂²(k₂² + κ₁² + (κ₁+κ₂)²)/(κ₁(k₂²+κ₂²)(k₂²+κ₁²)) (the "r" of Eq. 39 is ξ, A34).
 */
export function bracketB(kap1: number, k2: number, kap2: number): number {
  const k = k2 * k2;
  return (k * (k + kap1 * kap1 + (kap1 + kap2) * (kap1 + kap2))) / (kap1 * (k + kap2 * kap2) * (k + kap1 * kap1));
}

/**
 * Contact exchange inside the grains L_loc (Eq. 39; k₂ limit k_F^{s′}, A33):
 * fd₂ fd₁ [ |τ₁|² e^{−2dκ₁}/κ₁ B(κ₁,k₂,κ₂) + |τ₂|² e^{−2dκ₂}/κ₂ B(κ₂,k₁,κ₁) ];
 * L_loc = C_loc Σ_{ss′} γ(s,s′) ∫∫…, C_loc = 3a(U − h_B)/(2^p π((k_F⁺)³ + (k_F⁻)³)) (A2, A35, A36).
 */
export function llocIntegrand(B: GranularBands, b1: number, b2: number, n1: MomentumNode, n2: MomentumNode): number {
  const t1 = tau2(n1.k, B.kmax[b1]), t2 = tau2(n2.k, B.kmax[b2]);
  return n1.fd * n2.fd * (
    (t1 * decay2(B, n1.kap) / n1.kap) * bracketB(n1.kap, n2.k, n2.kap) +
    (t2 * decay2(B, n2.kap) / n2.kap) * bracketB(n2.kap, n1.k, n1.kap));
}

/**
 * Charging-energy term L_Ec (Eqs. 37–38): δ X with
 * X = |τ₁|²|τ₂|²(κ₁+κ₂)² { e^{−2κ₁d}/((k₂²+κ₁²)²κ₁) + e^{−2κ₂d}/((k₁²+κ₂²)²κ₂) + 2e^{−(κ₁+κ₂)d}/((k₂²+κ₁²)(k₁²+κ₂²)max(κ₁,κ₂)) }
 * (the 2 from expanding |X + Y|² in Eq. 37, A30); L_Ec = e²/(64π³ε₀ε_eff) Σ γ ∫∫… (A31, A32).
 */
export function lecIntegrand(B: GranularBands, b1: number, b2: number, n1: MomentumNode, n2: MomentumNode): number {
  const delta = Math.min(n1.fd, n2.fd);
  if (!(delta > 0)) return 0;
  const ks = n1.kap + n2.kap;
  const g1 = n2.k * n2.k + n1.kap * n1.kap, g2 = n1.k * n1.k + n2.kap * n2.kap;
  const e1 = decay2(B, n1.kap), e2 = decay2(B, n2.kap);
  const X = tau2(n1.k, B.kmax[b1]) * tau2(n2.k, B.kmax[b2]) * ks * ks * (
    e1 / (g1 * g1 * n1.kap) + e2 / (g2 * g2 * n2.kap) + (2 * Math.sqrt(e1 * e2)) / (g1 * g2 * Math.max(n1.kap, n2.kap)));
  return delta * X;
}

/**
 * The (k₁, k₂) factor of I_ex (Eqs. 26–27): |τ₁|²|τ₂|²/(κ₁+κ₂) e^{−d(κ₁+κ₂)} e^{|κ₁−κ₂|d}, scaled; it multiplies
 * ∫_0^{R₁+R₂} q ω̂(q, κ₁−κ₂) ½A_lens(q; R₁, R₂) dq with R = √fd (the in-plane Fermi discs, A21, A25, A26).
 * I_ex = C_I ½[Sq₊₊ + Sq₋₋ − Sq₊₋ − Sq₋₊], C_I = e²a/(16π⁴ε₀ε) (Eq. 27 lacks the factor a, A22; its triangle is ½ the
 * square, A23; the printed Ĩ̃ − Ĩ⁺ − Ĩ⁻ = C_I[½Sq₊₊ + ½Sq₋₋ − Sq₊₋] is the same since Sq₊₋ = Sq₋₊).
 */
export function iexPairFactor(B: GranularBands, b1: number, b2: number, n1: MomentumNode, n2: MomentumNode): number {
  return (tau2(n1.k, B.kmax[b1]) * tau2(n2.k, B.kmax[b2]) / (n1.kap + n2.kap)) * decay2(B, Math.min(n1.kap, n2.kap));
}

/** γ(s, s′): +1 for the same band (an FM pair), −1 for a cross pair (AFM). */
export const gammaSS = (b1: number, b2: number): number => (b1 === b2 ? 1 : -1);
export { bandSign };
