// Thermal fluctuations of the drain around a collinear state (seed 004, the stochastic side of Eq. 5), float64.
//
// The linearised Eq. 1 of ./fmr.ts with the thermal field b in place of the drive h (both enter γH alike):
//   S ẋ − sαS ẏ = s I_DL x + A y + s b_y,   sαS ẋ + S ẏ = −A x + s I_DL y − s b_x,   A = sKV + I_FL,
// i.e. L ẋ = R x + s(b_y, −b_x) with L = S[[1, −sα], [sα, 1]], R = [[sI_DL, A], [−A, sI_DL]], ⟨b_i(t) b_j(t′)⟩ = σ² δ_ij δ(t − t′).
// In frequency space (e^{−iΩt}, a = A − iΩsαS, d = −iΩS − sI_DL) the response matrix is
//   χ_xx = χ_yy = −s a/(a² + d²),   χ_xy = −χ_yx = s d/(a² + d²)
// (χ_xx is fmr.ts's susceptibility), so the noise-driven spectrum of x (two-sided, S(Ω) = ∫dt e^{iΩt}⟨x(t)x(0)⟩) is
//   S_xx(Ω) = σ² (|χ_xx|² + |χ_xy|²) = σ² (|a|² + |d|²)/|a² + d²|²          (Ornstein–Uhlenbeck: |G|² × noise)
// with or without torques. Without torques the state is in equilibrium at k_BT = σ²/(2αS) and the
// fluctuation–dissipation theorem S_xx = −(2k_BT/Ω) χ″_xx holds identically (χ″ < 0 at resonance for this spin
// response, fmr.ts); with transport torques it fails by the factor the torques change the damping.
// In the time domain ẋ = F x + noise with F = L⁻¹R and diffusion σ²(L⁻¹L⁻ᵀ) = σ²/(S²(1 + α²)) 1; the stationary
// covariance Σ solves FΣ + ΣFᵀ + D = 0 and ⟨x(t + τ) x(t)ᵀ⟩ = e^{Fτ}Σ (τ ≥ 0). For samples x_k = x(kΔ), k < N, the
// periodogram P_j = (Δ/N)|Σ_k x_k e^{−iΩ_j kΔ}|² (Ω_j = 2πj/NΔ) has the exact mean
//   E[P_j] = Δ Σ_{|l|<N} (1 − |l|/N) C_xx(|l|Δ) e^{iΩ_j lΔ},
// leakage and aliasing included: the comparator of a measured spectrum.
import { susceptibility, type FmrInput } from './fmr.ts';
import { fft } from '../../numerics/fft.ts';

type Cx = [number, number];
const abs2 = (z: Cx) => z[0] * z[0] + z[1] * z[1];

/** χ_xx and χ_xy of the linearised dynamics at Ω (χ_yy = χ_xx, χ_yx = −χ_xy). */
export function susceptibilityTensor(omega: number, f: FmrInput): { xx: Cx; xy: Cx } {
  const xx = susceptibility(omega, f), s = f.state;
  // χ_xy = s d/(a² + d²) = −d/a · χ_xx
  const a: Cx = [s * f.KV + f.tauFL, -omega * s * f.alpha * f.S], d: Cx = [-s * f.tauDL, -omega * f.S];
  const n = abs2(a), da: Cx = [(d[0] * a[0] + d[1] * a[1]) / n, (d[1] * a[0] - d[0] * a[1]) / n];
  return { xx, xy: [-(da[0] * xx[0] - da[1] * xx[1]), -(da[0] * xx[1] + da[1] * xx[0])] };
}

/** Two-sided spectral density S_xx(Ω) of the noise-driven linearised dynamics, white thermal field of intensity σ². */
export function thermalSpectrum(omega: number, f: FmrInput, sigma2: number): number {
  const { xx, xy } = susceptibilityTensor(omega, f);
  return sigma2 * (abs2(xx) + abs2(xy));
}

/** The fluctuation–dissipation spectrum −(2k_BT/Ω) χ″_xx(Ω) (exact in equilibrium, i.e. without transport torques). */
export function fdtSpectrum(omega: number, f: FmrInput, kT: number): number {
  return (-2 * kT / omega) * susceptibility(omega, f)[1];
}

export interface LinearDynamics {
  /** Drift matrix F (row-major 2×2) of ẋ = F x + noise. */
  F: [number, number, number, number];
  /** Diffusion D = σ²/(S²(1 + α²)) (times the identity). */
  D: number;
  /** Stationary covariance Σ (row-major 2×2); NaN if the state is unstable. */
  Sigma: [number, number, number, number];
  stable: boolean;
}

