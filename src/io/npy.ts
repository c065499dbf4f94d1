// NumPy .npy writer/reader (format v1.0 written; v1/v2/v3 read).
// Spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
import { readFileSync, writeFileSync } from 'node:fs';

import { checkShape, encodeNpyBytes, HOST_LITTLE_ENDIAN, type NpyArray, type NpyDtype } from './npyEncode.ts';

export type { NpyArray, NpyDtype } from './npyEncode.ts';

export interface NpyFile {
  data: NpyArray;
  shape: number[];
  dtype: NpyDtype;
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
const HOST_BE = !HOST_LITTLE_ENDIAN;

function swapInPlace(buf: Buffer, itemSize: number): void {
  if (itemSize === 8) buf.swap64();
  else if (itemSize === 4) buf.swap32();
}

/** Encode to an in-memory .npy buffer (used by writeNpy; handy for tests). */
export function encodeNpy(data: NpyArray, shape: number[]): Buffer {
  const b = encodeNpyBytes(data, shape);
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
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
