// Backends: `webgpu` (Dawn / navigator.gpu), `cpu` (float64 TypeScript twin), `auto`.
// A device computation is a Kernel with one implementation per backend (its WebGPU host and its CPU
// twin, side by side in src/kernels/<name>/); callers run it with backend.run(kernel, …args) and never
// ask which backend they hold.
import { acquireGpu, type AdapterKind, type GpuContext } from './webgpu.ts';

export type BackendRequest = 'auto' | 'webgpu' | 'cpu';
export const BACKENDS: readonly BackendRequest[] = ['auto', 'webgpu', 'cpu'];

/** One device computation: the same arguments and result on every backend. */
export interface Kernel<A extends unknown[], R> {
  readonly name: string;
  /** Float64 CPU twin (the reference). */
  cpu(...args: A): R | Promise<R>;
  /** WGSL on a WebGPU device. */
  webgpu(gpu: GpuContext, ...args: A): Promise<R>;
}

export interface Backend {
  readonly name: 'webgpu' | 'cpu';
  /** Human-readable adapter ("cpu (float64 TypeScript, node …)" for the CPU backend). */
  readonly adapter: string;
  /** hardware GPU, software WGSL adapter (llvmpipe, SwiftShader) or the CPU twin. */
  readonly kind: AdapterKind | 'cpu';
  run<A extends unknown[], R>(kernel: Kernel<A, R>, ...args: A): Promise<R>;
  close(): void;
}

export const CPU_ADAPTER = `cpu (float64 TypeScript, ${typeof process !== 'undefined' ? `node ${process.version}` : 'browser'})`;

export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;
  readonly adapter = CPU_ADAPTER;
  readonly kind = 'cpu' as const;
  async run<A extends unknown[], R>(kernel: Kernel<A, R>, ...args: A): Promise<R> { return kernel.cpu(...args); }
  close(): void {}
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu' as const;
  constructor(readonly gpu: GpuContext) {}
  get adapter(): string { return this.gpu.description; }
  get kind(): AdapterKind { return this.gpu.kind; }
  run<A extends unknown[], R>(kernel: Kernel<A, R>, ...args: A): Promise<R> { return kernel.webgpu(this.gpu, ...args); }
  close(): void { this.gpu.destroy(); }
}

export class NoAdapterError extends Error {}

export async function openBackend(request: BackendRequest): Promise<Backend> {
  if (request === 'cpu') return new CpuBackend();
  const gpu = await acquireGpu();
  if (gpu) return new WebGpuBackend(gpu);
  if (request === 'webgpu') {
    throw new NoAdapterError(
      '--backend webgpu: no WebGPU adapter found (tried a hardware GPU through Dawn, then Mesa llvmpipe through ' +
      "Dawn's OpenGL ES backend). On Debian install: apt-get install -y --no-install-recommends libegl1 libegl-mesa0 " +
      'libgles2 libgl1-mesa-dri (and libvulkan1 plus the vendor driver for a GPU); or use --backend cpu.');
  }
  return new CpuBackend();
}
