// FMR of the drain macrospin with the transport torques (paper Eq. 5), float64.
//
// Linearised Eq. 1 (spin direction n, S the macrospin, energy E = −(KV/2) n_z², drive h(t) = h_x cos Ωt x̂ entering
// like the anisotropy field, γH → ∂E/∂n + h, with γ = 1) about the collinear state n = s e_z (s = +1 parallel,
// s = −1 antiparallel to n_S = e_z), n = s e_z + (x, y, 0):
//   S ẋ = (sKV + I_FL) y + s I_DL x + s αS ẏ
//   S ẏ = −(sKV + I_FL) x − s h + s I_DL y − s αS ẋ
// with I_FL, I_DL the Eq. 2 amplitudes at θ = 0 (s = +1) or π (s = −1), and the Gilbert term αS n × ṅ that Eq. 5
// presupposes (Eq. 1 prints α n × ṅ; the two agree for S = 1). For e^{−iΩt}: a = sKV + I_FL − iΩsαS, d = −iΩS − sI_DL,
//   χ_xx(Ω) = x/h = −s a/(a² + d²),   n_x(t) = χ′ h cos Ωt + χ″ h sin Ωt  (χ = χ′ + iχ″).
// Eigenfrequencies: a² + d² = 0. For s = +1 and no torque: Ω = ±KV/(S(1 ∓ iα)) ≈ ±(KV/S)(1 − iα): the Kittel
// frequency KV/S (uniaxial, no applied field) with half-width αKV/S.
// The paper's Eq. 5 (s = +1) is this χ″ with the term −α²Ω²S² dropped from the real part of the denominator
// (derivation in docs/models/dotValve.md); Ω_R = (γH − I_FL)/S with γH = −KV, α_eff = α + I_DL/(SΩ_R).

export interface FmrInput {
  /** Anisotropy KV (Γ), Gilbert α, macrospin S (ħ). */
  KV: number; alpha: number; S: number;
  /** Eq. 2 amplitudes at the state (θ = 0 for state +1, θ = π for state −1), Γ. */
  tauFL: number; tauDL: number;
  /** +1: n_D = +e_z (parallel), −1: n_D = −e_z (antiparallel). */
  state: 1 | -1;
}

type Cx = [number, number];
const cmul = (a: Cx, b: Cx): Cx => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cdiv = (a: Cx, b: Cx): Cx => { const d = b[0] * b[0] + b[1] * b[1]; return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d]; };

function check(f: FmrInput): void {
  for (const k of ['KV', 'alpha', 'S', 'tauFL', 'tauDL'] as const) if (!Number.isFinite(f[k])) throw new RangeError(`FMR: ${k} must be finite, got ${f[k]}`);
  if (!(f.S > 0)) throw new RangeError(`FMR: S (macrospin) must be > 0, got ${f.S}`);
  if (!(f.alpha >= 0)) throw new RangeError(`FMR: alpha must be ≥ 0, got ${f.alpha}`);
  if (f.state !== 1 && f.state !== -1) throw new RangeError(`FMR: state must be +1 or −1, got ${f.state}`);
}

/** Exact linear response χ_xx(Ω) = χ′ + iχ″ of the linearised LLG. */
export function susceptibility(omega: number, f: FmrInput): Cx {
  check(f);
  const s = f.state;
  const a: Cx = [s * f.KV + f.tauFL, -omega * s * f.alpha * f.S];
  const d: Cx = [-s * f.tauDL, -omega * f.S];
  const den = cmul(a, a), d2 = cmul(d, d);
  return cdiv([-s * a[0], -s * a[1]], [den[0] + d2[0], den[1] + d2[1]]);
}

/**
 * The paper's Eq. 5 as printed (parallel state, α ≪ 1):
 *   χ″ = SΩ[−2S²Ω_R²α_eff + α(I_DL² + S²(Ω_R² − Ω²))] / {[I_DL² + S²(Ω_R² − Ω²)]² + (2S²α_eff ΩΩ_R)²},
 *   Ω_R = (γH − I_FL)/S, γH = −KV, α_eff = α + I_DL/(SΩ_R).
 */
export function susceptibilityEq5(omega: number, f: FmrInput): number {
  check(f);
  const S = f.S, OR = (-f.KV - f.tauFL) / S, ae = f.alpha + f.tauDL / (S * OR);
  const R = f.tauDL * f.tauDL + S * S * (OR * OR - omega * omega);
  const Q = 2 * S * S * ae * omega * OR;
  return (S * omega * (-2 * S * S * OR * OR * ae + f.alpha * R)) / (R * R + Q * Q);
}

/**
 * The eigenfrequencies Ω (a² + d² = 0, i.e. d = ±i a) with Re Ω ≥ 0 first: resonance frequency Re Ω, half-width −Im Ω;
 * stable iff every Im Ω < 0.
 */
export function fmrModes(f: FmrInput): { frequency: number; halfWidth: number; modes: Cx[]; stable: boolean } {
  check(f);
  const s = f.state, A = s * f.KV + f.tauFL, S = f.S;
  // d = σ i a:  −iΩS − sI_DL = σ i (A − iΩ s αS)  ⇒  Ω (−iS − σ sαS) = σ iA + sI_DL
  const modes: Cx[] = [1, -1].map(sig => cdiv([s * f.tauDL, sig * A], [-sig * s * f.alpha * S, -S]));
  modes.sort((m1, m2) => m2[0] - m1[0]);
  const stable = modes.every(m => m[1] < 0);
  return { frequency: modes[0][0], halfWidth: -modes[0][1], modes, stable };
}

/** The paper's effective quantities of Eq. 5: Ω_R and α_eff (parallel state). */
export function eq5Parameters(f: FmrInput): { omegaR: number; alphaEff: number } {
  const OR = (-f.KV - f.tauFL) / f.S;
  return { omegaR: OR, alphaEff: f.alpha + f.tauDL / (f.S * OR) };
}
