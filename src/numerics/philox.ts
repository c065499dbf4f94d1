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

/** u32 → uniform in (0,1): 23 bits plus a half step, exact in float32 as in float64 (same on both sides). */
export function uniformFromWord(x: number): number {
  return ((x >>> 9) + 0.5) * 1.1920928955078125e-7; // 2^-23
}

/** Key words for a 53-bit integer seed. */
export function seedKey(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be an integer in [0, 2^53), got ${seed}`);
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/**
 * Four standard normals for counter c under key k, by Box–Muller on the two uniform pairs.
 * The angle is 2πu − π so that it stays in [−π, π], where WGSL's sin/cos have a guaranteed accuracy.
 */
export function gaussian4(c: ArrayLike<number>, k: ArrayLike<number>, out: Float64Array = new Float64Array(4), scratch: Uint32Array = new Uint32Array(4)): Float64Array {
  const w = philox4x32(c, k, scratch);
  for (let p = 0; p < 2; p++) {
    const u1 = uniformFromWord(w[2 * p]), u2 = uniformFromWord(w[2 * p + 1]);
    const r = Math.sqrt(-2 * Math.log(u1));
    const th = 2 * Math.PI * u2 - Math.PI;
    out[2 * p] = r * Math.cos(th);
    out[2 * p + 1] = r * Math.sin(th);
  }
  return out;
}

/** Noise streams: the fourth counter word separates independent uses of the same (step, system, spin). */
export const STREAM_THERMAL = 0;
