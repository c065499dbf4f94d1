// WebGPU device acquisition. Node: Dawn through the `webgpu` package, hardware adapter first, then
// Mesa llvmpipe through Dawn's OpenGL ES backend (EGL surfaceless, compatibility feature level).
// Browser: navigator.gpu. The native binding is loaded once and its GPU object is kept here, not on
// globalThis.

export type AdapterKind = 'hardware' | 'software';

export interface GpuContext {
  device: GPUDevice;
  adapter: GPUAdapter;
  /** How this adapter was found: a hardware GPU or a CPU (software) implementation. */
  kind: AdapterKind;
  /** One-line description (vendor, architecture, device, driver, Dawn backend). */
  description: string;
  info: Record<string, string>;
  destroy(): void;
}

type DawnCreate = (options: string[]) => GPU;
let dawnCreate: DawnCreate | null | undefined;
// Dawn's GPU objects must outlive every adapter and device made from them: if one is garbage
// collected the process segfaults. One instance per option set, kept for the process lifetime.
const dawnInstances = new Map<string, GPU>();

function dawnInstance(create: DawnCreate, options: string[]): GPU {
  const key = options.join(' ');
  let g = dawnInstances.get(key);
  if (!g) { g = create(options); dawnInstances.set(key, g); }
  return g;
}

async function loadDawn(): Promise<DawnCreate | null> {
  if (dawnCreate !== undefined) return dawnCreate;
  try {
    const mod = (await import('webgpu')) as unknown as { create: DawnCreate; globals: Record<string, unknown> };
    // Dawn's objects need the WebGPU enum/constructor globals (GPUBufferUsage, …) to be visible.
    for (const [name, value] of Object.entries(mod.globals)) {
      if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
    }
    dawnCreate = mod.create;
  } catch {
    dawnCreate = null;
  }
  return dawnCreate;
}

function describe(adapter: GPUAdapter, backend: string): { description: string; info: Record<string, string> } {
  const i = adapter.info;
  const info: Record<string, string> = {
    vendor: i?.vendor ?? '', architecture: i?.architecture ?? '', device: i?.device ?? '',
    description: i?.description ?? '', backend,
  };
  const parts = [info.vendor, info.architecture, info.device, info.description].filter(s => s && s.length > 0);
  return { description: `${parts.join(' / ') || 'unknown adapter'} (${backend})`, info };
}

function isSoftware(info: Record<string, string>): boolean {
  const s = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  return /llvmpipe|swiftshader|lavapipe|softpipe|software|cpu/.test(s);
}

interface Candidate { adapter: GPUAdapter; backend: string }

/**
 * On Linux, Dawn reaches a hardware GPU only through the Vulkan loader; without libvulkan.so.1 the
 * attempt just prints a warning, so it is skipped.
 */
async function hardwarePathPossible(): Promise<boolean> {
  if (process.platform !== 'linux') return true;
  const { existsSync } = await import('node:fs');
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/lib64', '/usr/local/lib'];
  return dirs.some(d => existsSync(`${d}/libvulkan.so.1`));
}

/** NANOSPIN_NO_WEBGPU=1 hides every adapter (forces the CPU path; used to test the no-GPU case). */
function webgpuDisabled(): boolean {
  return typeof process !== 'undefined' && process.env.NANOSPIN_NO_WEBGPU === '1';
}

async function findAdapters(): Promise<Candidate[]> {
  const found: Candidate[] = [];
  if (webgpuDisabled()) return found;
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (typeof process === 'undefined' && nav?.gpu) {
    const a = await nav.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (a) found.push({ adapter: a, backend: 'browser' });
    return found;
  }
  const create = await loadDawn();
  if (!create) return found;
  // Hardware first (Vulkan / Metal / D3D12 picked by Dawn).
  if (await hardwarePathPossible()) try {
    const a = await dawnInstance(create, []).requestAdapter({ powerPreference: 'high-performance' });
    if (a) found.push({ adapter: a, backend: 'dawn-default' });
  } catch { /* no hardware backend */ }
  // Software: Mesa llvmpipe through OpenGL ES; EGL must run without a display.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  try {
    const a = await dawnInstance(create, ['backend=opengles']).requestAdapter({ featureLevel: 'compatibility' } as GPURequestAdapterOptions);
    if (a) found.push({ adapter: a, backend: 'dawn-opengles' });
  } catch { /* no GL driver */ }
  return found;
}

/** Acquire the best adapter: hardware before software. Returns null when there is none. */
export async function acquireGpu(opts: { allowSoftware?: boolean } = {}): Promise<GpuContext | null> {
  const cands = await findAdapters();
  const ranked = cands
    .map(c => ({ ...c, ...describe(c.adapter, c.backend) }))
    .map(c => ({ ...c, kind: (isSoftware(c.info) ? 'software' : 'hardware') as AdapterKind }))
    .filter(c => opts.allowSoftware !== false || c.kind === 'hardware')
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'hardware' ? -1 : 1));
  const best = ranked[0];
  if (!best) return null;
  const lim = best.adapter.limits;
  const device = await best.adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
      maxBufferSize: lim.maxBufferSize,
      maxComputeWorkgroupsPerDimension: lim.maxComputeWorkgroupsPerDimension,
    },
  });
  let destroyed = false;
  device.addEventListener?.('uncapturederror', (ev: Event) => {
    console.error(`nanospin: WebGPU error: ${(ev as GPUUncapturedErrorEvent).error.message}`);
  });
  return {
    device, adapter: best.adapter, kind: best.kind, description: best.description, info: best.info,
    destroy() { if (!destroyed) { destroyed = true; device.destroy(); } },
  };
}

/** Adapter listing for `nanospin info`. */
export async function listAdapters(): Promise<{ backend: string; kind: AdapterKind; description: string; info: Record<string, string>; limits: Record<string, number>; features: string[] }[]> {
  const out = [];
  for (const c of await findAdapters()) {
    const d = describe(c.adapter, c.backend);
    const limits: Record<string, number> = {};
    for (const k of ['maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupsPerDimension',
      'maxStorageBufferBindingSize', 'maxBufferSize', 'maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupStorageSize'] as const) {
      limits[k] = Number((c.adapter.limits as unknown as Record<string, number>)[k]);
    }
    out.push({ backend: c.backend, kind: isSoftware(d.info) ? 'software' as const : 'hardware' as const, description: d.description, info: d.info, limits, features: [...c.adapter.features].sort() });
  }
  return out;
}
