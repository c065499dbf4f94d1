// Compute pipelines cached per (device, shader variant); compilation and validation errors are
// raised as exceptions with the compiler's messages, never turned into silent zeros.

const caches = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

export async function computePipeline(device: GPUDevice, code: string, entryPoint = 'main', label = 'kernel'): Promise<GPUComputePipeline> {
  let cache = caches.get(device);
  if (!cache) { cache = new Map(); caches.set(device, cache); }
  const key = `${entryPoint}\n${code}`;
  const hit = cache.get(key);
  if (hit) return hit;
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code, label });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter(m => m.type === 'error');
  if (errors.length > 0) {
    await device.popErrorScope();
    const lines = code.split('\n');
    throw new Error(`WGSL compilation of ${label} failed:\n` + errors.map(m => `  line ${m.lineNum}:${m.linePos}: ${m.message}\n    ${lines[m.lineNum - 1] ?? ''}`).join('\n'));
  }
  let pipeline: GPUComputePipeline;
  try {
    pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint }, label });
  } finally {
    const err = await device.popErrorScope();
    if (err) throw new Error(`WebGPU pipeline ${label}: ${err.message}`);
  }
  cache.set(key, pipeline);
  return pipeline;
}

/** Run `fn` inside a validation + out-of-memory error scope and throw what the device reports. */
export async function checked<T>(device: GPUDevice, what: string, fn: () => T): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let r: T | undefined, thrown: unknown, failed = false;
  try { r = fn(); } catch (e) { thrown = e; failed = true; }
  // the scopes are popped whatever happened, so none is left on the device
  const v = await device.popErrorScope();
  const m = await device.popErrorScope();
  if (failed) throw thrown;
  if (v) throw new Error(`WebGPU validation error in ${what}: ${v.message}`);
  if (m) throw new Error(`WebGPU out of memory in ${what}: ${m.message}`);
  return r as T;
}

/** Copy a storage buffer back to the host. */
export async function readBuffer(device: GPUDevice, src: GPUBuffer, bytes: number, offset = 0): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(src, offset, staging, 0, bytes);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange().slice(0);
  } finally {
    staging.destroy();
  }
}

export function storageBuffer(device: GPUDevice, data: ArrayBufferView | number, label: string, extraUsage = 0): GPUBuffer {
  const size = typeof data === 'number' ? data : data.byteLength;
  const buf = device.createBuffer({ size: Math.max(16, Math.ceil(size / 4) * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | extraUsage, label });
  if (typeof data !== 'number') device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
  return buf;
}
