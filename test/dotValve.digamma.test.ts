// Digamma family: the float64 implementation (src/numerics/digamma.ts) against independent values (mpmath at 30
// digits, closed forms), and the float32 WGSL twin (shaders/common/digamma.wgsl) against it.
import { describe, expect, it } from 'vitest';
import { digamma, trigamma, polygamma, polygammaComplex, reDigammaHalf, ASYMPTOTIC_COEFFS, BERNOULLI_2K } from '../src/numerics/digamma.ts';
import { specialFunctionsKernel } from '../src/kernels/dotValve/index.ts';
import { webgpuBackend } from './gpu.ts';

const EULER = 0.57721566490153286061;

/** ψ″(x) for any real x (reflection of ψ″: ψ″(1 − x) + ψ″(x) = −2π³ cot(πx)/sin²(πx)). */
function polygammaAny(n: 2, x: number): number {
  if (x > 0) return polygamma(n, x);
  const s = Math.sin(Math.PI * x), c = Math.cos(Math.PI * x);
  return -polygamma(n, 1 - x) - (2 * Math.PI ** 3 * c) / (s * s * s);
}
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

// mpmath 1.3.0, mp.dps = 30: digamma(x), psi(1, x)
const REAL: [number, number, number][] = [
  [-0.5, 0.036489973978576521, 8.9348022005446793],
  [-1.3, 2.8825405488661679, 14.536876244137083],
  [-2.5, 1.1031566406452432, 9.5392466449891238],
  [-10.2, 6.6946384504174965, 28.473461217287779],
  [-100.7, 2.3346021567199437, 15.069532360278611],
  [-0.9999, -9999.5769511735133, 100000002.64489372],
  [0.001, -1000.5755719318103, 1000001.6425331959],
  [1.2, -0.2890398965921883, 1.2673772054237791],
  [1.7, 0.20854787487349396, 0.79323283016399838],
  [3.7, 1.1671535393615114, 0.31003785767003832],
  [55.5, 4.0073469585404439, 0.018181317363221761],
  [1e6, 13.815510057964191, 1.0000005000001667e-6],
];

// mpmath psi(n, 0.5 + iy): [y, n, Re, Im]
const HALF_LINE: [number, number, number, number][] = [
  [0.1, 0, -1.882457381821624, 0.47786167833802608], [0.1, 1, 4.4780986332966091, -1.561594164192146],
  [0.1, 2, -13.328673738077031, 8.5596469146813537], [0.1, 3, 63.852160515609679, -63.363272893001166],
  [0.1, 4, -387.05524977488302, 582.02132015962641],
  [2, 0, 0.68218669934942427, 1.5707853710239763], [2, 1, 6.8836898817388276e-5, -0.51162115818809964],
  [2, 2, 0.26900193191384778, 0.00043251197459604464], [2, 3, -0.0027175149758780872, 0.29250767697698357],
  [2, 4, -0.49535545452095867, -0.017074173805195102],
  [100, 0, 4.6051660192485042, 1.5707963267948966], [100, 2, 0.00010000250014584948, 0],
  [100, 4, -6.0005000612616283e-8, 0],
];

// shared/notes/seed004-dot-valve.md §5 (mpmath): y, Re ψ(½+iy), Im ψ′(½+iy), Re ψ″(½+iy)
const NOTE_TABLE: [number, number, number, number][] = [
  [0, -1.9635100260214235, 0, -16.82879664423432],
  [0.25, -1.5381612557092357, -2.7584928890637803, -2.7749554626446712],
  [1, -0.051761650994412543, -1.1170686578296001, 1.351641900841261],
  [5, 1.6077593216071879, -0.20067631397992514, 0.040409781260030897],
  [10, 2.3021676932743471, -0.10008362734040317, 0.010025147478548768],
  [50, 3.9120063375945666, -0.020000666760029541, 0.00040004000933746972],
];

