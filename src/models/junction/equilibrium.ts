// Equilibrium (Kramers–Kronig) form of the exchange quoted after Eq. 5 of seed 000,
//   J_12 = J_1 J_2 Σ_σ ∫ f(ε) Gʳ_{12σ}(ε) Gʳ_{21σ}(ε) dε / 4π,
// for any collinear dimer (unequal levels, Γ^L ≠ Γ^R, p_L ≠ p_R) with Gʳ from JunctionGreens.
// The printed "Gʳ_mσ Gʳ_nσ" is read as the round trip Gʳ_{12σ}Gʳ_{21σ}: the second-order grand potential
// of the two local perturbations V_n = (J_n/2) S_n·σ is ΔΩ ⊃ −(1/π)∫ f Im Tr[Gʳ_21 V_1 Gʳ_12 V_2] dε,
// whose S1z S2z term is the same-spin product. (For a collinear dimer Gʳ_12σ = Gʳ_21σ, Gʳ being complex
// symmetric, so the printed value is also Σ_σ ∫ f (Gʳ_12σ)².) The printed value is complex; the pair
// couplings of E_pair = −Czz S1zS2z − Cxx(S1xS2x + S1yS2y) are its imaginary parts:
//   Czz = (J1J2/4π) Σ_σ ∫ f Im[Gʳ_12σ Gʳ_21σ] dε      (same spin: the printed form's imaginary part)
//   Cxx = (J1J2/4π) Σ_σ ∫ f Im[Gʳ_12σ Gʳ_21σ̄] dε      (opposite spins: σˣ flips the spin)
// and Dz ≡ 0 (the xy term is i(Gʳ_12↑Gʳ_21↓ − Gʳ_12↓Gʳ_21↑) = 0 for a collinear dimer).
// Equilibrium only: the Fermi function is that of the common reservoir.
import { fermiWindow, type EnergyIntegralOptions } from './closedForms.ts';
import { energyIntegral } from '../../numerics/quadrature.ts';
import { JunctionGreens, resonances } from './greens.ts';
import { fermi, reservoirs, type JunctionParams } from './params.ts';

/** Throw unless V = ΔT = 0 (equilibrium forms). */
export function requireEquilibrium(p: JunctionParams, what: string): void {
  if (p.V !== 0) throw new RangeError(`V: ${what} holds at equilibrium only (V = 0 mV), got V=${p.V}`);
  if (p.dT !== 0) throw new RangeError(`dT: ${what} holds at equilibrium only (dT = 0 K), got dT=${p.dT}`);
}

/** Throw unless both leads are polarized along ±ẑ (collinear). */
export function requireCollinear(p: JunctionParams, what: string): void {
  for (const [k, d] of [['dirL', p.dirL], ['dirR', p.dirR]] as const) {
    if (Math.abs(Math.abs(d[2]) - 1) > 1e-12) throw new RangeError(`${k}: ${what} needs collinear leads along ±z, got ${d.join(',')}`);
  }
}

/** Real parts of all four resonances and their half-widths (collinear leads). */
export function resonanceBreaks(p: JunctionParams): { centres: number[]; widths: number[] } {
  const centres: number[] = [], widths: number[] = [];
  for (const s of [0, 1] as const) {
    const r = resonances(p, s);
    centres.push(r.plus[0], r.minus[0]); widths.push(-r.plus[1], -r.minus[1]);
  }
  return { centres, widths };
}

/** Breakpoints (resonances ± 5 widths, Fermi window) and a length scale for the tail map. */
export function equilibriumGrid(p: JunctionParams): { breaks: number[]; hi: number; L: number } {
  const { centres, widths } = resonanceBreaks(p), r = reservoirs(p).L, win = fermiWindow(r);
  const breaks = [...win];
  centres.forEach((c, i) => breaks.push(c, c - 5 * widths[i], c + 5 * widths[i]));
  const spread = Math.max(...centres) - Math.min(...centres);
  return { breaks, hi: win[1], L: Math.max(spread, Math.abs(p.Tc), p.GammaL + p.GammaR) };
}

export interface EquilibriumExchange {
  /** J1J2 Σ_σ ∫ f Gʳ_12σ Gʳ_21σ dε/4π as printed (complex, meV). */
  printed: { re: number; im: number };
  /** Pair couplings (meV) of E_pair = −Czz S1zS2z − Cxx(S1xS2x + S1yS2y); Czz = printed.im. */
  Czz: number;
  Cxx: number;
  /** Quadrature error estimates (meV). */
  error: { re: number; Czz: number; Cxx: number };
}

export function equilibriumExchange(p: JunctionParams, opts: EnergyIntegralOptions = {}): EquilibriumExchange {
  requireEquilibrium(p, 'the Kramers–Kronig exchange');
  requireCollinear(p, 'the Kramers–Kronig exchange (same/opposite-spin products)');
  const { widths } = resonanceBreaks(p);
  if (!(Math.min(...widths) > 0)) throw new RangeError('GammaL, GammaR, pL, pR: every resonance must be broadened (width > 0)');
  const G = new JunctionGreens(p), res = reservoirs(p).L, { breaks, hi, L } = equilibriumGrid(p);
  const c = (p.J1 * p.J2) / (4 * Math.PI);
  // Spin-diagonal entries of the 12 and 21 blocks: [re, im] for σ = ↑ (index 0), ↓ (index 6).
  const product = (e: number, s1: 0 | 6, s2: 0 | 6): [number, number] => {
    const g = G.retarded(e), a = g[1], b = g[2];
    return [a[s1] * b[s2] - a[s1 + 1] * b[s2 + 1], a[s1] * b[s2 + 1] + a[s1 + 1] * b[s2]];
  };
  const run = (h: (e: number) => number) => energyIntegral(e => fermi(e, res) * h(e), -Infinity, hi, breaks, L, opts);
  const re = run(e => product(e, 0, 0)[0] + product(e, 6, 6)[0]);
  const zz = run(e => product(e, 0, 0)[1] + product(e, 6, 6)[1]);
  const xx = run(e => product(e, 0, 6)[1] + product(e, 6, 0)[1]);
  return {
    printed: { re: c * re.value, im: c * zz.value },
    Czz: c * zz.value, Cxx: c * xx.value,
    error: { re: Math.abs(c) * re.error, Czz: Math.abs(c) * zz.error, Cxx: Math.abs(c) * xx.error },
  };
}
