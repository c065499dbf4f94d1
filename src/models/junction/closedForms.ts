// Closed forms of seed 000 (Fransson, Ren, Zhu) for the symmetric collinear dimer, Eqs. 7–9, evaluated
// exactly as printed, plus the pair couplings they imply in the project convention
//   E_pair = −Czz S1z S2z − Cxx (S1x S2x + S1y S2y) − Dz (S1 × S2)_z     (counted once).
//
// Accepted parameters (RangeError otherwise): ε_nσ all equal (= ε0), Γ^L = Γ^R, leads polarized along ±ẑ
// (p_χ → p_χ·ẑ·p̂_χ), Γ_σ = Γ^L_σ + Γ^R_σ > 0 for both spins. p_L ≠ p_R IS accepted for all three
// equations — Eq. 9 needs it — and then Eqs. 7–8 are evaluated as printed with Γ_σ = Γ^L_σ + Γ^R_σ;
// they are exact (to second order in J_n) only for p_L = p_R, since Γ^χ_σ = Γ_σ/2 fails otherwise.
// Resonances as the printed numerators require: E_σ± = ε0 ± T_c − iΓ_σ/4, so
//   |ε − E_σ+|²|ε − E_σ−|² = |(x + iw_σ)² − T_c²|²,  x = ε − ε0,  w_σ = Γ_σ/4.
//
// Pair couplings (derived in the report; second order in J_n):
//   Czz = Eq. 7 and Cxx = Eq. 7 − Eq. 8/2 (at equilibrium; Eq. 8 = 2(Czz − Cxx)).
//   The DM part of the static field B_1 = C_12 S_2, B_2 = C_21 S_1 of the collinear dimer (equal levels,
//   any Γ^χ_σ) is, with exact |D_σ|² = |(x + iΓ^L_σ/2)(x + iΓ^R_σ/2) − T_c²|²,
//     C^{xy}_{12,21} = (J1J2T_c²/8π) ∫ (f_R − f_L) [x² K ± (x² − T_c²) P] / (|D_↑|²|D_↓|²) dε,
//     K = Γ^L_↑Γ^R_↓ − Γ^L_↓Γ^R_↑ (Eq. 9's combination),  P = Γ^L_↑Γ^R_↑ − Γ^L_↓Γ^R_↓.
//   The reciprocal DM (what an energy −Dz(S1×S2)_z gives) is Dz = (C^{xy}_12 − C^{xy}_21)/2, ∝ P ∝ p_L + p_R;
//   the non-reciprocal part κ = (C^{xy}_12 + C^{xy}_21)/2 (fields B_n ⊃ κ S_m × ẑ on both spins, no energy)
//   is ∝ K ∝ p_L − p_R and equals Eq. 9 / 8 when the exact |D_σ|² is replaced by the printed one.
import { energyIntegral, integrate, type QuadOptions as EnergyIntegralOptions, type QuadValue } from '../../numerics/quadrature.ts';
import { fermi, reservoirs, type JunctionParams, type Reservoir } from './params.ts';

export type { QuadValue, QuadOptions as EnergyIntegralOptions } from '../../numerics/quadrature.ts';

/** The Fermi factor is cut where f or 1 − f < e^{−40} ≈ 4.2e−18 (relative tail bound of the cut). */
export const FERMI_CUT = 40;

/** Energies where f_χ changes: [μ, μ] at T = 0 (a step), [μ − 40kT, μ + 40kT] otherwise. */
export function fermiWindow(r: Reservoir): [number, number] {
  return r.kT === 0 ? [r.mu, r.mu] : [r.mu - FERMI_CUT * r.kT, r.mu + FERMI_CUT * r.kT];
}

/** Spin-resolved couplings of the symmetric collinear dimer, validated. */
export interface SymmetricDimer {
  e0: number; Tc: number; JJ: number;
  /** Γ^L_σ, Γ^R_σ, Γ_σ for σ = ↑ (0), ↓ (1), meV. */
  gL: [number, number]; gR: [number, number]; g: [number, number];
  L: Reservoir; R: Reservoir;
}