describe('digamma, float64', () => {
  it('matches closed forms: ψ(1) = −γ, ψ(½) = −γ − 2 ln 2, ψ(n) = H_{n−1} − γ, ψ′(1) = π²/6, ψ′(½) = π²/2', () => {
    expect(rel(digamma(1), -EULER)).toBeLessThan(1e-15);
    expect(rel(digamma(0.5), -EULER - 2 * Math.LN2)).toBeLessThan(1e-15);
    let H = 0;
    for (let n = 1; n <= 40; n++) { expect(rel(digamma(n), H - EULER)).toBeLessThan(2e-15); H += 1 / n; }
    expect(rel(trigamma(1), Math.PI ** 2 / 6)).toBeLessThan(1e-15);
    expect(rel(trigamma(0.5), Math.PI ** 2 / 2)).toBeLessThan(1e-15);
    // Gauss: ψ(1/4) = −γ − π/2 − 3 ln 2
    expect(rel(digamma(0.25), -EULER - Math.PI / 2 - 3 * Math.LN2)).toBeLessThan(1e-15);
  });

  it('matches mpmath on the whole real axis (reflection for x ≤ 0) to 1e-13 × the condition number', () => {
    // mpmath evaluated the decimal x exactly; the double x differs by ≤ 1.1e-16|x|, which moves f(x) by cond·1.1e-16
    for (const [x, p, t] of REAL) {
      const condP = Math.max(1, Math.abs((x * trigamma(x)) / digamma(x))), condT = Math.max(1, Math.abs((x * polygammaAny(2, x)) / trigamma(x)));
      expect(rel(digamma(x), p), `ψ(${x})`).toBeLessThan(1e-13 * condP);
      expect(rel(trigamma(x), t), `ψ′(${x})`).toBeLessThan(1e-13 * condT);
    }
  });

  it('is relative-accurate at its positive zero x₀ = 1.46163214496836234… and NaN at the poles', () => {
    // ψ(x₀ + d) = ψ′(x₀) d + ψ″(x₀) d²/2 + …, ψ′(x₀) = 0.9727…; the double nearest x₀ is 9.55e-17 below it
    const hi = 1.4616321449683622;
    const expected = -9.241265521729427e-17; // mpmath: digamma(mpf(1.4616321449683622))
    expect(rel(digamma(hi), expected)).toBeLessThan(1e-12);
    for (const d of [1e-12, 1e-8, 1e-4, 0.1, -0.3]) {
      const x = hi + d, slope = trigamma(x);
      // first-order consistency across the Taylor window boundary: ψ(x) ≈ ψ(x − h) + h ψ′
      const h = 1e-7;
      expect(Math.abs(digamma(x) - digamma(x - h) - h * slope)).toBeLessThan(1e-13);
    }
    for (const x of [0, -1, -2, -17]) { expect(digamma(x)).toBeNaN(); expect(trigamma(x)).toBeNaN(); }
  });

  it('obeys the recurrence and reflection identities', () => {
    for (const x of [-7.3, -0.61, 0.013, 0.77, 2.9, 13.4]) {
      expect(Math.abs(digamma(x + 1) - digamma(x) - 1 / x)).toBeLessThan(1e-13 * Math.max(1, Math.abs(1 / x)));
      expect(Math.abs(trigamma(x + 1) - trigamma(x) + 1 / (x * x))).toBeLessThan(1e-13 * Math.max(1, 1 / (x * x)));
      expect(Math.abs(digamma(1 - x) - digamma(x) - Math.PI / Math.tan(Math.PI * x))).toBeLessThan(1e-12 * Math.max(1, Math.abs(digamma(x))));
    }
  });

  it('gives ψ⁽ⁿ⁾(½ + iy) to 1e-13 (mpmath), Im ψ(½ + iy) = (π/2) tanh(πy), and the note\'s table', () => {
    for (const [y, n, re, im] of HALF_LINE) {
      const [a, b] = polygammaComplex(n, 0.5, y);
      expect(Math.hypot(a - re, b - im) / Math.hypot(re, im), `ψ^(${n})(½ + ${y}i)`).toBeLessThan(1e-13);
    }
    for (const y of [-30, -2.2, -0.4, 0.01, 0.9, 7, 1e4]) expect(Math.abs(polygammaComplex(0, 0.5, y)[1] - (Math.PI / 2) * Math.tanh(Math.PI * y))).toBeLessThan(1e-14);
    for (const [y, re0, im1, re2] of NOTE_TABLE) {
      expect(Math.abs(reDigammaHalf(y) - re0)).toBeLessThan(1e-14 * Math.max(1, Math.abs(re0)));
      expect(Math.abs(polygammaComplex(1, 0.5, y)[1] - im1)).toBeLessThan(1e-14 * Math.max(1, Math.abs(im1)));
      expect(Math.abs(polygammaComplex(2, 0.5, y)[0] - re2)).toBeLessThan(1e-13 * Math.max(1, Math.abs(re2)));
    }
    // the note's |y| ≥ 5 shortcut: ln|y| − 1/(24y²) − 7/(960y⁴) − 31/(8064y⁶) − 127/(30720y⁸) (error 8.8e-10 at y = 5)
    for (const y of [5, 20, 300]) {
      const approx = Math.log(y) - 1 / (24 * y * y) - 7 / (960 * y ** 4) - 31 / (8064 * y ** 6) - 127 / (30720 * y ** 8);
      expect(Math.abs(reDigammaHalf(y) - approx)).toBeLessThan(1e-9);
    }
  });

  it('real polygamma of higher order agrees with the complex routine and differentiates ψ′', () => {
    for (const x of [0.3, 2.2, 11.5]) {
      const h = 1e-3, f = trigamma;
      const d = (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h);
      expect(rel(polygamma(2, x), d)).toBeLessThan(1e-8); // stencil error h⁴ψ⁽⁶⁾/30 ≈ 5e-9 relative at x = 0.3
      expect(polygamma(3, x)).toBeCloseTo(polygammaComplex(3, x, 0)[0], 12);
    }
    // the asymptotic table is the Bernoulli series: a_k(n = 0) = −B_2k/(2k)
    BERNOULLI_2K.forEach((B, k) => expect(ASYMPTOTIC_COEFFS[k]).toBeCloseTo(-B / (2 * (k + 1)), 15));
  });
});

