// Discrete principal-value (Hilbert) transform: the float64 FFT against a naive DFT, the alternate-point
// rule against closed forms and adaptive quadrature, its spectral convergence, and the WebGPU
// transform (float32 Stockham FFT) against its float64 twin, batched and device-resident.
import { describe, it, expect } from 'vitest';
import { fft, ifft, principalValueKernelSpectrum, MAX_PRINCIPAL_VALUE_N } from '../src/numerics/fft.ts';
import { integrate } from '../src/numerics/quadrature.ts';
import { principalValueCpu } from '../src/kernels/hilbert/cpu.ts';
import { encodePrincipalValue, principalValuePlan, principalValueWebGpu } from '../src/kernels/hilbert/webgpu.ts';
import { readBuffer, storageBuffer } from '../src/backends/pipelines.ts';
import { webgpuBackend } from './gpu.ts';

/** Deterministic uniform(−½, ½) generator (xorshift32), independent of the code under test. */
function uniforms(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32 - 0.5; };
}

/** Samples of f on x_k = x0 + kh, k < N. */
function sample(N: number, x0: number, h: number, f: (x: number) => [number, number]): { re: Float64Array; im: Float64Array; x: Float64Array } {
  const re = new Float64Array(N), im = new Float64Array(N), x = new Float64Array(N);
  for (let k = 0; k < N; k++) { x[k] = x0 + k * h; [re[k], im[k]] = f(x[k]); }
  return { re, im, x };
}

/**
 * The interval the alternate-point rule integrates over at point k (midpoint rule, cells of width 2h
 * centred on the points of the other parity): [x0, x0 + Nh] for even k, [x0 − h, x0 + (N−1)h] for odd k.
 */
function ruleWindow(k: number, N: number, x0: number, h: number): [number, number] {
  return k % 2 === 0 ? [x0, x0 + N * h] : [x0 - h, x0 + (N - 1) * h];
}

const fermi = (y: number, mu: number, kT: number) => 1 / (Math.exp((y - mu) / kT) + 1);

describe('float64 FFT', () => {
  it('matches a naive O(L²) DFT on random complex data (1e-13 of max |X|) for L = 1..1024', () => {
    const r = uniforms(11);
    for (const L of [1, 2, 4, 8, 32, 128, 1024]) {
      const re = Float64Array.from({ length: L }, r), im = Float64Array.from({ length: L }, r);
      const Xr = new Float64Array(L), Xi = new Float64Array(L);
      for (let j = 0; j < L; j++) for (let n = 0; n < L; n++) {
        const t = (-2 * Math.PI * ((j * n) % L)) / L;    // exact argument reduction
        const c = Math.cos(t), s = Math.sin(t);
        Xr[j] += re[n] * c - im[n] * s; Xi[j] += re[n] * s + im[n] * c;
      }
      const ar = re.slice(), ai = im.slice();
      fft(ar, ai);
      let err = 0, max = 0;
      for (let j = 0; j < L; j++) { err = Math.max(err, Math.hypot(ar[j] - Xr[j], ai[j] - Xi[j])); max = Math.max(max, Math.hypot(Xr[j], Xi[j])); }
      expect(err / max, `L = ${L}`).toBeLessThan(1e-13);
    }
  });

  it('inverse ∘ forward is the identity (2e-16·log2 L relative) for L = 2^14', () => {
    const r = uniforms(12), L = 2 ** 14;
    const re = Float64Array.from({ length: L }, r), im = Float64Array.from({ length: L }, r);
    const ar = re.slice(), ai = im.slice();
    fft(ar, ai); ifft(ar, ai);
    let err = 0;
    for (let j = 0; j < L; j++) err = Math.max(err, Math.abs(ar[j] - re[j]), Math.abs(ai[j] - im[j]));
    expect(err).toBeLessThan(2e-16 * 14);
  });

  it('kernel spectrum is i·4Σ_{n odd<N} sin(2πjn/L)/n (closed form summed directly, N = 128)', () => {
    const N = 128, L = 2 * N, s = principalValueKernelSpectrum(N);
    let err = 0;
    for (let j = 0; j < L; j++) {
      let d = 0;
      for (let n = 1; n < N; n += 2) d += (4 * Math.sin((2 * Math.PI * ((j * n) % L)) / L)) / n;
      err = Math.max(err, Math.abs(s[j] - d));
    }
    expect(err).toBeLessThan(1e-13);
  });
});

