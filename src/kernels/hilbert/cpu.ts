// Float64 twin of the device principal-value transform (shaders/fft/fft.wgsl, ./webgpu.ts): the same
// zero padding to L = 2N, FFT, multiplication by the kernel spectrum and inverse FFT.
//
// On a uniform grid x_k = x_0 + k h (k = 0..N−1) the alternate-point rule
//   PV_k = P∫ f(y)/(y − x_k) dy ≈ Σ_{m odd, 0≤k+m<N} 2 f_{k+m}/m      (h cancels)
// is the linear convolution PV = d ∗ f with d_n = −2/n for odd n. It is the midpoint rule with cells
// of width 2h bounded by x_k ± 2jh, so it integrates over [x_0, x_0 + Nh] for even k and over
// [x_0 − h, x_0 + (N−1)h] for odd k; spectrally accurate for smooth f that has decayed at the edges.
import { checkPrincipalValueLength, fft, ifft, principalValueKernelSpectrum } from '../../numerics/fft.ts';

export function checkRows(rows: number, N: number, ...lengths: number[]): void {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`rows must be a positive integer, got ${rows}`);
  for (const n of lengths) {
    if (n !== rows * N) throw new RangeError(`re and im must hold rows·N = ${rows}·${N} = ${rows * N} samples, got ${n}`);
  }
}

/**
 * Principal value PV_k ≈ P∫ f(y)/(y − x_k) dy of each row of complex samples f (rows stacked: row r
 * occupies [rN, (r+1)N)), by the alternate-point rule evaluated as an FFT convolution in float64.
 */
export function principalValueCpu(re: Float64Array, im: Float64Array, rows: number, N: number): { re: Float64Array; im: Float64Array } {
  checkPrincipalValueLength(N);
  checkRows(rows, N, re.length, im.length);
  const L = 2 * N;
  const s = principalValueKernelSpectrum(N);
  const outRe = new Float64Array(rows * N), outIm = new Float64Array(rows * N);
  const xr = new Float64Array(L), xi = new Float64Array(L);
  for (let r = 0; r < rows; r++) {
    xr.fill(0); xi.fill(0);
    xr.set(re.subarray(r * N, (r + 1) * N)); xi.set(im.subarray(r * N, (r + 1) * N));
    fft(xr, xi);
    for (let j = 0; j < L; j++) {             // X · (i s_j)
      const a = xr[j], b = xi[j];
      xr[j] = -b * s[j]; xi[j] = a * s[j];
    }
    ifft(xr, xi);
    outRe.set(xr.subarray(0, N), r * N); outIm.set(xi.subarray(0, N), r * N);
  }
  return { re: outRe, im: outIm };
}
