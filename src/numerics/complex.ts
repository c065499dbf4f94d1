// Complex scalars and 2×2 complex matrices in float64 (spin space of one site), for the
// Green's-function algebra of the junction models. A 2×2 matrix is a Float64Array(8):
// [re00, im00, re01, im01, re10, im10, re11, im11] (row-major, interleaved re/im).

export type C2 = Float64Array;

export function c2(): C2 { return new Float64Array(8); }

/** a·b for 2×2 complex matrices, written into out (may alias neither a nor b). */
export function mul2(a: C2, b: C2, out: C2 = c2()): C2 {
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    let re = 0, im = 0;
    for (let k = 0; k < 2; k++) {
      const ar = a[4 * i + 2 * k], ai = a[4 * i + 2 * k + 1], br = b[4 * k + 2 * j], bi = b[4 * k + 2 * j + 1];
      re += ar * br - ai * bi; im += ar * bi + ai * br;
    }
    out[4 * i + 2 * j] = re; out[4 * i + 2 * j + 1] = im;
  }
  return out;
}

/** Inverse of a 2×2 complex matrix; throws on a singular one. */
export function inv2(a: C2, out: C2 = c2()): C2 {
  // det = a00 a11 − a01 a10
  const dr = a[0] * a[6] - a[1] * a[7] - (a[2] * a[4] - a[3] * a[5]);
  const di = a[0] * a[7] + a[1] * a[6] - (a[2] * a[5] + a[3] * a[4]);
  const n = dr * dr + di * di;
  if (!(n > 0)) throw new RangeError('inv2: singular 2×2 matrix');
  const ir = dr / n, ii = -di / n; // 1/det
  const m = [a[6], a[7], -a[2], -a[3], -a[4], -a[5], a[0], a[1]];
  for (let k = 0; k < 4; k++) {
    const xr = m[2 * k], xi = m[2 * k + 1];
    out[2 * k] = xr * ir - xi * ii; out[2 * k + 1] = xr * ii + xi * ir;
  }
  return out;
}

/** Conjugate transpose. */
export function dagger2(a: C2, out: C2 = c2()): C2 {
  out[0] = a[0]; out[1] = -a[1]; out[6] = a[6]; out[7] = -a[7];
  const r01 = a[2], i01 = a[3];
  out[2] = a[4]; out[3] = -a[5]; out[4] = r01; out[5] = -i01;
  return out;
}

/** out = α a + β b with complex α = (ar, ai), real β. */
export function axpby2(ar: number, ai: number, a: C2, b: C2 | null, beta: number, out: C2 = c2()): C2 {
  for (let k = 0; k < 4; k++) {
    const xr = a[2 * k], xi = a[2 * k + 1];
    out[2 * k] = ar * xr - ai * xi + (b ? beta * b[2 * k] : 0);
    out[2 * k + 1] = ar * xi + ai * xr + (b ? beta * b[2 * k + 1] : 0);
  }
  return out;
}

/** Pauli matrices σ⁰, σˣ, σʸ, σᶻ as C2. */
export const PAULI: readonly C2[] = [
  Float64Array.of(1, 0, 0, 0, 0, 0, 1, 0),
  Float64Array.of(0, 0, 1, 0, 1, 0, 0, 0),
  Float64Array.of(0, 0, 0, -1, 0, 1, 0, 0),
  Float64Array.of(1, 0, 0, 0, 0, 0, -1, 0),
];

/** Tr(a·b) as [re, im]. */
export function traceMul2(a: C2, b: C2): [number, number] {
  let re = 0, im = 0;
  for (let i = 0; i < 2; i++) for (let k = 0; k < 2; k++) {
    const ar = a[4 * i + 2 * k], ai = a[4 * i + 2 * k + 1], br = b[4 * k + 2 * i], bi = b[4 * k + 2 * i + 1];
    re += ar * br - ai * bi; im += ar * bi + ai * br;
  }
  return [re, im];
}

/** Charge and magnetic parts of G = g⁰σ⁰ + g·σ: returns [g0, gx, gy, gz] as interleaved re/im (8 numbers). */
export function pauliParts(a: C2): Float64Array {
  const out = new Float64Array(8);
  for (let p = 0; p < 4; p++) {
    const [re, im] = traceMul2(PAULI[p], a);
    out[2 * p] = re / 2; out[2 * p + 1] = im / 2;
  }
  return out;
}

// Complex scalars as [re, im] pairs (the site-space algebra of the dimer models).
export type Cx = [number, number];
export const cmul = (a: Cx, b: Cx): Cx => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
export const cinv = (a: Cx): Cx => { const n = a[0] * a[0] + a[1] * a[1]; return [a[0] / n, -a[1] / n]; };
export const cconj = (a: Cx): Cx => [a[0], -a[1]];
/** Principal square root; an imaginary part of ±0 counts as +0 (the +i0 side of a branch cut). */
export function csqrt(a: Cx): Cx {
  const r = Math.hypot(a[0], a[1]);
  const re = Math.sqrt(Math.max(0, (r + a[0]) / 2)), im = Math.sqrt(Math.max(0, (r - a[0]) / 2));
  return [re, a[1] < 0 ? -im : im];
}