describe('principal value on the CPU (float64 FFT convolution)', () => {
  it('equals the direct alternate-point sum Σ_{m odd} 2f_{k+m}/m on random complex rows (1e-13)', () => {
    const r = uniforms(13), rows = 3, N = 256;
    const re = Float64Array.from({ length: rows * N }, r), im = Float64Array.from({ length: rows * N }, r);
    const pv = principalValueCpu(re, im, rows, N);
    let err = 0;
    for (let row = 0; row < rows; row++) for (let k = 0; k < N; k++) {
      let sr = 0, si = 0;
      for (let m = 1 - N; m < N; m += 2) {  // odd m (N even, so 1 − N is odd)
        const j = k + m;
        if (j >= 0 && j < N) { sr += (2 * re[row * N + j]) / m; si += (2 * im[row * N + j]) / m; }
      }
      err = Math.max(err, Math.abs(pv.re[row * N + k] - sr), Math.abs(pv.im[row * N + k] - si));
    }
    expect(err).toBeLessThan(1e-13);
  });

  it('Lorentzian 1/(y²+a²): matches −πx/(a(x²+a²)) on the central quarter (window ±2048, h = 1/16) to 1e-7 of max', () => {
    // Errors: discretisation ~exp(−πa/h) = e^−50; truncation of the 1/y² tails beyond ±W/2 is
    // ≈ 2|x|/(3(W/2)³) ≤ 4e-8 at |x| = 512. Measured: 2.6e-8 relative to max |PV| = π/2.
    const a = 1, h = 1 / 16, N = 2 ** 16, x0 = -(N / 2) * h;
    const { re, im, x } = sample(N, x0, h, y => [1 / (y * y + a * a), 0]);
    const pv = principalValueCpu(re, im, 1, N);
    let err = 0;
    for (let k = (3 * N) / 8; k < (5 * N) / 8; k++) {
      err = Math.max(err, Math.abs(pv.re[k] + (Math.PI * x[k]) / (a * (x[k] * x[k] + a * a))), Math.abs(pv.im[k]));
    }
    const rel = err / (Math.PI / (2 * a));
    console.log(`principal value cpu, Lorentzian vs full line: ${rel.toExponential(2)} of max`);
    expect(rel).toBeLessThan(1e-7);
  });

  it('Lorentzian: the error against the exact integral over the rule\'s window falls like π·exp(−πa/h) as h halves (spectral)', () => {
    // Reference: P∫_α^β dy/((y²+a²)(y−x)) = F(β) − F(α),
    // F(y) = [ln|y−x| − ½ln(y²+a²) − (x/a)·atan(y/a)]/(x²+a²), minus the midpoint rule's leading
    // Euler–Maclaurin edge term (H²/24)(g'(β) − g'(α)), H = 2h, g(y) = f(y)/(y−x): f has not decayed
    // exponentially at the window edges, so without it an O(h²/W⁴) floor (~1e-10 here) hides the
    // spectral error at h = 1/8. Window [−128, 128), points |x| ≤ 64.
    const a = 1, W = 256, hs = [1 / 2, 1 / 4, 1 / 8];
    const f = (y: number) => 1 / (y * y + a * a), df = (y: number) => (-2 * y) / (y * y + a * a) ** 2;
    const errs: number[] = [];
    for (const h of hs) {
      const N = W / h, x0 = -W / 2;
      const { re, im, x } = sample(N, x0, h, y => [f(y), 0]);
      const pv = principalValueCpu(re, im, 1, N);
      let err = 0;
      for (let k = N / 4; k <= (3 * N) / 4; k++) {
        const xk = x[k], [al, be] = ruleWindow(k, N, x0, h);
        const F = (y: number) => (Math.log(Math.abs(y - xk)) - 0.5 * Math.log(y * y + a * a) - (xk / a) * Math.atan(y / a)) / (xk * xk + a * a);
        const dg = (y: number) => df(y) / (y - xk) - f(y) / (y - xk) ** 2;
        err = Math.max(err, Math.abs(pv.re[k] - (F(be) - F(al) - ((2 * h) ** 2 / 24) * (dg(be) - dg(al)))));
      }
      errs.push(err);
    }
    // measured: 5.86e-3, 1.10e-5, 3.8e-11 = 3.14·exp(−πa/h) each: every halving squares the error (up to
    // the constant π); a second-order rule would only divide it by 4.
    console.log(`principal value cpu, Lorentzian vs window, h = 1/2, 1/4, 1/8: ${errs.map(e => e.toExponential(2)).join(', ')}`);
    expect(errs[1]).toBeLessThan(errs[0] / 100);
    expect(errs[2]).toBeLessThan(errs[1] / 1e4);
    for (const [i, h] of hs.entries()) {
      const c = errs[i] / Math.exp(-Math.PI * a / h);
      expect(c, `h = ${h}`).toBeGreaterThan(2.5); expect(c, `h = ${h}`).toBeLessThan(4);
    }
  });

  it('1/(y − z0), Im z0 > 0: exact over the rule\'s window (with its O(h²) edge term), and tends to −iπ f(x) like 1/W as W grows', () => {
    // f is analytic in the lower half plane, so P∫_ℝ f(y)/(y−x) dy = −iπ f(x) (for Im z0 < 0 it is +iπ f(x)).
    // Over [α, β]: P∫ = [Log(β−z0) − Log(α−z0) − ln((β−x)/(x−α))]/(z0 − x) (principal Log: y − z0 stays in
    // the lower half plane, off the branch cut). f ~ 1/y has not decayed at the edges, so the rule also
    // carries the midpoint rule's edge term −(H²/24)(g'(β) − g'(α)), H = 2h, g = f/(y−x), which is
    // O(h²/W³) (5.7e-9 at W = 256 and 7.1e-10 at W = 512, h = 1/8). The truncation of the 1/y tails is
    // O(1/W), so (i) the window integral with the edge term is asserted to 1e-12 and (ii) the full-line
    // limit through the 1/W scaling of the remaining difference.
    const z0r = 0.5, z0i = 1, h = 1 / 8;
    const devFromFull: number[] = [];
    for (const W of [256, 512]) {
      const N = W / h, x0 = -W / 2;
      const { re, im, x } = sample(N, x0, h, y => { const dr = y - z0r, d = dr * dr + z0i * z0i; return [dr / d, z0i / d]; });
      const pv = principalValueCpu(re, im, 1, N);
      let errWindow = 0, errEdge = 0, errFull = 0;
      for (let k = (3 * N) / 8; k <= (5 * N) / 8; k++) {
        const xk = x[k], [al, be] = ruleWindow(k, N, x0, h);
        const cdiv = (pr: number, pi: number, qr: number, qi: number) => { const q2 = qr * qr + qi * qi; return [(pr * qr + pi * qi) / q2, (pi * qr - pr * qi) / q2]; };
        // window integral: (Log(β−z0) − Log(α−z0) − ln((β−x)/(x−α))) / (z0 − x)
        const lr = 0.5 * Math.log(((be - z0r) ** 2 + z0i ** 2) / ((al - z0r) ** 2 + z0i ** 2)) - Math.log((be - xk) / (xk - al));
        const li = Math.atan2(-z0i, be - z0r) - Math.atan2(-z0i, al - z0r);
        const [wr, wi] = cdiv(lr, li, z0r - xk, z0i);
        // g'(y) = −1/((y−z0)²(y−x)) − 1/((y−z0)(y−x)²)
        const dg = (y: number) => {
          const ur = y - z0r, ui = -z0i, d = y - xk;
          const [ar, ai] = cdiv(-1, 0, (ur * ur - ui * ui) * d, 2 * ur * ui * d);
          const [br, bi] = cdiv(-1, 0, ur * d * d, ui * d * d);
          return [ar + br, ai + bi];
        };
        const [gbr, gbi] = dg(be), [gar, gai] = dg(al), c = (2 * h) ** 2 / 24;
        errWindow = Math.max(errWindow, Math.hypot(pv.re[k] - wr, pv.im[k] - wi));
        errEdge = Math.max(errEdge, Math.hypot(pv.re[k] - (wr - c * (gbr - gar)), pv.im[k] - (wi - c * (gbi - gai))));
        // −iπ f(x) = iπ/(z0 − x)
        const [fr, fi] = cdiv(0, Math.PI, z0r - xk, z0i);
        errFull = Math.max(errFull, Math.hypot(pv.re[k] - fr, pv.im[k] - fi));
      }
      // |PV| ≤ π/Im z0 = π; what remains is the spectral error ~exp(−π Im z0/h) = 1.2e-11 times a
      // constant: 7.6e-11 measured for both W
      expect(errEdge).toBeLessThan(2e-10);
      expect(errWindow).toBeLessThan(1e-8 * (256 / W) ** 3);
      devFromFull.push(errFull);
      console.log(`principal value cpu, 1/(y−z0), W = ${W}: vs window+edge ${errEdge.toExponential(2)}, vs window ${errWindow.toExponential(2)}, vs −iπf ${errFull.toExponential(2)}`);
    }
    // tails ∫_{|y|>W/2} dy/((y−z0)(y−x)) ≈ 4/W (+ O(|x|/W²)): 1.6e-2 at W = 256; halves when W doubles
    expect(devFromFull[0]).toBeLessThan(8 / 256);
    expect(devFromFull[1] / devFromFull[0]).toBeGreaterThan(0.45);
    expect(devFromFull[1] / devFromFull[0]).toBeLessThan(0.55);
  });

  it('Lorentzian × Fermi function: matches adaptive quadrature of the principal value (1e-9 of max) at several x', () => {
    // f(y) = 1/((y−e)²+g²) · 1/(exp((y−μ)/kT)+1). Reference, on the rule's window [α, β] split at x:
    // P∫ f(y)/(y−x) dy = ∫ (f(y)−f(x))/(y−x) dy + f(x) ln((β−x)/(x−α)). The Fermi poles at μ ± iπkT(2n+1)
    // set the discretisation error ~exp(−π²kT/h) = e^−32 with kT = 0.1, h = 1/32. Measured: 8e-12 of max
    // (the quadrature's own tolerance is 1e-12 relative).
    const e = 0.5, g = 0.3, mu = 0, kT = 0.1, h = 1 / 32, W = 128, N = W / h, x0 = -W / 2;
    const f = (y: number) => fermi(y, mu, kT) / ((y - e) ** 2 + g * g);
    const { re, im } = sample(N, x0, h, y => [f(y), 0]);
    const pv = principalValueCpu(re, im, 1, N);
    let max = 0;
    for (let k = 0; k < N; k++) max = Math.max(max, Math.abs(pv.re[k]));
    let worst = 0;
    for (const xk of [-3, -0.5, -0.125, 0, 0.25, 0.5, 0.75, 2]) {
      const k = Math.round((xk - x0) / h), x = x0 + k * h, [al, be] = ruleWindow(k, N, x0, h);
      const fx = f(x), g1 = (y: number) => (f(y) - fx) / (y - x);
      const q = integrate(g1, al, x, { relTol: 1e-12 }).value + integrate(g1, x, be, { relTol: 1e-12 }).value + fx * Math.log((be - x) / (x - al));
      worst = Math.max(worst, Math.abs(pv.re[k] - q) / max);
      expect(Math.abs(pv.im[k])).toBeLessThan(1e-15 * max);   // real f: only FFT rounding
    }
    console.log(`principal value cpu, Lorentzian × Fermi vs quadrature: ${worst.toExponential(2)} of max`);
    expect(worst).toBeLessThan(1e-9);
  });

  it('rejects bad N and row counts with RangeErrors that name the parameter and the allowed range', () => {
    const z = (n: number) => new Float64Array(n);
    expect(() => principalValueCpu(z(3), z(3), 1, 3)).toThrow(/N \(samples per row\) must be a power of two in \[2, 4194304\], got 3/);
    expect(() => principalValueCpu(z(1), z(1), 1, 1)).toThrow(RangeError);
    expect(() => principalValueCpu(z(0), z(0), 1, 2 * MAX_PRINCIPAL_VALUE_N)).toThrow(/N \(samples per row\).*got 8388608/);
    expect(() => principalValueCpu(z(8), z(8), 0, 8)).toThrow(/rows must be a positive integer/);
    expect(() => principalValueCpu(z(16), z(8), 2, 8)).toThrow(/rows·N = 2·8 = 16 samples, got 8/);
  });
});

