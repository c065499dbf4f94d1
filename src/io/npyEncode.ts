// NumPy .npy (format v1.0) encoder with no Node built-ins, so the browser explorer writes the same bytes
// as the CLI (src/io/npy.ts builds on it). Little-endian data, header padded so the data starts on a
// 64-byte boundary. Spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
export type NpyArray = Float64Array | Float32Array | Int32Array | Uint8Array;
export type NpyDtype = '<f8' | '<f4' | '<i4' | '|u1';

export function dtypeOf(data: NpyArray): NpyDtype {
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Uint8Array) return '|u1';
  throw new Error('writeNpy: unsupported array type (use Float64Array, Float32Array, Int32Array or Uint8Array)');
}

export function checkShape(shape: number[], length: number, who: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${who}: invalid shape [${shape.join(', ')}]: dimensions must be non-negative integers`);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== length) throw new Error(`${who}: shape [${shape.join(', ')}] has ${n} elements but data has length ${length}`);
}

/** Python tuple literal: () / (n,) / (a, b). */
function shapeTuple(shape: number[]): string {
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The .npy file of `data` with `shape` (row-major), as bytes. */
export function encodeNpyBytes(data: NpyArray, shape: number[]): Uint8Array {
  const dtype = dtypeOf(data);
  checkShape(shape, data.length, 'writeNpy');
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeTuple(shape)}, }`;
  const pad = (64 - ((10 + dict.length + 1) % 64)) % 64;   // magic(6) + version(2) + len(2) + dict + '\n'
  const headerLen = dict.length + pad + 1;
  if (headerLen > 0xffff) throw new Error('writeNpy: header too long for .npy v1.0 (too many dimensions)');
  const out = new Uint8Array(10 + headerLen + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, headerLen & 0xff, headerLen >> 8]);
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);   // the header is ASCII
  out.fill(0x20, 10 + dict.length, 10 + headerLen - 1);
  out[10 + headerLen - 1] = 0x0a;
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  out.set(body, 10 + headerLen);
  const w = data.BYTES_PER_ELEMENT;
  if (!HOST_LITTLE_ENDIAN && w > 1) {
    // little-endian on disk whatever the host
    for (let o = 10 + headerLen; o < out.length; o += w) out.subarray(o, o + w).reverse();
  }
  return out;
}