describe('digamma, float32 WGSL twin', () => {
  it('real ψ and ψ′ over the real axis: relative ≤ 1e-6 (ψ: absolute-relative to |ψ(1 − x)| + |ψ(x)| for x < 0)', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const xs: number[] = [];
    for (let i = 0; i < 1500; i++) xs.push(Math.fround(Math.pow(10, -6 + 36 * i / 1499)));
    for (let i = 0; i < 1500; i++) xs.push(Math.fround(-Math.pow(10, -4 + 10 * i / 1499)));
    for (let i = 0; i < 600; i++) xs.push(Math.fround(1.4616321449683622 + (i - 300) * 0.0007));
    // the float32 number next to x₀ and its neighbours: ψ is ~1e-8 there
    const h = Math.fround(1.4616321449683622);
    for (let k = -3; k <= 3; k++) xs.push(h + k * 2 ** -23);
    const X = Float64Array.from(xs);
    for (const fn of ['digamma', 'trigamma'] as const) {
      const g = await gpu.run(specialFunctionsKernel, { fn }, X);
      const c = await specialFunctionsKernel.cpu({ fn }, X);
      let worst = 0;
      for (let i = 0; i < X.length; i++) {
        if (!Number.isFinite(c[i])) continue;
        const scale = fn === 'digamma' && X[i] < 0 ? Math.abs(digamma(1 - X[i])) + Math.abs(c[i]) : Math.abs(c[i]);
        worst = Math.max(worst, Math.abs(g[i] - c[i]) / scale);
      }
      expect(worst, fn).toBeLessThan(1e-6);
      // positive axis: plainly relative, including the zero
      let worstPos = 0;
      for (let i = 0; i < X.length; i++) if (X[i] > 0) worstPos = Math.max(worstPos, rel(g[i], c[i]));
      expect(worstPos, `${fn}, x > 0`).toBeLessThan(1e-6);
    }
    const poles = await gpu.run(specialFunctionsKernel, { fn: 'digamma' }, Float64Array.of(0, -1, -5));
    for (const v of poles) expect(Number.isFinite(v)).toBe(false);
  });

  it('complex ψ⁽ⁿ⁾(½ + iy), n ≤ 4, |y| ∈ [1e-4, 1e6]: |Δψ⁽ⁿ⁾| ≤ 2e-6 |ψ⁽ⁿ⁾|', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const a: number[] = [];
    for (let i = 0; i < 800; i++) { const y = (i % 2 ? 1 : -1) * Math.pow(10, -4 + 10 * i / 799); a.push(0.5, Math.fround(y)); }
    const A = Float64Array.from(a);
    for (let n = 0; n <= 4; n++) {
      const g = await gpu.run(specialFunctionsKernel, { fn: 'polygamma', n }, A);
      const c = await specialFunctionsKernel.cpu({ fn: 'polygamma', n }, A);
      let worst = 0;
      for (let i = 0; i < A.length / 2; i++) worst = Math.max(worst, Math.hypot(g[2 * i] - c[2 * i], g[2 * i + 1] - c[2 * i + 1]) / Math.hypot(c[2 * i], c[2 * i + 1]));
      expect(worst, `n = ${n}`).toBeLessThan(2e-6);
    }
  });
});