/** Max |PV_gpu − PV_cpu| of each row divided by the row's max |PV_cpu|. */
function rowErrors(g: { re: Float32Array; im: Float32Array }, c: { re: Float64Array; im: Float64Array }, rows: number, N: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let err = 0, max = 0;
    for (let k = r * N; k < (r + 1) * N; k++) {
      err = Math.max(err, Math.hypot(g.re[k] - c.re[k], g.im[k] - c.im[k]));
      max = Math.max(max, Math.hypot(c.re[k], c.im[k]));
    }
    out.push(err / max);
  }
  return out;
}

/** Rows of physics-like and random inputs, as float32 (the device's input) and the same values in float64. */
function testRows(rows: number, N: number, seed: number): { re: Float32Array; im: Float32Array; re64: Float64Array; im64: Float64Array } {
  const r = uniforms(seed), re = new Float32Array(rows * N), im = new Float32Array(rows * N);
  const h = 64 / N, x0 = -32;
  for (let row = 0; row < rows; row++) for (let k = 0; k < N; k++) {
    const y = x0 + k * h, i = row * N + k;
    switch (row % 4) {
      case 0: { re[i] = fermi(y, 0.2 * row, 0.25) / ((y - 0.5) ** 2 + 0.09); break; }       // Fermi × Lorentzian
      case 1: { const d = (y - 0.3) ** 2 + 1; re[i] = (y - 0.3) / d; im[i] = 1 / d; break; }  // 1/(y − z0)
      case 2: { re[i] = Math.exp(-y * y) * Math.cos(3 * y); im[i] = Math.exp(-y * y) * Math.sin(3 * y); break; }
      default: { re[i] = r(); im[i] = r(); }                                               // white noise
    }
  }
  return { re, im, re64: Float64Array.from(re), im64: Float64Array.from(im) };
}

