// Exact diagonalization of a spin pair (float64) and thermal averages from its spectrum.
//
// Path: H commutes with M = S1^z + S2^z unless a rhombic term is present; then each M block (size ≤ 2S + 1)
// is diagonalized on its own ("blocks"), otherwise the whole (2S+1)² matrix ("dense"). Both by cyclic Jacobi
// (src/numerics/jacobi.ts), the algorithm of the WGSL kernels.
//
// Thermal average at temperature T (K), k_B T = KB·T (meV):
//   ⟨X⟩ = Σ_k w_k ⟨k|X|k⟩ / Σ_k w_k,  w_k = exp(−(E_k − E_0)/k_BT)  (E_0 the ground energy subtracted, so w ≤ 1).
// T = 0 is the limit T → 0⁺: equal weights on the ground manifold, the levels within
// DEGENERACY_TOL · (E_max − E_0) of E_0 (exact degeneracies split by rounding stay degenerate).
// T = Infinity gives equal weights (every moment 0).
import { KB } from '../../numerics/units.ts';
import { jacobiEigen } from '../../numerics/jacobi.ts';
import { conservesSz, denseMatrix, mBlocks, spinDim, type PairHamiltonian } from './hamiltonian.ts';
import { mValues } from './spin.ts';

/** Relative width of the T = 0 ground manifold (also used by the float32 kernels). */
export const DEGENERACY_TOL = 1e-5;

export interface PairSpectrum {
  path: 'blocks' | 'dense';
  /** Eigenvalues (meV), ascending. */
  energies: Float64Array;
  /** ⟨k|S1^z|k⟩ and ⟨k|S2^z|k⟩ of each eigenvector. */
  s1: Float64Array;
  s2: Float64Array;
  /** Total M of each eigenvector (integer on the blocks path; ⟨M⟩ on the dense path). */
  M: Float64Array;
  /** Largest Jacobi residual (off-diagonal norm / Frobenius norm) over the blocks. */
  residual: number;
}

function sortLevels(E: number[], s1: number[], s2: number[], M: number[], path: PairSpectrum['path'], residual: number): PairSpectrum {
  const idx = E.map((_, k) => k).sort((a, b) => E[a] - E[b]);
  const pick = (x: number[]) => Float64Array.from(idx, k => x[k]);
  return { path, energies: pick(E), s1: pick(s1), s2: pick(s2), M: pick(M), residual };
}

/** Spectrum and per-level ⟨S1^z⟩, ⟨S2^z⟩ by M blocks when H conserves S^z (unless `dense`), else densely. */
export function pairSpectrum(h: PairHamiltonian, opts: { dense?: boolean } = {}): PairSpectrum {
  const m = mValues(h.S);
  const E: number[] = [], s1: number[] = [], s2: number[] = [], M: number[] = [];
  let residual = 0;
  if (conservesSz(h) && !opts.dense) {
    for (const b of mBlocks(h)) {
      const n = b.i1.length, eig = jacobiEigen(b.matrix, n);
      residual = Math.max(residual, eig.residual);
      for (let k = 0; k < n; k++) {
        let a = 0;
        for (let i = 0; i < n; i++) a += eig.vectors[i * n + k] ** 2 * m[b.i1[i]];
        E.push(eig.values[k]); s1.push(a); s2.push(b.M - a); M.push(b.M);
      }
    }
    return sortLevels(E, s1, s2, M, 'blocks', residual);
  }
  const ns = spinDim(h.S), n = ns * ns, eig = jacobiEigen(denseMatrix(h), n);
  for (let k = 0; k < n; k++) {
    let a = 0, b = 0;
    for (let i = 0; i < n; i++) { const w = eig.vectors[i * n + k] ** 2; a += w * m[Math.floor(i / ns)]; b += w * m[i % ns]; }
    E.push(eig.values[k]); s1.push(a); s2.push(b); M.push(a + b);
  }
  return sortLevels(E, s1, s2, M, 'dense', eig.residual);
}

export interface ThermalMoments {
  /** ⟨S1^z + S2^z⟩. */
  moment: number;
  moment1: number;
  moment2: number;
  /** E_0 (meV). */
  groundEnergy: number;
  /** Σ_k w_k with w_k = exp(−(E_k − E_0)/k_BT) (≥ 1: the ground level has weight 1). */
  weightSum: number;
}

/** Boltzmann weights relative to the ground level at k_BT = kT meV (see the header for kT = 0 and kT = ∞). */
export function boltzmannWeights(energies: ArrayLike<number>, kT: number): Float64Array {
  if (!(kT >= 0)) throw new RangeError(`temperature must be ≥ 0 K (or Infinity), got k_BT = ${kT} meV`);
  let e0 = Infinity, emax = -Infinity;
  for (let k = 0; k < energies.length; k++) { e0 = Math.min(e0, energies[k]); emax = Math.max(emax, energies[k]); }
  const tol = DEGENERACY_TOL * (emax - e0);
  return Float64Array.from(energies, e => (kT === Infinity ? 1 : kT === 0 ? (e - e0 <= tol ? 1 : 0) : Math.exp(-(e - e0) / kT)));
}

/** Thermal moments at temperature T (K; 0 and Infinity allowed). */
export function thermalMoments(sp: Pick<PairSpectrum, 'energies' | 's1' | 's2'>, T: number): ThermalMoments {
  if (!(T >= 0)) throw new RangeError(`temperature must be ≥ 0 K, got ${T}`);
  return thermalMomentsKT(sp, KB * T);
}

/** Thermal moments at k_BT = kT (meV). */
export function thermalMomentsKT(sp: Pick<PairSpectrum, 'energies' | 's1' | 's2'>, kT: number): ThermalMoments {
  const w = boltzmannWeights(sp.energies, kT);
  let Z = 0, a = 0, b = 0, e0 = Infinity;
  for (let k = 0; k < w.length; k++) { Z += w[k]; a += w[k] * sp.s1[k]; b += w[k] * sp.s2[k]; e0 = Math.min(e0, sp.energies[k]); }
  return { moment: (a + b) / Z, moment1: a / Z, moment2: b / Z, groundEnergy: e0, weightSum: Z };
}
