// The drain macrospin in the LLG core's terms (src/llg/model.ts convention), and the torque tables it consumes.
//
// Paper Eq. 1 (spin direction n, ħ = 1, energies in Γ, time in 1/Γ):
//   S dn/dt = −n × ∂E/∂n + (n × e_z) I_FL + n × (n × e_z) I_DL − αS n × dn/dt,  E = −(KV/2)(n·e_z)²,  + thermal field.
// Core (moment direction m, energy E(m), B = −∂E/∂m + b):
//   dm/dt = −(1/ħS) m × (B + a_FL(u) p) − (a_DL(u)/ħS) m × (m × p) + α m × dm/dt,  u = m·p.
// Map: m = −n for BOTH magnets (the electron moment is opposite to its spin), so p = m_S = −n_S and u = m·p = n_D·n_S = cos θ.
// Substituting n = −m, n_S = −p: n × e_z = m × p and n × (n × e_z) = −m × (m × p), which gives
//   a_FL(u) = +I_FL(θ),  a_DL(u) = −I_DL(θ),  θ = arccos u,
// the anisotropy K = KV/2 on the easy axis e_z (even in m), Gilbert α unchanged (if Eq. 1's damping is αS n × ṅ, as
// Eq. 5 requires; for the literal α n × ṅ use α/S — the same for the paper's S = 1), and the thermal field
// ⟨b_i b_j⟩ = σ² δ_ij δ(t − t′) ⇔ the core's 2αħS k_BT: k_BT_eff = σ²/(2αS). Because the whole problem is even under
// m → −m of both magnets, the core may simply use p = +ẑ with the parallel start m = +ẑ (θ = 0).
// Physical units for the core (meV, ps, K) with Γ = gammaMeV meV: energies ×gammaMeV, time 1/Γ = ħ/Γ = HBAR/gammaMeV ps,
// T_eff = σ² gammaMeV/(2αS k_B) K.
import { HBAR, KB } from '../../numerics/units.ts';

/** The paper's drain magnet (Fig. 2): KV = 0.01Γ, α = 0.1, σ² = 1e-4, S = 1 (not given: the note's choice), Δt = 1e-2/Γ, t ∈ [1e4, 2e4]/Γ. */
export const PAPER_MAGNET = { KV: 0.01, alpha: 0.1, sigma2: 1e-4, S: 1, dt: 1e-2, averageFrom: 1e4, duration: 2e4 } as const;

export interface MagnetParams { KV: number; alpha: number; sigma2: number; S: number }

export interface DrainLlgSpin {
  /** Core spin length S, Gilbert α, anisotropy K = KV/2 (meV for the chosen Γ), its axis, the torque axis p and the parallel start. */
  S: number; alpha: number; anisotropy: number; easyAxis: [number, number, number]; torqueAxis: [number, number, number]; init: [number, number, number];
  /** Bath temperature for the core's FDT noise, K: k_BT_eff = σ² Γ/(2αS). */
  temperature: number;
  /** Multiply the Γ-unit torque tables by this to get the core's meV. */
  torqueScale: number;
  /** ps per 1/Γ (time unit of the paper's Δt, t). */
  timeUnitPs: number;
  /** The effective magnet temperature in units of Γ. */
  kTeff: number;
}

/** The drain magnet in the core's units, for Γ = gammaMeV meV (default 1: core energies equal the Γ numbers). */
export function drainLlgSpin(m: MagnetParams = PAPER_MAGNET, gammaMeV = 1): DrainLlgSpin {
  for (const k of ['KV', 'alpha', 'sigma2', 'S'] as const) if (!Number.isFinite(m[k])) throw new RangeError(`${k} must be finite, got ${m[k]}`);
  if (!(m.S > 0)) throw new RangeError(`S (macrospin) must be > 0, got ${m.S}`);
  if (!(m.alpha > 0)) throw new RangeError(`alpha must be > 0 (σ² fixes T_eff = σ²/2αS), got ${m.alpha}`);
  if (!(m.sigma2 >= 0)) throw new RangeError(`sigma2 must be ≥ 0, got ${m.sigma2}`);
  if (!(gammaMeV > 0)) throw new RangeError(`gammaMeV must be > 0, got ${gammaMeV}`);
  const kTeff = m.sigma2 / (2 * m.alpha * m.S);
  return {
    S: m.S, alpha: m.alpha, anisotropy: (m.KV / 2) * gammaMeV, easyAxis: [0, 0, 1], torqueAxis: [0, 0, 1], init: [0, 0, 1],
    temperature: (kTeff * gammaMeV) / KB, torqueScale: gammaMeV, timeUnitPs: HBAR / gammaMeV, kTeff,
  };
}

/** Paper-convention Eq. 2 amplitudes (I_FL, I_DL) → the core's (a_FL, a_DL). */
export function coreAmplitudes(tauFL: number, tauDL: number): { fieldLike: number; dampingLike: number } {
  return { fieldLike: tauFL, dampingLike: -tauDL };
}
