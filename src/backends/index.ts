// Backend selection: `webgpu` (Dawn / navigator.gpu), `cpu` (float64 TypeScript twin), `auto`.
import { acquireGpu, type GpuContext } from './webgpu.ts';

export type BackendRequest = 'auto' | 'webgpu' | 'cpu';
export const BACKENDS: readonly BackendRequest[] = ['auto', 'webgpu', 'cpu'];

export interface Backend {
  name: 'webgpu' | 'cpu';
  /** Human-readable adapter ("cpu (float64 TypeScript)" for the CPU backend). */
  adapter: string;
  /** Present when name === 'webgpu'. */
  gpu?: GpuContext;
  close(): void;
}

export const CPU_ADAPTER = `cpu (float64 TypeScript, ${typeof process !== 'undefined' ? `node ${process.version}` : 'browser'})`;

export class NoAdapterError extends Error {}

export async function openBackend(request: BackendRequest): Promise<Backend> {
  if (request === 'cpu') return { name: 'cpu', adapter: CPU_ADAPTER, close() {} };
  const gpu = await acquireGpu();
  if (gpu) return { name: 'webgpu', adapter: gpu.description, gpu, close: () => gpu.destroy() };
  if (request === 'webgpu') {
    throw new NoAdapterError(
      '--backend webgpu: no WebGPU adapter found (tried a hardware GPU through Dawn, then Mesa llvmpipe through ' +
      "Dawn's OpenGL ES backend). On Debian install: apt-get install -y --no-install-recommends libegl1 libegl-mesa0 " +
      'libgles2 libgl1-mesa-dri (and libvulkan1 plus the vendor driver for a GPU); or use --backend cpu.');
  }
  return { name: 'cpu', adapter: CPU_ADAPTER, close() {} };
}
