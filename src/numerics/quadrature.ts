// Adaptive Gauss–Kronrod (7-point Gauss, 15-point Kronrod) on finite intervals, float64.
// The one quadrature of nanospin: model code integrates through here.

const XGK = [0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0];
const WGK = [0.022935322010529224963732008058970, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714];
const WG = [0.129484966168869693270611432679082, 0.279705391489276667901467771423780, 0.381830050505118944950369775488975,
  0.417959183673469387755102040816327];

/**
 * The 15-point Kronrod rule as a fixed rule on [a, b]: calls visit(x, w) for its nodes. Composite fixed
 * rules (the device kernels and their CPU twins) use these nodes; shaders carry the same constants.
 */
export function gk15Nodes(a: number, b: number, visit: (x: number, w: number) => void): void {
  const c = 0.5 * (a + b), h = 0.5 * (b - a);
  visit(c, WGK[7] * h);
  for (let j = 0; j < 7; j++) { visit(c - h * XGK[j], WGK[j] * h); visit(c + h * XGK[j], WGK[j] * h); }
}
export const GK15_NODES = XGK, GK15_WEIGHTS = WGK;

function gk15(f: (x: number) => number, a: number, b: number): { value: number; error: number } {
  const c = 0.5 * (a + b), h = 0.5 * (b - a);
  const fc = f(c);
  let k = fc * WGK[7], g = fc * WG[3];
  for (let j = 0; j < 7; j++) {
    const x = h * XGK[j];
    const f1 = f(c - x), f2 = f(c + x);
    k += WGK[j] * (f1 + f2);
    if (j % 2 === 1) g += WG[(j - 1) / 2] * (f1 + f2);
  }
  return { value: k * h, error: Math.abs((k - g) * h) };
}

export interface QuadOptions { absTol?: number; relTol?: number; maxIntervals?: number }
export interface QuadValue { value: number; error: number }

/** ∫_a^b f(x) dx by globally adaptive bisection; throws if the tolerance is not met. */
export function integrate(f: (x: number) => number, a: number, b: number, opts: QuadOptions = {}): { value: number; error: number } {
  const absTol = opts.absTol ?? 1e-13, relTol = opts.relTol ?? 1e-11, maxIntervals = opts.maxIntervals ?? 2000;
  const parts = [{ a, b, ...gk15(f, a, b) }];
  for (;;) {
    let value = 0, error = 0, worst = 0;
    for (let i = 0; i < parts.length; i++) {
      value += parts[i].value; error += parts[i].error;
      if (parts[i].error > parts[worst].error) worst = i;
    }
    if (!Number.isFinite(value)) throw new RangeError('integrate: integrand is not finite on the interval');
    if (error <= Math.max(absTol, relTol * Math.abs(value))) return { value, error };
    if (parts.length >= maxIntervals) throw new RangeError(`integrate: tolerance not reached with ${maxIntervals} intervals (error ${error})`);
    const p = parts[worst], m = 0.5 * (p.a + p.b);
    parts.splice(worst, 1, { a: p.a, b: m, ...gk15(f, p.a, m) }, { a: m, b: p.b, ...gk15(f, m, p.b) });
  }
}

/**
 * ∫_lo^hi g(ε) dε with `integrate`, split at the breakpoints inside (lo, hi). lo = −∞ is allowed: the
 * piece below the lowest breakpoint a is mapped exactly by ε = a − L t/(1 − t), t ∈ [0, 1)
 * (the integrands here decay at least like 1/ε², so the mapped integrand stays bounded).
 */
export function energyIntegral(g: (e: number) => number, lo: number, hi: number, breaks: number[], L: number,
  opts: QuadOptions = {}): QuadValue {
  if (!(hi > lo)) return { value: 0, error: 0 };
  const inner = breaks.filter(b => b > lo && b < hi && Number.isFinite(b));
  const pts = [...new Set(inner)].sort((a, b) => a - b);
  let value = 0, error = 0;
  const add = (r: { value: number; error: number }) => { value += r.value; error += r.error; };
  let a = lo;
  if (lo === -Infinity) {
    a = pts.length ? pts[0] : Math.min(hi, 0) - L;
    if (!pts.length || pts[0] !== a) pts.unshift(a);
    const top = a;
    add(integrate(t => { const u = 1 - t; return g(top - (L * t) / u) * (L / (u * u)); }, 0, 1, opts));
  } else pts.unshift(a);
  pts.push(hi);
  for (let i = 0; i + 1 < pts.length; i++) if (pts[i + 1] > pts[i]) add(integrate(g, pts[i], pts[i + 1], opts));
  return { value, error };
}
