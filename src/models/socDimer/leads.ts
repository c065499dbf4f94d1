// Semi-infinite 1D tight-binding leads of the seed-001 SOC dimer (Leiva, Díaz, Núñez):
// H_χ = −t_e Σ_<ij>σ c†_i c_j, band ε_χ ± 2t_e, contact hopping −t_χ to the dimer's end site.
// Surface Green's function g solves Dyson's equation g = 1/(ε − ε_χ − t_e² g):
//   g^±(ε) = (x ∓ i√(4t_e² − x²))/(2t_e²) inside the band (|x| < 2t_e, x = ε − ε_χ),
//   g^±(ε) = (x − sign(x)√(x² − 4t_e²))/(2t_e²) outside it (the root that decays into the lead),
// and the self-energy on the contacted site is Σ^± = t_χ² g^±. Its broadening
// Γ = −2 Im Σ⁺ = (t_χ²/t_e²)√(4t_e² − x²) is 2t_χ²/t_e at the band centre (2 meV for the paper's values).
// Choice (README): the lead bands move with the lead's chemical potential under bias, ε_χ = μ_χ − μ_F,
// i.e. the bias drops at the contacts; `bandShift: false` keeps both bands at ε_χ = 0.

/** Retarded (+) surface Green's function of the chain, [re, im] (meV⁻¹); advanced is its conjugate. */
export function surfaceGreen(x: number, te: number): [number, number] {
  if (!(te > 0)) throw new RangeError(`te (lead hopping) must be > 0 meV, got ${te}`);
  const d = x * x - 4 * te * te, s = 2 * te * te;
  if (d < 0) return [x / s, -Math.sqrt(-d) / s];
  return [(x - Math.sign(x) * Math.sqrt(d)) / s, 0];
}

/** Retarded self-energy t_χ² g⁺(ε − ε_χ) of a lead on its contact site, [re, im] (meV). */
export function leadSelfEnergy(e: number, bandCentre: number, te: number, tc: number): [number, number] {
  const [gr, gi] = surfaceGreen(e - bandCentre, te);
  return [tc * tc * gr, tc * tc * gi];
}
