// Complex FFT in float64 (iterative radix-2, in place on separate re/im arrays) and the spectrum of
// the discrete principal-value kernel. The one FFT of nanospin on the CPU; the device FFT
// (shaders/fft/fft.wgsl) takes its twiddles from `twiddles` here.

/** Longest principal-value row: one zero-padded row of vec2<f32> (2N · 8 B = 64 MiB) fits twice in
 *  WebGPU's default 128 MiB storage-binding limit, so every conformant adapter can hold it. */
export const MAX_PRINCIPAL_VALUE_N = 2 ** 22;

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0 && n <= 2 ** 30;
}

/** Throws a RangeError unless `value` is a power of two in [min, max]. */
export function checkPowerOfTwo(name: string, value: number, min: number, max: number): void {
  if (!isPowerOfTwo(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a power of two in [${min}, ${max}], got ${value}`);
  }
}

/** N of a principal-value transform: a power of two in [2, MAX_PRINCIPAL_VALUE_N]. */
export function checkPrincipalValueLength(N: number): void {
  checkPowerOfTwo('N (samples per row)', N, 2, MAX_PRINCIPAL_VALUE_N);
}

const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

/**
 * cos(2πt/L) and sin(2πt/L) for t = 0..L/2−1, each evaluated directly in float64 (no recurrence, so
 * every entry is correctly rounded to within an ulp or so). Cached per L; do not modify.
 */
export function twiddles(L: number): { cos: Float64Array; sin: Float64Array } {
  checkPowerOfTwo('L (FFT length)', L, 1, 2 ** 30);
  let t = twiddleCache.get(L);
  if (!t) {
    const h = Math.max(1, L >> 1);
    const c = new Float64Array(h), s = new Float64Array(h);
    for (let k = 0; k < h; k++) {
      // angles beyond π/4 reduced by symmetry so cos and sin are equally accurate and exact at the axes
      const a = k / L;                        // turns, in [0, 1/2)
      if (8 * k <= L) { c[k] = Math.cos(2 * Math.PI * a); s[k] = Math.sin(2 * Math.PI * a); }
      else if (8 * k <= 3 * L) { const b = 2 * Math.PI * (0.25 - a); c[k] = Math.sin(b); s[k] = Math.cos(b); }
      else { const b = 2 * Math.PI * (0.5 - a); c[k] = -Math.cos(b); s[k] = Math.sin(b); }
    }
    t = { cos: c, sin: s };
    if (L <= 2 ** 20) twiddleCache.set(L, t);   // larger tables are rebuilt rather than pinned in memory
  }
  return t;
}

function bitReverse(re: Float64Array, im: Float64Array): void {
  const L = re.length;
  for (let i = 1, j = 0; i < L; i++) {
    let bit = L >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
}

function transform(re: Float64Array, im: Float64Array, sign: 1 | -1): void {
  const L = re.length;
  if (im.length !== L) throw new RangeError(`fft: re and im must have the same length, got ${L} and ${im.length}`);
  checkPowerOfTwo('fft length', L, 1, 2 ** 30);
  if (L === 1) return;
  bitReverse(re, im);
  const { cos, sin } = twiddles(L);
  for (let half = 1; half < L; half <<= 1) {
    const stride = L / (2 * half);            // twiddle index step for this stage
    for (let start = 0; start < L; start += 2 * half) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride], wi = sign * sin[k * stride];
        const a = start + k, b = a + half;
        const br = re[b] * wr - im[b] * wi, bi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - br; im[b] = im[a] - bi;
        re[a] += br; im[a] += bi;
      }
    }
  }
}

/** Forward DFT in place: X_j = Σ_n x_n e^{−2πi jn/L}. L = re.length must be a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  transform(re, im, -1);
}

/** Inverse DFT in place with 1/L normalisation: x_n = (1/L) Σ_j X_j e^{+2πi jn/L}. */
export function ifft(re: Float64Array, im: Float64Array): void {
  transform(re, im, 1);
  const s = 1 / re.length;
  for (let i = 0; i < re.length; i++) { re[i] *= s; im[i] *= s; }
}

/**
 * Spectrum of the alternate-point principal-value kernel d_n = −2/n (n odd, |n| < N; 0 otherwise),
 * laid out circularly on L = 2N points (d at index L+n for n < 0). d is real and odd, so its DFT is
 * purely imaginary: D_j = i·s_j with s_j = 4 Σ_{n odd < N} sin(2π jn/L)/n. Returns s (length L),
 * computed by a float64 FFT of d (the real part, zero up to rounding, is dropped).
 */
export function principalValueKernelSpectrum(N: number): Float64Array {
  checkPrincipalValueLength(N);
  const L = 2 * N;
  const re = new Float64Array(L), im = new Float64Array(L);
  for (let n = 1; n < N; n += 2) { re[n] = -2 / n; re[L - n] = 2 / n; }
  fft(re, im);
  return im;
}
