// The granular intergrain exchange (seed 002) as a kernel: every contribution of a sweep on the fixed
// product rule of ./rows.ts. WGSL host ./webgpu.ts (float32), float64 twin ./cpu.ts (same rule).
// Result: PAIR_COUNT scaled band-pair integrals per point (PAIR_SLOTS order); assemble them into the terms
// (meV) with assembleTerms of src/models/granular/terms.ts (see pairTerms below).
import type { Kernel } from '../../backends/index.ts';
import type { GranularParams } from '../../models/granular/params.ts';
import { granularBands } from '../../models/granular/params.ts';
import { assembleGross, assembleTerms, type GranularTerms } from '../../models/granular/terms.ts';
import type { TermId } from '../../models/granular/domains.ts';
import { granularPairsCpu, type GranularProgress } from './cpu.ts';
import { granularPairsWebGpu } from './webgpu.ts';
import { PAIR_COUNT, TERM_SLOT0, type GranularRule } from './rows.ts';

export type { GranularProgress } from './cpu.ts';
export { RULES, PAIR_COUNT, PAIR_SLOTS, type GranularRule, type RuleName } from './rows.ts';

export const granularExchangeKernel: Kernel<[params: GranularParams[], rule: GranularRule, progress?: GranularProgress], Float64Array> = {
  name: 'granular exchange',
  cpu: granularPairsCpu,
  webgpu: granularPairsWebGpu,
};

/** The terms (meV) of point i from the kernel's band-pair integrals. */
export function pairTerms(p: GranularParams, pairs: Float64Array, i: number): GranularTerms {
  const B = granularBands(p);
  return assembleTerms(B, (t, c) => pairs[i * PAIR_COUNT + TERM_SLOT0[t] + c]);
}

/** Σ|pieces| of each term (meV) at point i: the scale its cancelling difference is measured against. */
export function pairGross(p: GranularParams, pairs: Float64Array, i: number): Record<TermId, number> {
  const B = granularBands(p);
  return assembleGross(B, (t, c) => pairs[i * PAIR_COUNT + TERM_SLOT0[t] + c]);
}
