// Fermi–Dirac occupation of a reservoir (chemical potential μ and k_BT in meV), overflow-safe;
// k_BT = 0 gives the step (½ exactly at ε = μ).

export interface Reservoir { mu: number; kT: number }

export function fermi(e: number, r: Reservoir): number {
  if (r.kT === 0) return e < r.mu ? 1 : e > r.mu ? 0 : 0.5;
  const x = (e - r.mu) / r.kT;
  return x > 0 ? Math.exp(-x) / (1 + Math.exp(-x)) : 1 / (1 + Math.exp(x));
}
