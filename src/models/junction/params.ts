// Parameters of the molecular dimer junction of seed 000 (Fransson, Ren, Zhu): two molecular levels
// ε_nσ coupled by hopping T_c; molecule 1 couples to the left lead, molecule 2 to the right lead;
// wide-band leads with Stoner polarizations p_χ along (possibly non-collinear) unit vectors p̂_χ;
// local exchange J_n s_n·S_n between the level's electron spin and the molecular spin S_n.
// Units: energies meV, bias eV in meV (V in mV), temperatures K.
import { KB } from '../../numerics/units.ts';
import { unit3, type Vec3 } from '../../numerics/vec3.ts';
import type { Reservoir } from '../../numerics/fermi.ts';
export { fermi, type Reservoir } from '../../numerics/fermi.ts';

export interface JunctionParams {
  /** ε_nσ (meV): eps[n][σ], n = 0 (molecule 1, left), 1 (molecule 2, right); σ = 0 (↑ along ẑ), 1 (↓). */
  eps: [[number, number], [number, number]];
  /** Interlevel hopping T_c (meV). */
  Tc: number;
  /** Lead couplings Γ^L (to molecule 1) and Γ^R (to molecule 2), meV; Γ^χ = Σ_σ Γ^χ_σ. */
  GammaL: number;
  GammaR: number;
  /** Stoner polarizations p_χ ∈ [−1, 1]: Γ^χ_σ = Γ^χ (1 + σ p_χ)/2 along dirL / dirR. */
  pL: number;
  pR: number;
  /** Polarization axes of the leads (unit vectors; ẑ for the paper's collinear case). */
  dirL: Vec3;
  dirR: Vec3;
  /** Chemical potential μ (meV) and bias V (mV): μ_L = μ + V/2, μ_R = μ − V/2. */
  mu: number;
  V: number;
  /** Left-lead temperature T_L (K) and thermal bias ΔT = T_R − T_L (K). */
  TL: number;
  dT: number;
  /** Local exchange couplings J_1, J_2 (meV). */
  J1: number;
  J2: number;
}

/** The paper's Fig. 2 parameters: ε0 = 0, T_c = 3Γ = J_1 = J_2 = 1 meV, T_L = 1 K, unpolarized, at equilibrium. */
export const FIG2_DEFAULTS: JunctionParams = {
  eps: [[0, 0], [0, 0]], Tc: 1, GammaL: 1 / 6, GammaR: 1 / 6, pL: 0, pR: 0, dirL: [0, 0, 1], dirR: [0, 0, 1],
  mu: 0, V: 0, TL: 1, dT: 0, J1: 1, J2: 1,
};

export function junction(over: Partial<JunctionParams> = {}): JunctionParams {
  return validateJunction({ ...FIG2_DEFAULTS, ...over });
}

function finite(x: number, what: string, unit: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`${what} must be a finite number (${unit}), got ${x}`);
  return x;
}

/** Check every parameter and name the offending one with its allowed range; returns a normalised copy. */
export function validateJunction(p: JunctionParams): JunctionParams {
  if (!Array.isArray(p.eps) || p.eps.length !== 2 || p.eps.some(e => !Array.isArray(e) || e.length !== 2)) {
    throw new RangeError('eps must be [[ε1↑, ε1↓], [ε2↑, ε2↓]] in meV');
  }
  p.eps.forEach((e, n) => e.forEach((x, s) => finite(x, `eps${n + 1}${s ? '↓' : '↑'}`, 'meV')));
  finite(p.Tc, 'Tc', 'meV');
  for (const [k, v] of [['GammaL', p.GammaL], ['GammaR', p.GammaR]] as const) {
    finite(v, k, 'meV');
    if (v < 0) throw new RangeError(`${k} must be ≥ 0 meV, got ${v}`);
  }
  if (!(p.GammaL + p.GammaR > 0)) throw new RangeError('GammaL + GammaR must be > 0 meV (an isolated dimer has no steady state)');
  for (const [k, v] of [['pL', p.pL], ['pR', p.pR]] as const) {
    finite(v, k, 'dimensionless');
    if (v < -1 || v > 1) throw new RangeError(`${k} must be in [-1, 1], got ${v}`);
  }
  finite(p.mu, 'mu', 'meV'); finite(p.V, 'V', 'mV'); finite(p.J1, 'J1', 'meV'); finite(p.J2, 'J2', 'meV');
  finite(p.TL, 'TL', 'K'); finite(p.dT, 'dT', 'K');
  if (p.TL < 0) throw new RangeError(`TL must be ≥ 0 K, got ${p.TL}`);
  if (p.TL + p.dT < 0) throw new RangeError(`TR = TL + dT must be ≥ 0 K, got TL=${p.TL}, dT=${p.dT}`);
  return {
    ...p, eps: [[p.eps[0][0], p.eps[0][1]], [p.eps[1][0], p.eps[1][1]]],
    dirL: unit3(p.dirL, 'dirL'), dirR: unit3(p.dirR, 'dirR'),
  };
}


/** Left and right reservoirs: μ_{L,R} = μ ± V/2 (meV), k_B T_{L,R} (meV). */
export function reservoirs(p: JunctionParams): { L: Reservoir; R: Reservoir } {
  return { L: { mu: p.mu + p.V / 2, kT: KB * p.TL }, R: { mu: p.mu - p.V / 2, kT: KB * (p.TL + p.dT) } };
}


/** Symmetric dimer of the closed forms (Eqs. 7–9): ε_nσ = ε0, Γ^L = Γ^R = Γ/2, collinear ẑ leads. */
export function isSymmetricCollinear(p: JunctionParams, tol = 1e-12): boolean {
  const e0 = p.eps[0][0];
  const flat = [p.eps[0][1], p.eps[1][0], p.eps[1][1]].every(e => Math.abs(e - e0) <= tol);
  const z = (d: Vec3) => Math.abs(Math.abs(d[2]) - 1) <= tol;
  return flat && Math.abs(p.GammaL - p.GammaR) <= tol * (p.GammaL + p.GammaR) && z(p.dirL) && z(p.dirR);
}

/** Lead coupling matrix Γ^χ in spin space: (Γ^χ/2)(σ⁰ + p_χ p̂_χ·σ), as a 2×2 complex C2. */
export function leadCoupling(gamma: number, p: number, dir: Vec3): Float64Array {
  const g = gamma / 2, [x, y, z] = dir;
  return Float64Array.of(g * (1 + p * z), 0, g * p * x, -g * p * y, g * p * x, g * p * y, g * (1 - p * z), 0);
}
