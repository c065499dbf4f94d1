// The LLG kernel: stochastic Heun integration of an LlgProblem (src/llg/), WGSL host ./webgpu.ts and
// float64 twin ./cpu.ts. Callers: backend.run(llgKernel, problem, options).
import type { Kernel } from '../../backends/index.ts';
import type { LlgProblem } from '../../llg/problem.ts';
import type { LlgResult, LlgRunOptions } from '../../llg/run.ts';
import { runLlgCpu } from './cpu.ts';
import { runLlgWebGpu } from './webgpu.ts';

export const llgKernel: Kernel<[problem: LlgProblem, options: LlgRunOptions], LlgResult> = {
  name: 'llg heun',
  cpu: runLlgCpu,
  webgpu: runLlgWebGpu,
};
