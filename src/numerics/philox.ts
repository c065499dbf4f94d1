// Philox4x32-10 (Salmon et al., SC'11 "Random123"), bit-identical to shaders/rng/philox.wgsl.
// Counter-based: the noise of (seed, system, spin, step) is a pure function of those numbers, so the
// CPU twin and the GPU kernel draw the same variates and can be compared step by step.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product a·b, from 16-bit halves (WGSL has no u64 or mul-hi). */
export function mulhi32(a: number, b: number): number {
  // Hacker's Delight mulhu, as in philox.wgsl: every partial sum fits in 32 bits
  const aL = a & 0xffff, aH = a >>> 16, bL = b & 0xffff, bH = b >>> 16;
  const t = aH * bL + ((aL * bL) >>> 16);
  const u = aL * bH + (t & 0xffff);
  return (aH * bH + Math.floor(t / 65536) + Math.floor(u / 65536)) >>> 0;
}

/** Philox4x32-10 block: 4 counter words, 2 key words → 4 random words (written into `out`). */
export function philox4x32(c: ArrayLike<number>, k: ArrayLike<number>, out: Uint32Array = new Uint32Array(4)): Uint32Array {
  let c0 = c[0] >>> 0, c1 = c[1] >>> 0, c2 = c[2] >>> 0, c3 = c[3] >>> 0;
  let k0 = k[0] >>> 0, k1 = k[1] >>> 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) { k0 = (k0 + W0) >>> 0; k1 = (k1 + W1) >>> 0; }
    const hi0 = mulhi32(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi32(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0; c1 = lo1; c2 = (hi0 ^ c3 ^ k1) >>> 0; c3 = lo0;
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
  return out;
}

/** 21-bit field → uniform in (0,1): (x + ½)·2⁻²¹, exact in float32 as in float64 (same on both sides). */
export function uniform21(x: number): number {
  return ((x >>> 0) + 0.5) * 4.76837158203125e-7; // 2^-21
}

/** Key words for a 53-bit integer seed. */
export function seedKey(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be an integer in [0, 2^53), got ${seed}`);
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/**
 * Six standard normals for counter c under key k (shaders/rng/philox.wgsl normals6): the block's 128 bits
 * give six 21-bit uniforms (the top 21 bits of each word, then bits 0–10 of word 0 with bits 1–10 of
 * word 1, and the same of words 2, 3), taken in pairs by Box–Muller, z = √(−2 ln u₁)·(cos, sin)(2πu₂ − π). The angle
 * stays in [−π, π], where WGSL's sin/cos have a guaranteed accuracy. Six normals are two steps of one
 * spin's thermal field, so one block serves two steps (the Philox block is most of the noise's cost).
 * Uniforms with 21 bits put the largest |z| at √(44 ln 2) = 5.52 (P(|z| > 5.52) = 3.3e-8).
 */
export function gaussian6(c: ArrayLike<number>, k: ArrayLike<number>, out: Float64Array = new Float64Array(6), scratch: Uint32Array = new Uint32Array(4)): Float64Array {
  const w = philox4x32(c, k, scratch);
  boxMuller(w[0] >>> 11, w[1] >>> 11, out, 0);
  boxMuller(w[2] >>> 11, w[3] >>> 11, out, 2);
  boxMuller(((w[0] & 0x7ff) << 10) | ((w[1] & 0x7ff) >>> 1), ((w[2] & 0x7ff) << 10) | ((w[3] & 0x7ff) >>> 1), out, 4);
  return out;
}

/** Box–Muller pair from two 21-bit fields into out[o], out[o + 1]. */
function boxMuller(x1: number, x2: number, out: Float64Array, o: number): void {
  const r = Math.sqrt(-2 * Math.log(uniform21(x1)));
  const th = 2 * Math.PI * uniform21(x2) - Math.PI;
  out[o] = r * Math.cos(th);
  out[o + 1] = r * Math.sin(th);
}

/** Noise streams: the fourth counter word separates independent uses of the same (step, system, spin). */
export const STREAM_THERMAL = 0;
/** LLG core: the oscillator's Langevin noise, counter (trajectory, ⌊step/2⌋, 0, ·) as the spins' (src/llg/model.ts). */
export const STREAM_OSCILLATOR = 1;
/** Lattice kernel (src/models/lattice): random easy axes, counter (site i, 0, 0, ·), key = disorder seed. */
export const STREAM_LATTICE_AXES = 0x41584553;   // 'AXES'
/** Lattice kernel: random initial orientations, counter (g mod 2^32, 0, ⌊g/2^32⌋, ·) of global site g, key = run seed. */
export const STREAM_LATTICE_INIT = 0x494e4954;   // 'INIT'
/** Lattice Metropolis reference: counter (global site, sweep, 0, ·), key = seed. */
export const STREAM_LATTICE_METROPOLIS = 0x4d435343;   // 'MCSC'
