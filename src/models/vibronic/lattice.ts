// Fig. 5 of seed 003: the moment per site of a 2D structure whose pairs (k, −k) each see H_k, with the
// Gaussian couplings of the text (as printed):
//   J(r) = J e^{−r²/r_S²}  →  J_k = −√2 π r_S J e^{−k²/k_S²},  k_S = 2/r_S,
//   A(r) →                    A_k = √2 π r_A A e^{−k²/k_A²},   k_A = 2/r_A,
//   α_k = A_k ⟨Q⟩ with ⟨Q⟩ from Eq. 7 (Φ_kk' ≈ Φ, so ⟨Q⟩ is the same for every k).
// The prefactor √2 π r is taken as printed with r in Å (a number; a 2D Fourier transform per unit cell would
// give π r²/a_cell instead). What the paper leaves out, chosen here (recorded in the manifest):
//   • a square lattice of constant a (Å), an N × N Monkhorst–Pack k grid of its Brillouin zone (N even, so
//     k = 0, where the text's pair S_k ⊗ S_k̄ is not a pair and A_0 = 0 is claimed, is not on the grid),
//     reduced by the square's symmetry (J_k, A_k depend on |k| only) to weighted classes;
//   • per site ⟨S_m^z⟩ = (1/N²) Σ_k ½ ⟨S_k^z + S_k̄^z⟩_{H_k} (each k a spin-S pair with its own J_k, α_k).
export interface KClass { k2: number; weight: number }

/** |k|² classes (Å⁻²) of the N × N Monkhorst–Pack grid of a square lattice of constant a (Å); weights sum to 1. */
export function squareLatticeKClasses(N: number, a: number): KClass[] {
  if (!Number.isInteger(N) || N < 2 || N % 2 !== 0) throw new RangeError(`k grid must be an even integer ≥ 2, got ${N}`);
  if (!(a > 0)) throw new RangeError(`lattice constant must be > 0 Å, got ${a}`);
  const map = new Map<number, number>();
  // k = (2i − N + 1, 2j − N + 1) π/(N a): group on the integer |k|² (N a/π)² so equal |k| group exactly
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
    const key = (2 * i - N + 1) ** 2 + (2 * j - N + 1) ** 2;
    map.set(key, (map.get(key) ?? 0) + 1);
  }
  const scale = (Math.PI / (N * a)) ** 2;
  return [...map.entries()].sort((x, y) => x[0] - y[0]).map(([key, c]) => ({ k2: key * scale, weight: c / (N * N) }));
}

/** J_k = −√2 π r_S J e^{−k²/k_S²}, k_S = 2/r_S (meV; r_S in Å, k² in Å⁻²). */
export const gaussianExchangeK = (J: number, rS: number, k2: number): number => -Math.SQRT2 * Math.PI * rS * J * Math.exp(-k2 * rS * rS / 4);
/** A_k = √2 π r_A A e^{−k²/k_A²}, k_A = 2/r_A (meV per unit Q). */
export const gaussianCouplingK = (A: number, rA: number, k2: number): number => Math.SQRT2 * Math.PI * rA * A * Math.exp(-k2 * rA * rA / 4);
