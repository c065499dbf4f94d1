// The intergrain exchange H_ex of two grains, and what a lattice of grains does with it.
//
// H_ex = E_AFM − E_FM of one pair (meV; positive = FM). For a lattice of unit macrospins m_i with
// E = −Σ_⟨ij⟩ J m_i·m_j (each bond once), the bond that reproduces E_AFM − E_FM is J = H_ex/2.
// The paper's ordering temperature is T_ord = z_n H_ex/k_B (Sec. VI.1, "Ising", z_n = 6). For comparison:
// classical Heisenberg mean field k_B T_c = z J/3 = z H_ex/6 (= H_ex on the simple cubic lattice); Monte Carlo
// of the simple-cubic classical Heisenberg model k_B T_c = 1.443 J = 0.7215 H_ex (Chen, Ferrenberg & Landau 1993);
// Ising, simple cubic, k_B T_c = 4.5115 J. The paper's 6 H_ex is 8.3× the Heisenberg value.
import { KB } from '../../numerics/units.ts';
import { granular, Z_SIMPLE_CUBIC, type GranularParams } from './params.ts';
import { granularTerms, type AdaptiveOptions, type GranularTerms } from './terms.ts';

/** H_ex (meV) of two grains with these parameters (all five contributions, nested adaptive quadrature, float64). */
export function granularExchange(params: Partial<GranularParams>, opts: AdaptiveOptions = {}): number {
  return granularTerms(granular(params), opts).total;
}

/** Every contribution (meV) of two grains with these parameters. */
export function granularExchangeTerms(params: Partial<GranularParams>, opts: AdaptiveOptions = {}): GranularTerms {
  return granularTerms(granular(params), opts);
}

/** Film geometry for the coordination number: a simple-cubic film of `layers` grain layers (Infinity = bulk). */
export interface FilmGeometry { layers: number }

/**
 * Mean coordination number z_n of a simple-cubic stack of `layers` square layers: 4 in-plane neighbours plus
 * 2 out of plane, minus one for each of the two surface layers: z̄ = 6 − 2/layers (4 for a monolayer, 6 in bulk).
 */
export function filmCoordination(geometry: FilmGeometry = { layers: Infinity }): number {
  const n = geometry.layers;
  if (!(n >= 1)) throw new RangeError(`layers must be ≥ 1 (or Infinity for bulk), got ${n}`);
  return Number.isFinite(n) ? Z_SIMPLE_CUBIC - 2 / n : Z_SIMPLE_CUBIC;
}

/** Simple-cubic classical Heisenberg T_c in units of J/k_B (Monte Carlo, K_c = 0.69304). */
export const HEISENBERG_SC_TC = 1 / 0.69304;
/** Simple-cubic Ising T_c in units of J/k_B (K_c = 0.2216546). */
export const ISING_SC_TC = 1 / 0.2216546;

export interface OrderingEstimate {
  /** H_ex (meV). */
  Hex: number;
  /** Lattice bond J = H_ex/2 (meV) for E = −Σ_⟨ij⟩ J m_i·m_j with unit vectors. */
  J: number;
  zn: number;
  /** The paper's T_ord = z_n H_ex/k_B (K). */
  paperK: number;
  /** Classical Heisenberg mean field z_n J/(3k_B) (K). */
  meanFieldK: number;
  /** Simple-cubic classical Heisenberg Monte Carlo 1.443 J/k_B (K; bulk only). */
  heisenbergK: number;
}

/** T_ord estimates from H_ex (meV) for a film geometry (negative H_ex: AFM bond, the same magnitudes). */
export function orderingEstimate(Hex: number, geometry: FilmGeometry = { layers: Infinity }): OrderingEstimate {
  const zn = filmCoordination(geometry), J = Hex / 2;
  return { Hex, J, zn, paperK: (zn * Hex) / KB, meanFieldK: (zn * J) / (3 * KB), heisenbergK: (HEISENBERG_SC_TC * J) / KB };
}
