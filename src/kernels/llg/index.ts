// LLG ensemble kernel: one entry point over both backends.
import type { Backend, Kernel } from '../../backends/index.ts';
import type { LlgEnsemble } from './ensemble.ts';
import type { LlgResult, LlgRunOptions } from './options.ts';
import { runLlgCpu } from './cpu.ts';
import { runLlgWebGpu } from './webgpu.ts';

export * from './ensemble.ts';
export * from './options.ts';
export { runLlgCpu } from './cpu.ts';
export { runLlgWebGpu } from './webgpu.ts';

export const llgKernel: Kernel<[LlgEnsemble, LlgRunOptions], LlgResult> = { name: 'llg heun', cpu: runLlgCpu, webgpu: runLlgWebGpu };

export function runLlg(backend: Backend, ens: LlgEnsemble, opts: LlgRunOptions): Promise<LlgResult> {
  return backend.run(llgKernel, ens, opts);
}
