// WGSL lives in shaders/; kernels are composed from shared pieces plus a generated header: constants,
// constant tables (quadrature nodes, cut points) and struct declarations, each from its single
// TypeScript source (src/backends/layout.ts for structs). Node reads the files; a browser fetches them
// relative to this module (same WGSL in both).

const root = new URL('../../shaders/', import.meta.url);
const cache = new Map<string, Promise<string>>();

async function load(path: string): Promise<string> {
  const url = new URL(path, root);
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return readFile(url, 'utf8');
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`shader ${path}: HTTP ${res.status} from ${url}`);
  return res.text();
}

export function shaderSource(path: string): Promise<string> {
  let s = cache.get(path);
  if (!s) { s = load(path); cache.set(path, s); }
  return s;
}

/** A shader constant: bool, u32 (non-negative integer), f32, or a constant f32/u32 array (a table). */
export type ShaderConstant = number | boolean | { u32: number } | { f32: number } | { f32array: ArrayLike<number> } | { u32array: ArrayLike<number> };

/** Workgroup size of the 1D compute kernels: injected as WG, read by the hosts from here. */
export const WORKGROUP = 64;

function f32Literal(x: number, name: string): string {
  if (!Number.isFinite(x)) throw new RangeError(`shader constant ${name}: ${x} is not a finite f32`);
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** `const NAME: type = value;` for one constant. */
export function constantDecl(k: string, v: ShaderConstant): string {
  if (typeof v === 'boolean') return `const ${k}: bool = ${v};`;
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? `const ${k}: u32 = ${v}u;` : `const ${k}: f32 = ${f32Literal(v, k)};`;
  if ('u32' in v) return `const ${k}: u32 = ${v.u32 >>> 0}u;`;
  if ('f32' in v) return `const ${k}: f32 = ${f32Literal(v.f32, k)};`;
  if ('f32array' in v) return `const ${k} = array<f32, ${v.f32array.length}>(${Array.from(v.f32array, x => f32Literal(x, k)).join(', ')});`;
  return `const ${k} = array<u32, ${v.u32array.length}>(${Array.from(v.u32array, x => `${x >>> 0}u`).join(', ')});`;
}

export interface ComposeOptions {
  /** Struct declarations (StructLayout.wgsl) the shader uses. */
  structs?: { wgsl: string }[];
}

/** Header (WG, the constants, the structs), then the concatenated shader files. */
export async function composeShader(files: string[], constants: Record<string, ShaderConstant> = {}, opts: ComposeOptions = {}): Promise<string> {
  const header = [constantDecl('WG', WORKGROUP), ...Object.entries(constants).map(([k, v]) => constantDecl(k, v)), ...(opts.structs ?? []).map(s => s.wgsl)];
  return [...header, ...(await Promise.all(files.map(shaderSource)))].join('\n');
}