export function linearDynamics(f: FmrInput, sigma2: number): LinearDynamics {
  const s = f.state, S = f.S, al = f.alpha, A = s * f.KV + f.tauFL, g = s * f.tauDL;
  // L⁻¹ = [[1, sα], [−sα, 1]]/(S(1 + α²))
  const c = 1 / (S * (1 + al * al));
  const Li = [c, c * s * al, -c * s * al, c];
  const R = [g, A, -A, g];
  const F: [number, number, number, number] = [
    Li[0] * R[0] + Li[1] * R[2], Li[0] * R[1] + Li[1] * R[3],
    Li[2] * R[0] + Li[3] * R[2], Li[2] * R[1] + Li[3] * R[3],
  ];
  const D = sigma2 / (S * S * (1 + al * al));
  const tr = F[0] + F[3], det = F[0] * F[3] - F[1] * F[2];
  const stable = tr < 0 && det > 0;
  // Lyapunov F Σ + Σ Fᵀ = −D·1 for symmetric Σ = [[p, q], [q, r]]:
  //   2(F0 p + F1 q) = −D,  F2 p + (F0 + F3) q + F1 r = 0,  2(F2 q + F3 r) = −D
  const M = [[2 * F[0], 2 * F[1], 0], [F[2], tr, F[1]], [0, 2 * F[2], 2 * F[3]]], rhs = [-D, 0, -D];
  const x = solve3(M, rhs);
  const Sigma: [number, number, number, number] = stable ? [x[0], x[1], x[1], x[2]] : [NaN, NaN, NaN, NaN];
  return { F, D, Sigma, stable };
}

function solve3(M: number[][], b: number[]): number[] {
  const a = M.map((r, i) => [...r, b[i]]);
  for (let k = 0; k < 3; k++) {
    let p = k;
    for (let i = k + 1; i < 3; i++) if (Math.abs(a[i][k]) > Math.abs(a[p][k])) p = i;
    [a[k], a[p]] = [a[p], a[k]];
    for (let i = k + 1; i < 3; i++) { const m = a[i][k] / a[k][k]; for (let j = k; j < 4; j++) a[i][j] -= m * a[k][j]; }
  }
  const x = [0, 0, 0];
  for (let i = 2; i >= 0; i--) { let s = a[i][3]; for (let j = i + 1; j < 3; j++) s -= a[i][j] * x[j]; x[i] = s / a[i][i]; }
  return x;
}

/** e^{Fτ} (row-major 2×2) for τ ≥ 0: F = m·1 + B (B traceless, B² = −det B·1). */
export function expm2(F: readonly number[], tau: number): [number, number, number, number] {
  const m = 0.5 * (F[0] + F[3]), b0 = F[0] - m, b3 = F[3] - m, q2 = b0 * b0 + F[1] * F[2]; // B² = q2·1
  let c: number, sh: number; // cosh(qτ), sinh(qτ)/q (or cos, sin for q2 < 0)
  if (q2 > 0) { const q = Math.sqrt(q2); c = Math.cosh(q * tau); sh = q * tau < 1e-8 ? tau : Math.sinh(q * tau) / q; }
  else if (q2 < 0) { const w = Math.sqrt(-q2); c = Math.cos(w * tau); sh = w * tau < 1e-8 ? tau : Math.sin(w * tau) / w; }
  else { c = 1; sh = tau; }
  const e = Math.exp(m * tau);
  return [e * (c + sh * b0), e * sh * F[1], e * sh * F[2], e * (c + sh * b3)];
}

/** ⟨x(t + τ) x(t)⟩ of the stationary process. */
export function autocorrelationXX(dyn: LinearDynamics, tau: number): number {
  const E = expm2(dyn.F, Math.abs(tau)), S = dyn.Sigma;
  return E[0] * S[0] + E[1] * S[2];
}

/**
 * Exact mean periodogram E[P_j], j = 0 … N/2, of N samples at spacing Δ (N a power of two), through one FFT of length 2N
 * of the triangle-weighted autocorrelation. Ω_j = 2πj/(NΔ).
 */
export function expectedPeriodogram(dyn: LinearDynamics, N: number, delta: number): { omega: Float64Array; power: Float64Array } {
  const L = 2 * N, re = new Float64Array(L), im = new Float64Array(L);
  for (let l = 0; l < N; l++) {
    const c = (1 - l / N) * autocorrelationXX(dyn, l * delta);
    re[l] += c;
    if (l > 0) re[L - l] += c;
  }
  fft(re, im);
  const omega = new Float64Array(N / 2 + 1), power = new Float64Array(N / 2 + 1);
  // Ω_j of the N-sample grid is bin 2j of the 2N-point transform
  for (let j = 0; j <= N / 2; j++) { omega[j] = (2 * Math.PI * j) / (N * delta); power[j] = delta * re[2 * j]; }
  return { omega, power };
}