export function symmetricDimer(p: JunctionParams): SymmetricDimer {
  const e0 = p.eps[0][0], tolE = 1e-12 * Math.max(1, Math.abs(e0));
  if ([p.eps[0][1], p.eps[1][0], p.eps[1][1]].some(e => Math.abs(e - e0) > tolE)) {
    throw new RangeError(`eps: Eqs. 7–9 need equal levels ε_nσ = ε0 for n = 1, 2 and both spins, got ${JSON.stringify(p.eps)}`);
  }
  if (Math.abs(p.GammaL - p.GammaR) > 1e-12 * (p.GammaL + p.GammaR)) {
    throw new RangeError(`GammaL, GammaR: Eqs. 7–9 need symmetric couplings GammaL = GammaR, got ${p.GammaL}, ${p.GammaR}`);
  }
  for (const [k, d] of [['dirL', p.dirL], ['dirR', p.dirR]] as const) {
    if (Math.abs(Math.abs(d[2]) - 1) > 1e-12) throw new RangeError(`${k}: Eqs. 7–9 need collinear leads along ±z, got ${d.join(',')}`);
  }
  const pL = p.pL * Math.sign(p.dirL[2]), pR = p.pR * Math.sign(p.dirR[2]);
  const gL: [number, number] = [(p.GammaL * (1 + pL)) / 2, (p.GammaL * (1 - pL)) / 2];
  const gR: [number, number] = [(p.GammaR * (1 + pR)) / 2, (p.GammaR * (1 - pR)) / 2];
  const g: [number, number] = [gL[0] + gR[0], gL[1] + gR[1]];
  if (!(g[0] > 0 && g[1] > 0)) throw new RangeError(`pL, pR: both spins must be broadened (Γ_σ > 0), got pL=${p.pL}, pR=${p.pR}`);
  const { L, R } = reservoirs(p);
  return { e0, Tc: p.Tc, JJ: p.J1 * p.J2, gL, gR, g, L, R };
}

/** |(x + i w)² − T_c²|² = |ε − E_σ+|²|ε − E_σ−|² with the printed resonances (w = Γ_σ/4). */
function denomPrinted(x: number, w: number, Tc: number): number {
  const re = x * x - w * w - Tc * Tc, im = 2 * x * w;
  return re * re + im * im;
}

/** Exact |D_σ|² = |(x + iΓ^L_σ/2)(x + iΓ^R_σ/2) − T_c²|² (poles of Gʳ_σ for unequal Γ^L_σ, Γ^R_σ). */
function denomExact(x: number, gl: number, gr: number, Tc: number): number {
  const re = x * x - (gl * gr) / 4 - Tc * Tc, im = (x * (gl + gr)) / 2;
  return re * re + im * im;
}

/** Breakpoints: resonance centres ε0 ± T_c with ±5 widths, and the Fermi windows. */
function breakpoints(d: SymmetricDimer): number[] {
  const out = [...fermiWindow(d.L), ...fermiWindow(d.R)];
  for (const c of [d.e0 - d.Tc, d.e0 + d.Tc]) for (const w of d.g.map(x => x / 4)) out.push(c, c - 5 * w, c + 5 * w);
  return out;
}

const lengthScale = (d: SymmetricDimer) => Math.max(Math.abs(d.Tc), d.g[0] + d.g[1]);

/** ∫ (f_L + f_R) h dε over (−∞, top of the Fermi windows]. */
function occupiedIntegral(d: SymmetricDimer, h: (x: number) => number, opts: EnergyIntegralOptions): QuadValue {
  const hi = Math.max(fermiWindow(d.L)[1], fermiWindow(d.R)[1]);
  const g = (e: number) => (fermi(e, d.L) + fermi(e, d.R)) * h(e - d.e0);
  return energyIntegral(g, -Infinity, hi, breakpoints(d), lengthScale(d), opts);
}

/** ∫ (f_L − f_R) h dε: f_L − f_R vanishes outside the union of the Fermi windows. */
function biasWindowIntegral(d: SymmetricDimer, h: (x: number) => number, opts: EnergyIntegralOptions): QuadValue {
  const [a1, b1] = fermiWindow(d.L), [a2, b2] = fermiWindow(d.R);
  const g = (e: number) => (fermi(e, d.L) - fermi(e, d.R)) * h(e - d.e0);
  return energyIntegral(g, Math.min(a1, a2), Math.max(b1, b2), breakpoints(d), lengthScale(d), opts);
}

const scaled = (q: QuadValue, c: number): QuadValue => ({ value: c * q.value, error: Math.abs(c) * q.error });

