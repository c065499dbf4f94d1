// Exact equilibrium results of small classical-spin systems (unit vectors, float64), the references of the
// Langevin and Metropolis samplers.
//
// Ring of n spins, E = −J Σ_k m_k·m_{k+1} (n bonds, periodic): with e^{K cos γ} = Σ_l (2l+1) i_l(K) P_l(cos γ)
// (i_l the modified spherical Bessel function of the first kind) and the addition theorem,
//   Z_n = (4π)^n Σ_l (2l + 1) i_l(K)^n,  K = J/k_BT,
// so ⟨E⟩ = −J ∂ ln Z/∂K = −J n Σ (2l+1) i_l^{n−1} i_l′ / Σ (2l+1) i_l^n,  i_l′ = i_{l−1} − (l+1) i_l/K (i_0′ = i_1).
// An open chain of n spins: ⟨E⟩ = −J (n − 1) L(K), L(x) = coth x − 1/x the Langevin function.
// One spin: in a field, ⟨m·B̂⟩ = L(|B|/k_BT); with uniaxial anisotropy E = −K (m·n)², ⟨(m·n)²⟩ by quadrature.
import { integrate } from '../../numerics/quadrature.ts';

/** Langevin function coth x − 1/x (series near 0). */
export function langevin(x: number): number {
  if (Math.abs(x) < 1e-3) return x / 3 - (x * x * x) / 45;
  return 1 / Math.tanh(x) - 1 / x;
}

/**
 * i_l(x) for l = 0 … lmax, x > 0, each as i_l(x)·e^{−x} (scaled so large x does not overflow): from the power
 * series i_l(x) = x^l Σ_k (x²/2)^k / (k! (2l + 2k + 1)!!), which converges for every x (terms are summed until
 * they stop changing the sum).
 */
export function sphericalBesselIScaled(lmax: number, x: number): Float64Array {
  if (!(x > 0)) throw new RangeError(`sphericalBesselI: x must be > 0, got ${x}`);
  const out = new Float64Array(lmax + 1);
  const ex = Math.exp(-x);
  let lead = 1;   // x^l/(2l+1)!!
  for (let l = 0; l <= lmax; l++) {
    if (l > 0) lead *= x / (2 * l + 1);
    let term = 1, sum = 1;
    for (let k = 1; k < 10000; k++) {
      term *= (x * x) / (2 * k * (2 * l + 2 * k + 1));
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    out[l] = lead * sum * ex;
  }
  return out;
}

/** ⟨E⟩ (meV) of a periodic ring of n ≥ 3 unit spins with bond energy −J m·m′ at k_BT = kT (meV). */
export function ringEnergy(n: number, J: number, kT: number): number {
  if (!(Number.isInteger(n) && n >= 3)) throw new RangeError(`ringEnergy: n must be an integer ≥ 3, got ${n}`);
  const K = J / kT;
  if (K === 0) return 0;
  const a = Math.abs(K);
  const lmax = Math.ceil(3 * a + 40);
  const i = sphericalBesselIScaled(lmax + 1, a);
  // K < 0: i_l(−a) = (−1)^l i_l(a); i_l′ is even/odd accordingly
  const sgn = (l: number) => (K < 0 && l % 2 === 1 ? -1 : 1);
  let num = 0, den = 0;
  for (let l = 0; l <= lmax; l++) {
    const il = sgn(l) * i[l];
    const dl = l === 0 ? sgn(1) * i[1] : sgn(l - 1) * i[l - 1] - ((l + 1) / K) * il;
    const p = il ** (n - 1);
    num += (2 * l + 1) * n * p * dl;
    den += (2 * l + 1) * p * il;
  }
  return -J * (num / den);
}

/** ⟨(m·n)²⟩ of one unit spin with E = −K (m·n)² at k_BT = kT. */
export function uniaxialMeanSquare(K: number, kT: number): number {
  const b = K / kT;
  // weights e^{b(u² − max(b,0)/b...)}: shift the exponent by max(b, 0) so nothing overflows
  const s = Math.max(b, 0);
  const z = integrate(u => Math.exp(b * u * u - s), 0, 1, { relTol: 1e-13 }).value;
  const z2 = integrate(u => u * u * Math.exp(b * u * u - s), 0, 1, { relTol: 1e-13 }).value;
  return z2 / z;
}
