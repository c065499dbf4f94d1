// The lattice Langevin kernel: stochastic Heun over a lattice of grain macrospins (src/models/lattice/), WGSL
// host ./webgpu.ts and float64 twin ./cpu.ts. Callers: backend.run(latticeKernel, problem, options).
import type { Kernel } from '../../backends/index.ts';
import type { LatticeProblem } from '../../models/lattice/problem.ts';
import { runLatticeCpu } from './cpu.ts';
import type { LatticeResult, LatticeRunOptions } from './run.ts';
import { runLatticeWebGpu } from './webgpu.ts';

export const latticeKernel: Kernel<[problem: LatticeProblem, options: LatticeRunOptions], LatticeResult> = {
  name: 'lattice heun',
  cpu: runLatticeCpu,
  webgpu: runLatticeWebGpu,
};

export type { LatticeResult, LatticeRunOptions } from './run.ts';