/** Eq. 7 as printed: Heisenberg exchange J_12 (meV); at equilibrium the pair's Czz. */
export function heisenbergClosed(p: JunctionParams, opts: EnergyIntegralOptions = {}): QuadValue {
  const d = symmetricDimer(p), T2 = d.Tc * d.Tc;
  const h = (x: number) => {
    let s = 0;
    for (let i = 0; i < 2; i++) {
      const w = d.g[i] / 4, D = denomPrinted(x, w, d.Tc);
      s += (d.g[i] * x * (x * x - T2 - w * w)) / (D * D);
    }
    return s;
  };
  return scaled(occupiedIntegral(d, h, opts), -(T2 * d.JJ) / (8 * Math.PI));
}

/** Eq. 8 as printed: Ising exchange I_12 (meV); = 2(Czz − Cxx) at equilibrium. */
export function isingClosed(p: JunctionParams, opts: EnergyIntegralOptions = {}): QuadValue {
  const d = symmetricDimer(p), T2 = d.Tc * d.Tc, sz = [1, -1];
  const h = (x: number) => {
    const D = [0, 1].map(i => denomPrinted(x, d.g[i] / 4, d.Tc));
    let s = 0;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
      const wj = d.g[j] / 4;
      s += (sz[i] * sz[j] * d.g[i] * x * (x * x - T2 - wj * wj)) / (D[i] * D[j]);
    }
    return s;
  };
  return scaled(occupiedIntegral(d, h, opts), -(T2 * d.JJ) / (4 * Math.PI));
}

/** Eq. 9 as printed: DM exchange D_12 (meV), odd in V and ΔT; zero for p_L = p_R. */
export function dmClosed(p: JunctionParams, opts: EnergyIntegralOptions = {}): QuadValue {
  const d = symmetricDimer(p), T2 = d.Tc * d.Tc;
  const K = d.gL[0] * d.gR[1] - d.gL[1] * d.gR[0];
  if (K === 0) return { value: 0, error: 0 };
  const h = (x: number) => (x * x) / (denomPrinted(x, d.g[0] / 4, d.Tc) * denomPrinted(x, d.g[1] / 4, d.Tc));
  return scaled(biasWindowIntegral(d, h, opts), -(d.JJ * T2 * K) / Math.PI);
}

/**
 * DM parts of the static field (derived, second order in J_n, exact |D_σ|²): the reciprocal Dz of the
 * energy convention and the non-reciprocal κ (B_1 ⊃ κ S_2 × ẑ, B_2 ⊃ κ S_1 × ẑ), both meV.
 */
export function dmFieldClosed(p: JunctionParams, opts: EnergyIntegralOptions = {}): { Dz: QuadValue; kappa: QuadValue } {
  const d = symmetricDimer(p), T2 = d.Tc * d.Tc;
  const K = d.gL[0] * d.gR[1] - d.gL[1] * d.gR[0], P = d.gL[0] * d.gR[0] - d.gL[1] * d.gR[1];
  const den = (x: number) => denomExact(x, d.gL[0], d.gR[0], d.Tc) * denomExact(x, d.gL[1], d.gR[1], d.Tc);
  // (f_R − f_L) = −(f_L − f_R): the prefactor J1J2T_c²/8π carries the minus sign.
  const c = -(d.JJ * T2) / (8 * Math.PI);
  const Dz = P === 0 ? { value: 0, error: 0 } : scaled(biasWindowIntegral(d, x => (x * x - T2) / den(x), opts), c * P);
  const kappa = K === 0 ? { value: 0, error: 0 } : scaled(biasWindowIntegral(d, x => (x * x) / den(x), opts), c * K);
  return { Dz, kappa };
}

export interface ClosedPairCoupling {
  /** Czz = Eq. 7, Cxx = Eq. 7 − Eq. 8/2 (meV); exact at equilibrium for p_L = p_R. */
  Czz: number; Cxx: number;
  /** Reciprocal DM of E ⊃ −Dz (S1 × S2)_z (meV), ∝ p_L + p_R; NOT Eq. 9. */
  Dz: number;
  /** Non-reciprocal DM-like field coefficient κ (meV), ∝ p_L − p_R; Eq. 9 ≈ 8κ. */
  kappa: number;
  /** The printed values Eqs. 7, 8, 9 (meV). */
  eq7: number; eq8: number; eq9: number;
}

export function pairCouplingClosed(p: JunctionParams, opts: EnergyIntegralOptions = {}): ClosedPairCoupling {
  const eq7 = heisenbergClosed(p, opts).value, eq8 = isingClosed(p, opts).value, eq9 = dmClosed(p, opts).value;
  const { Dz, kappa } = dmFieldClosed(p, opts);
  return { Czz: eq7, Cxx: eq7 - eq8 / 2, Dz: Dz.value, kappa: kappa.value, eq7, eq8, eq9 };
}
