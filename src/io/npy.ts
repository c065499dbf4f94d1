// NumPy .npy writer/reader (format v1.0 written; v1/v2/v3 read).
// Spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
import { readFileSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';

export type NpyArray = Float64Array | Float32Array | Int32Array | Uint8Array;
export type NpyDtype = '<f8' | '<f4' | '<i4' | '|u1';

export interface NpyFile {
  data: NpyArray;
  shape: number[];
  dtype: NpyDtype;
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
const HOST_BE = endianness() === 'BE';

function dtypeOf(data: NpyArray): NpyDtype {
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Uint8Array) return '|u1';
  throw new Error('writeNpy: unsupported array type (use Float64Array, Float32Array, Int32Array or Uint8Array)');
}

function checkShape(shape: number[], length: number, who: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${who}: invalid shape [${shape.join(', ')}]: dimensions must be non-negative integers`);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== length) {
    throw new Error(`${who}: shape [${shape.join(', ')}] has ${n} elements but data has length ${length}`);
  }
}

/** Python tuple literal: () / (n,) / (a, b). */
function shapeTuple(shape: number[]): string {
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** Header bytes incl. magic/version/len, padded so the data starts on a 64-byte boundary. */
function encodeHeader(dtype: NpyDtype, shape: number[]): Buffer {
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeTuple(shape)}, }`;
  const unpadded = 10 + dict.length + 1; // magic(6) + version(2) + len(2) + dict + '\n'
  const pad = (64 - (unpadded % 64)) % 64;
  const headerLen = dict.length + pad + 1;
  if (headerLen > 0xffff) throw new Error('writeNpy: header too long for .npy v1.0 (too many dimensions)');
  const buf = Buffer.alloc(10 + headerLen, 0x20);
  MAGIC.copy(buf, 0);
  buf[6] = 1; // major
  buf[7] = 0; // minor
  buf.writeUInt16LE(headerLen, 8);
  buf.write(dict, 10, 'latin1');
  buf[10 + headerLen - 1] = 0x0a;
  return buf;
}

function swapInPlace(buf: Buffer, itemSize: number): void {
  if (itemSize === 8) buf.swap64();
  else if (itemSize === 4) buf.swap32();
}

/** Encode to an in-memory .npy buffer (used by writeNpy; handy for tests). */
export function encodeNpy(data: NpyArray, shape: number[]): Buffer {
  const dtype = dtypeOf(data);
  checkShape(shape, data.length, 'writeNpy');
  const header = encodeHeader(dtype, shape);
  let body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (HOST_BE && data.BYTES_PER_ELEMENT > 1) {
    body = Buffer.from(body); // copy so the caller's array is untouched
    swapInPlace(body, data.BYTES_PER_ELEMENT);
  }
  return Buffer.concat([header, body]);
}

export function writeNpy(path: string, data: NpyArray, shape: number[]): void {
  writeFileSync(path, encodeNpy(data, shape));
}

const CTORS = {
  f8: Float64Array,
  f4: Float32Array,
  i4: Int32Array,
  u1: Uint8Array,
} as const;

/** Decode an in-memory .npy buffer. */
export function decodeNpy(buf: Uint8Array, source = '<buffer>'): NpyFile {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 10 || !b.subarray(0, 6).equals(MAGIC)) throw new Error(`readNpy: ${source} is not a .npy file (bad magic)`);
  const major = b[6];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = b.readUInt16LE(8);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = b.readUInt32LE(8);
    start = 12;
  } else {
    throw new Error(`readNpy: ${source}: unsupported .npy version ${major}.${b[7]}`);
  }
  const header = b.toString(major === 3 ? 'utf8' : 'latin1', start, start + headerLen);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeStr = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeStr === undefined) {
    throw new Error(`readNpy: ${source}: malformed header ${JSON.stringify(header)}`);
  }
  if (fortran === 'True') throw new Error(`readNpy: ${source}: fortran_order=True arrays are not supported`);
  const shape = shapeStr
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number(s.replace(/L$/, '')));

  const m = /^([<>|=])([fiu])(\d+)$/.exec(descr);
  const key = m ? `${m[2]}${m[3]}` : '';
  if (!m || !(key in CTORS)) {
    throw new Error(`readNpy: ${source}: unsupported dtype '${descr}' (supported: <f8, <f4, <i4, |u1)`);
  }
  const Ctor = CTORS[key as keyof typeof CTORS];
  const itemSize = Ctor.BYTES_PER_ELEMENT;
  const n = shape.reduce((a, c) => a * c, 1);
  const off = start + headerLen;
  if (b.length - off < n * itemSize) {
    throw new Error(`readNpy: ${source}: truncated data (expected ${n * itemSize} bytes, found ${b.length - off})`);
  }
  // Copy into a fresh ArrayBuffer: the file buffer may be pooled and the data offset unaligned.
  const ab = new ArrayBuffer(n * itemSize);
  const body = Buffer.from(ab);
  body.set(b.subarray(off, off + n * itemSize));
  const fileBE = m[1] === '>' || (m[1] === '=' && HOST_BE);
  if (fileBE !== HOST_BE && itemSize > 1) swapInPlace(body, itemSize);
  const data = new Ctor(ab);
  checkShape(shape, data.length, 'readNpy');
  const dtype = (key === 'u1' ? '|u1' : `<${key}`) as NpyDtype;
  return { data, shape, dtype };
}

export function readNpy(path: string): NpyFile {
  return decodeNpy(readFileSync(path), path);
}
