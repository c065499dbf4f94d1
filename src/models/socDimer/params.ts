// Parameters of the seed-001 SOC spin dimer (Leiva, Díaz, Núñez). Energies meV, bias mV, T in K.
import { KB } from '../../numerics/units.ts';
import { unit3, type Vec3 } from '../../numerics/vec3.ts';

export interface SocDimerParams {
  /** Lead hopping t_e, contact hoppings t_L, t_R, dimer hoppings t0 (spin-independent) and t (SOC), meV. */
  te: number; tL: number; tR: number; t0: number; t: number;
  /** SOC direction t̂ (unit vector). */
  tHat: Vec3;
  /** On-site energy ε0 of both sites, Fermi level μ_F (meV), bias V (mV): μ_L,R = μ_F ± V/2. */
  eps0: number; muF: number; V: number;
  /** Lead temperatures T_L and T_R = T_L + ΔT (K); T = 0 is a Fermi step. */
  TL: number; dT: number;
  /** Lead bands follow their chemical potentials under bias (band centre μ_χ − μ_F), or stay at 0. */
  bandShift: boolean;
}

/** The paper's parameters: t_e = 100, t0 = 2, t_L = t_R = 10 meV, ε0 = 0, weak SOC t = 5 % t0 along x̂, T → 0. */
export const SOC_DIMER_DEFAULTS: SocDimerParams = {
  te: 100, tL: 10, tR: 10, t0: 2, t: 0.1, tHat: [1, 0, 0], eps0: 0, muF: 0, V: 0, TL: 0, dT: 0, bandShift: true,
};

export function socDimer(over: Partial<SocDimerParams> = {}): SocDimerParams {
  const p = { ...SOC_DIMER_DEFAULTS, ...over };
  for (const k of ['te', 'tL', 'tR', 't0', 't', 'eps0', 'muF', 'V', 'TL', 'dT'] as const) {
    if (!Number.isFinite(p[k])) throw new RangeError(`${k} must be a finite number, got ${p[k]}`);
  }
  if (!(p.te > 0)) throw new RangeError(`te must be > 0 meV, got ${p.te}`);
  if (p.TL < 0 || p.TL + p.dT < 0) throw new RangeError(`temperatures must be ≥ 0 K, got TL=${p.TL}, TR=${p.TL + p.dT}`);
  return { ...p, tHat: unit3(p.tHat, 'tHat') };
}

export interface Lead { mu: number; kT: number; bandCentre: number; tc: number }

/** Left lead on site 1, right lead on site 2. */
export function leads(p: SocDimerParams): [Lead, Lead] {
  const muL = p.muF + p.V / 2, muR = p.muF - p.V / 2;
  return [
    { mu: muL, kT: KB * p.TL, bandCentre: p.bandShift ? muL - p.muF : 0, tc: p.tL },
    { mu: muR, kT: KB * (p.TL + p.dT), bandCentre: p.bandShift ? muR - p.muF : 0, tc: p.tR },
  ];
}
