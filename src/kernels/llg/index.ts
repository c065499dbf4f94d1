// LLG ensemble kernel: one entry point over both backends.
import type { Backend } from '../../backends/index.ts';
import type { LlgEnsemble } from './ensemble.ts';
import type { LlgResult, LlgRunOptions } from './options.ts';
import { runLlgCpu } from './cpu.ts';
import { runLlgWebGpu } from './webgpu.ts';

export * from './ensemble.ts';
export * from './options.ts';
export { runLlgCpu } from './cpu.ts';
export { runLlgWebGpu } from './webgpu.ts';

export async function runLlg(backend: Backend, ens: LlgEnsemble, opts: LlgRunOptions): Promise<LlgResult> {
  return backend.name === 'webgpu' ? runLlgWebGpu(backend.gpu!, ens, opts) : runLlgCpu(ens, opts);
}
