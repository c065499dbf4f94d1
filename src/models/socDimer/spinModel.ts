// The localized spins of the seed-001 dimer: on-site energy E0, s-d coupling Δ, spin S, and how the
// electronic couplings (couplings.ts, paper normalisation) scale into fields, damping and noise.
//
// Two readings of the paper's normalisation (see docs and README):
//  - 'physical' (default): H_sd = −ΔS m_a·s_a. Field on spin a: B_a = −∂E0/∂m_a + ΔS⟨s_a⟩ + Δ²S² Σ_b χ_ab m_b
//    (meV, conjugate to the unit vector m_a); Gilbert tensor α_ab = Δ²S (α^(i) 1 + α^(an) t̂t̂)_ab; noise
//    covariance ħΔ²S² (j^(i) 1 + j^(an) t̂t̂)_ab. Isotropic local damping and noise then give Boltzmann
//    at k_BT_eff = j^(i)/(2α^(i)) — equal to k_BT in equilibrium (FDT, tested).
//  - 'literal': Eqs. 3–7 as printed: B = −∂E0/∂m + Δ⟨s⟩ + Δ² Σ χ m, α = Δ²(α^(i) + α^(an) t̂t̂), and the
//    paper's β = 2S²ħα^(i)/j^(i), i.e. k_BT_eff = j^(i)/(2S²α^(i)); the Langevin noise ħΔ²j/S is the one
//    whose stationary state is that β (S² = 6.25 times weaker noise than 'physical' at S = 5/2).
import { MU_B } from '../../numerics/units.ts';
import { cross3, dot3, unit3, type Vec3 } from '../../numerics/vec3.ts';
import type { SocCouplings } from './couplings.ts';
import type { QuadraticEnergy } from '../../numerics/sphere.ts';

export const READINGS = ['physical', 'literal'] as const;
export type Reading = typeof READINGS[number];

export interface SpinModel {
  /** Spin length S of both localized moments. */
  S: number;
  /** s-d exchange Δ (meV). */
  Delta: number;
  reading: Reading;
  /** Easy-axis anisotropy K_e (meV): E0 ∋ −K_e S² (m·e)². */
  Keasy: number; easyAxis: Vec3;
  /** Hard-axis anisotropy K_h (meV): E0 ∋ +K_h S² (m·h)². */
  Khard: number; hardAxis: Vec3;
  /** Zeeman field (T) along fieldAxis, g-factor: E0 ∋ −g μ_B B S (m·b). */
  B: number; fieldAxis: Vec3; g: number;
  /** Include the local out-of-equilibrium DM-like field Δ²S² χ^dm_aa (m_a × t̂) that the paper's Eq. 4 drops. */
  selfTorque: boolean;
}

/**
 * Documented defaults standing in for Ref. [5]'s unpublished values (README): easy axis ẑ, hard axis along
 * t̂ = x̂, K_e = 0.004 meV, K_h = 0.002 meV, B = 0.1 T along ẑ, S = 5/2, Δ = 5 meV with the physical reading.
 */
export const SPIN_DEFAULTS: SpinModel = {
  S: 2.5, Delta: 5, reading: 'physical', Keasy: 0.004, easyAxis: [0, 0, 1], Khard: 0.002, hardAxis: [1, 0, 0],
  B: 0.1, fieldAxis: [0, 0, 1], g: 2, selfTorque: false,
};

export function spinModel(over: Partial<SpinModel> = {}): SpinModel {
  const m = { ...SPIN_DEFAULTS, ...over };
  const fin = (k: keyof SpinModel, lo = -Infinity, hi = Infinity) => {
    const v = m[k] as number;
    if (!Number.isFinite(v) || v < lo || v > hi) throw new RangeError(`${k} must be a finite number in [${lo}, ${hi}], got ${v}`);
  };
  fin('S', 1e-6, 1e4); fin('Delta', 0, 1e4); fin('Keasy'); fin('Khard'); fin('B', -1e4, 1e4); fin('g', 0, 100);
  if (!(m.S > 0)) throw new RangeError(`S must be > 0, got ${m.S}`);
  if (!READINGS.includes(m.reading)) throw new RangeError(`reading must be one of ${READINGS.join(', ')}, got ${m.reading}`);
  return { ...m, easyAxis: unit3(m.easyAxis, 'easy axis'), hardAxis: unit3(m.hardAxis, 'hard axis'), fieldAxis: unit3(m.fieldAxis, 'field axis') };
}

/** How couplings in the paper's normalisation scale into the LLG (see header). */
export interface Scales { field: number; exchange: number; gilbert: number; noise: number; kTeffPerJoverAlpha: number }
export function scales(m: SpinModel): Scales {
  const { S, Delta: D } = m, D2 = D * D;
  return m.reading === 'physical'
    ? { field: D * S, exchange: D2 * S * S, gilbert: D2 * S, noise: D2 * S * S, kTeffPerJoverAlpha: 0.5 }
    : { field: D, exchange: D2, gilbert: D2, noise: D2 / S, kTeffPerJoverAlpha: 0.5 / (S * S) };
}

/** Effective temperature of the free spin 2 (meV): k_BT_eff = j^(i)_22 / (2 α^(i)_22) (× 1/S² literal). */
export function kTeff(c: SocCouplings, m: SpinModel): number {
  return (scales(m).kTeffPerJoverAlpha * c.noise[1][1].iso) / c.damping[1][1].iso;
}

/** Zeeman field (meV) on a spin: −∂E0/∂m of the linear term, g μ_B B S b. */
export function zeemanField(m: SpinModel): Vec3 {
  const z = m.g * MU_B * m.B * m.S;
  return [z * m.fieldAxis[0], z * m.fieldAxis[1], z * m.fieldAxis[2]];
}

/**
 * Energy (meV) of the free spin 2 at orientation m with spin 1 pinned along m1 — Eq. 7 in the chosen
 * reading: E0(m) − F⟨s_2⟩·m − X[J_2 m·m1 + D_2 t̂·(m×m1) + A_2 (m·t̂)(m1·t̂) + ½K_2 (m·t̂)²], as the
 * quadratic form m·A·m + b·m.
 */
export function pinnedEnergy(c: SocCouplings, m: SpinModel, m1: Vec3, tHat: Vec3): QuadraticEnergy {
  const sc = scales(m), S2 = m.S * m.S, x21 = c.exchange[1][0], K2 = c.exchange[1][1].an;
  const bz = zeemanField(m), s = sc.field * c.spin[1];
  const m1t = dot3(m1, tHat), m1xt = cross3(m1, tHat); // t̂·(m×m1) = m·(m1×t̂)
  // linear part: Zeeman + ⟨s⟩ + exchange with the pinned spin
  const b = [0, 1, 2].map(i => -(bz[i] + s * tHat[i] + sc.exchange * (x21.iso * m1[i] + x21.dm * m1xt[i] + x21.an * m1t * tHat[i])));
  const e = m.easyAxis, h = m.hardAxis, half = 0.5 * sc.exchange * K2, A: number[] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) A.push(-m.Keasy * S2 * e[i] * e[j] + m.Khard * S2 * h[i] * h[j] - half * tHat[i] * tHat[j]);
  return { A, b };
}
