// WGSL lives in shaders/; kernels are composed from shared pieces plus a header of constants.
// Node reads the files; a browser fetches them relative to this module (same WGSL in both).

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

export type ShaderConstant = number | boolean | { u32: number } | { f32: number };

/** Prepend `const NAME: type = value;` lines to the concatenated shader files. */
export async function composeShader(files: string[], constants: Record<string, ShaderConstant> = {}): Promise<string> {
  const header = Object.entries(constants).map(([k, v]) => {
    if (typeof v === 'boolean') return `const ${k}: bool = ${v};`;
    if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? `const ${k}: u32 = ${v}u;` : `const ${k}: f32 = ${v};`;
    if ('u32' in v) return `const ${k}: u32 = ${v.u32 >>> 0}u;`;
    return `const ${k}: f32 = ${v.f32};`;
  });
  return [...header, ...(await Promise.all(files.map(shaderSource)))].join('\n');
}
