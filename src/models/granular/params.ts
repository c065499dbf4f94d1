// Two ferromagnetic metal grains in an insulating matrix (seed 002: Udalov & Beloborodov, "Competition of
// the Coulomb and hopping based exchange interactions in granular magnets"): parameters, constants and the
// band quantities every contribution uses.
//
// Units (nanospin convention): energies meV, lengths nm, momenta nm⁻¹. The paper quotes eV; 5 eV = 5000 meV.
// Zero of energy at the top of the insulating barrier; grain potential −U inside; s-d term shifts band s
// (the label in the grain's own frame) by +s·J_sd, so band s has its bottom at −U + s·J_sd and s = −1 is the
// majority band. h_B = −E_F is the barrier height above the Fermi level (an energy; the paper's text prints
// it once as √(−2m E_F/ħ²), which is κ₀ — see docs/models/granular.md, A3).

/** ħ²/2m_e in meV·nm² (ħc = 197.3269804 eV·nm, m_ec² = 510998.95 eV). Free-electron mass throughout. */
export const HBAR2_2M = 197.3269804 ** 2 / (2 * 510998.95) * 1000;
/** e²/(4πε₀) in meV·nm. */
export const COULOMB = 1439.96454784;
/** Coordination number of the simple cubic lattice (the paper's z_n). */
export const Z_SIMPLE_CUBIC = 6;

export interface GranularParams {
  /** Depth of the grain potential below the barrier top (meV). Paper: 5 eV. */
  U: number;
  /** s-d constant J_sd (meV); the spin-subband splitting is 2 J_sd. Either sign (the physics is even in J_sd). */
  Jsd: number;
  /** Barrier height above the Fermi level h_B = −E_F (meV), > 0. */
  hB: number;
  /** Gap between the grain surfaces (nm). Paper: 1 nm. */
  d: number;
  /** Grain radius (nm). Paper: 1 nm (Fig. 2), 5 nm (Figs. 3–7). */
  a: number;
  /** Dielectric constant of the matrix in the gap: sets the Coulomb exchange I_ex ∝ 1/ε. */
  eps: number;
  /** Long-range effective dielectric constant: sets E_c, the blockade energy ε̃_c and L_Ec (paper: ε_eff = ε). */
  epsEff: number;
  /** Coulomb-blockade cost of a virtual hop ε̃_c = 2E_c − e²/C_m (meV); default the paper's e²/(8πε₀ε_eff a). */
  epsC?: number;
  /**
   * Multiplier of the printed prefactor of I_ex (Eqs. 25–27): 4 in the default ('rederived') reading, 1 as
   * printed. See NORMALIZATIONS and docs/models/granular.md, "Normalisation".
   */
  iexNorm: number;
  /** Power of two in the denominator of C_loc (Eq. 39): 5 in the default reading, 6 as printed. */
  llocPow2: number;
}

/**
 * The two readings of the Coulomb prefactors (A29, A36). 'rederived' (default): I_ex ×4 and 2⁵ in C_loc, the
 * note's re-derivation; it is the only one of the two that reproduces the paper's quantitative statements
 * (Fig. 7's FM curve falling "from 100 K to 30 K" — with the printed constants no FM curve falls with ε at all —,
 * |L_loc| "reaching 100 K" in Fig. 3b, Coulomb > hopping at large J_sd in Fig. 4a, FM at large J_sd in Fig. 6b).
 * 'printed': Eqs. 26–27 and 39 as printed.
 */
export const NORMALIZATIONS = {
  rederived: { iexNorm: 4, llocPow2: 5 },
  printed: { iexNorm: 1, llocPow2: 6 },
} as const;
export type NormalizationName = keyof typeof NORMALIZATIONS;

export const PAPER_DEFAULTS: GranularParams = {
  U: 5000, Jsd: 3800, hB: 500, d: 1, a: 5, eps: 4.5, epsEff: 4.5, ...NORMALIZATIONS.rederived,
};

