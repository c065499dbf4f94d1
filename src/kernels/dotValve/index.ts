// The dot-valve torque table (seed 004) as a kernel: WGSL host ./webgpu.ts, float64 twin ./cpu.ts.
// Rows [point][angle][ROW.stride] (./layout.ts ROW): I_FL, I_DL (Eq. 2, paper convention), J_D, ⟨n⟩, P0, P1, P2, S.
import type { Kernel } from '../../backends/index.ts';
import { torqueTableCpu } from './cpu.ts';
import { torqueTableWebGpu } from './webgpu.ts';
import type { TorqueTableJob } from './job.ts';

export type { TorqueTableJob } from './job.ts';
export { uGridAngles, thetaAngles } from './job.ts';
export { ROW } from './layout.ts';
export { specialFunctionsKernel, type SpecialFunction } from './special.ts';

export const torqueTableKernel: Kernel<[job: TorqueTableJob], Float64Array> = {
  name: 'dot-valve torque table',
  cpu: torqueTableCpu,
  webgpu: torqueTableWebGpu,
};