describe('principal value on the WebGPU adapter (float32 Stockham FFT)', () => {
  it('matches the float64 twin to 2e-6 of each row\'s max |PV| (N = 4096 and N = 65536; also N = 2..32)', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const gpu = b.gpu!;
    let worst = 0;
    // every pass layout: L = 4 [4], 8 [8], 16 [2 8], 32 [4 8], 64 [8 8], 8192 [2 8 8 8 8], 2^17 [4 8 8 8 8 8]
    for (const [rows, N] of [[4, 2], [4, 4], [4, 8], [4, 16], [4, 32], [8, 4096], [4, 65536]] as const) {
      const t = testRows(rows, N, 100 + N);
      const g = await principalValueWebGpu(gpu, t.re, t.im, rows, N);
      const errs = rowErrors(g, principalValueCpu(t.re64, t.im64, rows, N), rows, N);
      for (const [row, e] of errs.entries()) expect(e, `rows=${rows} N=${N} row ${row}`).toBeLessThan(2e-6);
      worst = Math.max(worst, ...errs);
      console.log(`principal value webgpu vs cpu, N = ${N}: ${errs.map(e => e.toExponential(2)).join(', ')}`);
    }
    // measured on llvmpipe: 1–2e-7 at N = 4096, 1.6–3.0e-7 at N = 65536 (worst: the 1/(y − z0) row), ≤ 1e-7
    // for N ≤ 32; float32 rounding of O(log L) butterfly stages, ~10× below the bound.
    console.log(`principal value webgpu vs float64 twin: worst error ${worst.toExponential(2)} of row max`);
  });

  it('gives identical rows however they are split into batches', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const rows = 7, N = 1024, t = testRows(rows, N, 7);
    const whole = await principalValueWebGpu(b.gpu!, t.re, t.im, rows, N);
    const split = await principalValueWebGpu(b.gpu!, t.re, t.im, rows, N, { maxRowsPerBatch: 3 });  // 3 + 3 + 1
    // every row goes through the same float32 operations wherever it sits in a batch: bit-identical
    expect(split.re).toEqual(whole.re);
    expect(split.im).toEqual(whole.im);
    expect(Math.max(...rowErrors(whole, principalValueCpu(t.re64, t.im64, rows, N), rows, N))).toBeLessThan(2e-6);
  });

  it('transforms rows already on the device without reading their padding half; plans are cached per (device, N)', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const { device } = b.gpu!;
    const rows = 3, N = 512, L = 2 * N, t = testRows(rows, N, 3);
    const plan = await principalValuePlan(device, N);
    expect(await principalValuePlan(device, N)).toBe(plan);
    // padding half filled with NaN: a transform that read it would return NaN everywhere
    const packed = new Float32Array(rows * 2 * L).fill(NaN);
    for (let r = 0; r < rows; r++) for (let k = 0; k < N; k++) {
      packed[2 * (r * L + k)] = t.re[r * N + k]; packed[2 * (r * L + k) + 1] = t.im[r * N + k];
    }
    const data = storageBuffer(device, packed, 'test rows');
    try {
      const enc = device.createCommandEncoder();
      encodePrincipalValue(plan, enc, data, rows);
      device.queue.submit([enc.finish()]);
      const out = new Float32Array(await readBuffer(device, data, rows * plan.rowBytes));
      const ref = await principalValueWebGpu(b.gpu!, t.re, t.im, rows, N);
      for (let r = 0; r < rows; r++) for (let k = 0; k < N; k++) {
        expect(out[2 * (r * L + k)]).toBe(ref.re[r * N + k]);
        expect(out[2 * (r * L + k) + 1]).toBe(ref.im[r * N + k]);
      }
      expect(() => encodePrincipalValue(plan, device.createCommandEncoder(), data, rows + 1)).toThrow(/data buffer holds/);
      expect(() => encodePrincipalValue(plan, device.createCommandEncoder(), data, 0)).toThrow(/rows must be an integer in \[1, /);
    } finally {
      data.destroy();
    }
    plan.destroy();
    const fresh = await principalValuePlan(device, N);
    expect(fresh).not.toBe(plan);
    fresh.destroy();
    await expect(principalValuePlan(device, 48)).rejects.toThrow(/N \(samples per row\) must be a power of two/);
  });
});
