// The SOC-dimer coupling map (seed 001, Eq. A24) as a kernel: WGSL host ./webgpu.ts, float64 twin ./cpu.ts.
import type { Kernel } from '../../backends/index.ts';
import type { CouplingRule } from '../../models/socDimer/couplings.ts';
import type { SocDimerParams } from '../../models/socDimer/params.ts';
import { couplingsMapCpu, type MapProgress } from './cpu.ts';
import { couplingsMapWebGpu } from './webgpu.ts';

export type { MapProgress } from './cpu.ts';

/** Raw couplings (COUPLING_STRIDE floats per point) for points sharing every parameter but μ_F, V, T. */
export const socCouplingsKernel: Kernel<[points: SocDimerParams[], rule: CouplingRule, progress?: MapProgress], Float64Array> = {
  name: 'soc-dimer couplings',
  cpu: couplingsMapCpu,
  webgpu: couplingsMapWebGpu,
};
