// Batched exact diagonalization of spin pairs (seed 003) as a kernel: WGSL host ./webgpu.ts, float64 twin ./cpu.ts.
import type { Kernel } from '../../backends/index.ts';
import { pairBatchCpu, type PairBatch, type PairBatchResult, type PairProgress } from './cpu.ts';
import { pairBatchWebGpu } from './webgpu.ts';

export type { PairBatch, PairBatchResult, PairProgress, PairPath } from './cpu.ts';
export { batchPath, batchCount, rowHamiltonian } from './cpu.ts';
export { POINT_ROW, POINT_STRIDE, RESULT_ROW, RESULT_STRIDE, pointRow, BLOCK_MAX_SPIN, DENSE_MAX_DIM } from './layout.ts';

/** Thermal ⟨S1^z⟩, ⟨S2^z⟩, E_0 (and optionally the spectrum) of every row of a batch. */
export const pairEdKernel: Kernel<[batch: PairBatch, progress?: PairProgress], PairBatchResult> = {
  name: 'vibronic pair ED',
  cpu: pairBatchCpu,
  webgpu: pairBatchWebGpu,
};
