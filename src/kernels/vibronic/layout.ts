// Host ↔ shader layouts of the spin-pair ED kernels (shaders/vibronic/): one f32 row per point (the
// operator coefficients of src/models/vibronic/hamiltonian.ts and k_BT), one result row per point, the run
// uniform, and the loop-iteration budget that keeps every invocation below llvmpipe's cap.
import { defineRow, defineStruct } from '../../backends/layout.ts';
import { PAIR_TERMS, spinDim, type PairHamiltonian } from '../../models/vibronic/hamiltonian.ts';
import { KB } from '../../numerics/units.ts';

/** Per point: exchange, exchangeZZ, field1, field2, axial1, axial2, rhombic1, rhombic2 (meV), k_BT (meV). */
export const POINT_ROW = defineRow({ exchange: 1, exchangeZZ: 1, field1: 1, field2: 1, axial1: 1, axial2: 1, rhombic1: 1, rhombic2: 1, kT: 1 });
export const POINT_STRIDE = POINT_ROW.stride;

/** Per point: ⟨S1^z⟩, ⟨S2^z⟩, E_0 (meV), Jacobi residual (largest over the blocks; −1 flags a loop-cap hit). */
export const RESULT_ROW = defineRow({ moment1: 1, moment2: 1, groundEnergy: 1, residual: 1 });
export const RESULT_STRIDE = RESULT_ROW.stride;

export const RUN_UNIFORM = defineStruct('Run', {
  count: 'u32', stride_y: 'u32', probe_iters: 'u32', p0: 'u32',
  q0: 'u32', rotations: 'u32', pad0: 'u32', pad1: 'u32',
});

/** Block path: sweeps at most per M block (it stops earlier at float32 convergence). */
export const BLOCK_MAX_SWEEPS = 10;
/** Dense path: sweeps at most (each window of rotations is skipped once the matrix has converged). */
export const DENSE_MAX_SWEEPS = 12;
/** float32 convergence: Σ_{p<q} a_pq² ≤ F32_TOL² Σ_p a_pp². */
export const F32_TOL = 1e-7;
/** Loop iterations one invocation may run (llvmpipe stops every loop after 65535 in total, silently). */
export const LOOP_BUDGET = 50000;

/** Upper bound of the loop iterations of one block-path invocation at spin S (every block at BLOCK_MAX_SWEEPS). */
export function blockLoopIterations(S: number): number {
  const ns = spinDim(S), d = ns * ns;
  let it = 0;
  for (let t = 0; t <= 2 * (ns - 1); t++) {
    const n = Math.min(t, ns - 1) - Math.max(0, t - (ns - 1)) + 1;
    it += n * n + n;                                  // zero/identity set-up, tridiagonal build
    if (n > 1) it += BLOCK_MAX_SWEEPS * (n * (n + 1) / 2 + (n * (n - 1) / 2) * (n + 1)) + n * (n - 1) / 2;
    it += n * (n + 1);                                // levels and ⟨S1^z⟩
  }
  return it + 3 * d + 2 * ns + 8;                    // ground energy, weights, spectrum, probe
}

/** Largest S the block kernel runs within LOOP_BUDGET. */
export const BLOCK_MAX_SPIN = (() => { let S = 0.5; while (blockLoopIterations(S + 0.5) <= LOOP_BUDGET) S += 0.5; return S; })();

/** Dense path: (2S+1)² at most (S ≤ 5). */
export const DENSE_MAX_DIM = 121;

/** Rotations per dispatch of the dense sweep kernel (n × n matrix): the budget less the convergence check, each rotation n + 2 iterations. */
export function denseRotationsPerDispatch(n: number): number {
  return Math.max(1, Math.min((n * (n - 1)) / 2, Math.floor((LOOP_BUDGET - n * (n + 1)) / (n + 2))));
}

/** The row of one point (Hamiltonian h at temperature T in K, finite). */
export function pointRow(h: PairHamiltonian, T: number, into: Float64Array | Float32Array, at = 0): void {
  if (!(T >= 0) || !Number.isFinite(T)) throw new RangeError(`temperature must be finite and ≥ 0 K, got ${T}`);
  const o = POINT_ROW.offsets;
  for (const k of PAIR_TERMS) into[at + o[k]] = h[k];
  into[at + o.kT] = KB * T;
}
