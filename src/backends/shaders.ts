// WGSL lives in shaders/; kernels are composed from shared pieces plus a header of constants.
import { readFileSync } from 'node:fs';

const root = new URL('../../shaders/', import.meta.url);
const cache = new Map<string, string>();

export function shaderSource(path: string): string {
  let s = cache.get(path);
  if (s === undefined) { s = readFileSync(new URL(path, root), 'utf8'); cache.set(path, s); }
  return s;
}

export type ShaderConstant = number | boolean | { u32: number } | { f32: number };

/** Prepend `const NAME: type = value;` lines to the concatenated shader files. */
export function composeShader(files: string[], constants: Record<string, ShaderConstant> = {}): string {
  const header = Object.entries(constants).map(([k, v]) => {
    if (typeof v === 'boolean') return `const ${k}: bool = ${v};`;
    if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? `const ${k}: u32 = ${v}u;` : `const ${k}: f32 = ${v};`;
    if ('u32' in v) return `const ${k}: u32 = ${v.u32 >>> 0}u;`;
    return `const ${k}: f32 = ${v.f32};`;
  });
  return [...header, ...files.map(shaderSource)].join('\n');
}
