// The uniform energy grid of the Keldysh exchange integrals: ε_k = lo + k·h, k = 0..N−1, N = 2^n.
// The principal value is taken by the alternate-point rule on this grid (src/kernels/hilbert), which
// converges spectrally once h resolves the narrowest feature: the Fermi edges (k_B T) and the
// narrowest resonance half-width. Lorentzian tails of the integrands make the window matter too.
import { narrowestWidth } from '../../models/junction/greens.ts';
import { reservoirs, type JunctionParams } from '../../models/junction/params.ts';

export interface EnergyGrid { lo: number; h: number; N: number }

export interface GridOptions {
  /** Energy step (meV); default min(k_B T, narrowest resonance half-width)/stepDivisor. */
  step?: number;
  stepDivisor?: number;
  /** Half-width of the window beyond the outermost level / chemical potential (meV). */
  window?: number;
  /** Cap on N (points per row). */
  maxPoints?: number;
}

export const DEFAULT_WINDOW = 200;
export const DEFAULT_STEP_DIVISOR = 4;
export const MAX_GRID_POINTS = 2 ** 20;

export function energyPoints(g: EnergyGrid): Float64Array {
  return Float64Array.from({ length: g.N }, (_, k) => g.lo + k * g.h);
}

/** One grid that serves every point of a sweep: the finest step and the widest span any point needs. */
export function chooseGrid(points: JunctionParams[], opts: GridOptions = {}): EnergyGrid {
  const W = opts.window ?? DEFAULT_WINDOW, div = opts.stepDivisor ?? DEFAULT_STEP_DIVISOR;
  if (!(W > 0)) throw new RangeError(`window must be > 0 meV, got ${W}`);
  let h = Infinity, lo = Infinity, hi = -Infinity;
  for (const p of points) {
    const r = reservoirs(p), kT = Math.min(r.L.kT, r.R.kT);
    if (!(kT > 0)) throw new RangeError('the keldysh method needs TL > 0 K and TR = TL + dT > 0 K (a Fermi step makes the principal value log-singular); use --method closed or energy at T = 0');
    if (opts.step === undefined) {
      const w = narrowestWidth(p);
      if (!(w > 0)) throw new RangeError('the keldysh method needs every resonance to have a finite width; with |pL| = 1 or |pR| = 1 along non-parallel axes use --step to set the energy step');
      h = Math.min(h, Math.min(kT, w) / div);
    }
    const levels = [...p.eps[0], ...p.eps[1], r.L.mu, r.R.mu];
    lo = Math.min(lo, Math.min(...levels) - Math.abs(p.Tc) - W);
    hi = Math.max(hi, Math.max(...levels) + Math.abs(p.Tc) + W);
  }
  if (opts.step !== undefined) {
    if (!(opts.step > 0)) throw new RangeError(`step must be > 0 meV, got ${opts.step}`);
    h = opts.step;
  }
  const maxN = opts.maxPoints ?? MAX_GRID_POINTS;
  let N = 2 ** Math.ceil(Math.log2(Math.max(64, (hi - lo) / h)));
  if (N > maxN) throw new RangeError(`energy grid needs ${N} points (step ${h.toPrecision(3)} meV over ${(hi - lo).toFixed(1)} meV), more than the cap ${maxN}; raise the step or shrink the window`);
  // N was rounded up to a power of two: spend it on a finer step over the requested span (free accuracy)
  if (opts.step === undefined) h = (hi - lo) / N;
  return { lo, h, N };
}