/** Allowed ranges (checked by granular()); the CLI reuses them for its flags. */
export const PARAM_RANGES = {
  U: { min: 100, max: 50_000, unit: 'meV' },
  Jsd: { min: -50_000, max: 50_000, unit: 'meV' },
  hB: { min: 1, max: 10_000, unit: 'meV' },
  d: { min: 0.1, max: 5, unit: 'nm' },
  a: { min: 0.2, max: 1000, unit: 'nm' },
  eps: { min: 1, max: 10_000, unit: '' },
  epsEff: { min: 1, max: 10_000, unit: '' },
  epsC: { min: 0, max: 10_000, unit: 'meV' },
  iexNorm: { min: 0, max: 100, unit: '' },
  llocPow2: { min: 0, max: 10, unit: '' },
} as const;

/** Validated parameters: every field finite and inside PARAM_RANGES, h_B < U. */
export function granular(p: Partial<GranularParams> = {}): GranularParams {
  const q: GranularParams = { ...PAPER_DEFAULTS, ...p };
  if (p.eps !== undefined && p.epsEff === undefined) q.epsEff = p.eps;
  for (const [k, r] of Object.entries(PARAM_RANGES) as [keyof typeof PARAM_RANGES, { min: number; max: number; unit: string }][]) {
    const v = q[k];
    if (v === undefined) continue;
    if (!Number.isFinite(v) || v < r.min || v > r.max) {
      throw new RangeError(`${k} must be in [${r.min}, ${r.max}]${r.unit ? ` ${r.unit}` : ''}, got ${v}`);
    }
  }
  if (!(q.hB < q.U)) throw new RangeError(`hB must be below U (the Fermi level inside the well), got hB = ${q.hB} meV, U = ${q.U} meV`);
  return q;
}

/** Band index b ∈ {0, 1} ↔ label s = +1 (minority), −1 (majority). */
export const bandSign = (b: number): number => 1 - 2 * b;

/** Everything the integrands need, in f64: Fermi and evanescent-edge momenta per band, κ₀, ε̃_c. */
export interface GranularBands {
  p: GranularParams;
  /** Fermi momentum k_F^s = √((U − sJ − h_B)/c), 0 when the band is empty (half-metal). Index b. */
  kF: [number, number];
  /** Largest normal momentum still evanescent in the barrier k_max^s = √((U − sJ)/c), 0 when U − sJ ≤ 0. */
  kmax: [number, number];
  /** Decay constant at the Fermi level κ₀ = √(h_B/c) (nm⁻¹); κ^s(k_F^s) = κ₀ in both bands. */
  kappa0: number;
  /** Depth of band b's well, W_b = U − s_b J (meV): the potential factor in T (A1). */
  W: [number, number];
  /** Band bottom −U + s_b J (meV). */
  bottom: [number, number];
  /** ε̃_c (meV). */
  epsC: number;
  /** Only the majority band is occupied (k_F^+ = 0). */
  halfMetal: boolean;
}

export function granularBands(p: GranularParams): GranularBands {
  const c = HBAR2_2M, J = p.Jsd;
  const kF: [number, number] = [0, 0], kmax: [number, number] = [0, 0], W: [number, number] = [0, 0], bottom: [number, number] = [0, 0];
  for (const b of [0, 1]) {
    const s = bandSign(b);
    W[b] = p.U - s * J;
    bottom[b] = -p.U + s * J;
    kF[b] = W[b] - p.hB > 0 ? Math.sqrt((W[b] - p.hB) / c) : 0;
    kmax[b] = W[b] > 0 ? Math.sqrt(W[b] / c) : 0;
  }
  const epsC = p.epsC ?? COULOMB / (2 * p.epsEff * p.a);
  return { p, kF, kmax, kappa0: Math.sqrt(p.hB / c), W, bottom, epsC, halfMetal: kF[0] === 0 || kF[1] === 0 };
}
