// Reference for Eq. 7: exact diagonalization of one anharmonic mode H_vib = ω0 a†a + Φ Q³, Q = a + a†, in the
// Fock basis |n⟩, n < N (Q³ computed in a basis of N + 3 states, then truncated, so every kept matrix element is
// exact). ⟨Q⟩ = Σ_k w_k ⟨k|Q|k⟩ / Σ_k w_k with w_k = exp(−(E_k − E_0)/k_BT). The cubic term makes H unbounded
// below in the full space; in the truncated space and for Φ ≪ ω0 the low levels are those of the metastable well
// (first-order result: Eq. 7, ⟨Q⟩ = −(6Φ/ω0) coth(βω0/2), error O(Φ²)).
import { KB } from '../../numerics/units.ts';
import { jacobiEigen } from '../../numerics/jacobi.ts';
import { matMul } from './spin.ts';

export interface OscillatorResult { meanQ: number; meanQ2: number; levels: number; highestWeight: number }

export function anharmonicMeanDisplacement(omega0: number, Phi: number, T: number, levels = 80): OscillatorResult {
  if (!(omega0 > 0)) throw new RangeError(`ω0 must be > 0 meV, got ${omega0}`);
  if (!(T >= 0) || !Number.isFinite(T)) throw new RangeError(`temperature must be finite and ≥ 0 K, got ${T}`);
  const N = levels, P = N + 3;
  const Qbig = new Float64Array(P * P);
  for (let n = 0; n + 1 < P; n++) { const s = Math.sqrt(n + 1); Qbig[n * P + n + 1] = s; Qbig[(n + 1) * P + n] = s; }
  const Q3big = matMul(matMul(Qbig, Qbig, P), Qbig, P);
  const H = new Float64Array(N * N), Q = new Float64Array(N * N), Q2 = matMul(Qbig, Qbig, P);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
    H[i * N + j] = Phi * Q3big[i * P + j] + (i === j ? omega0 * i : 0);
    Q[i * N + j] = Qbig[i * P + j];
  }
  const eig = jacobiEigen(H, N);
  const e0 = Math.min(...eig.values), kT = KB * T;
  let Z = 0, q = 0, q2 = 0, wTop = 0;
  for (let k = 0; k < N; k++) {
    const w = T === 0 ? (eig.values[k] - e0 < 1e-9 * omega0 ? 1 : 0) : Math.exp(-(eig.values[k] - e0) / kT);
    let qk = 0, q2k = 0, top = 0;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
      const vv = eig.vectors[i * N + k] * eig.vectors[j * N + k];
      qk += vv * Q[i * N + j]; q2k += vv * Q2[i * P + j];
    }
    for (let i = N - 5; i < N; i++) top += eig.vectors[i * N + k] ** 2;
    Z += w; q += w * qk; q2 += w * q2k; wTop += w * top;
  }
  // highestWeight: thermal weight in the top 5 Fock states (truncation check; should be ≪ 1)
  return { meanQ: q / Z, meanQ2: q2 / Z, levels: N, highestWeight: wTop / Z };
}
