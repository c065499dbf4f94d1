// FMR of the drain macrospin with transport torques (paper Eq. 5): the exact linear response of the linearised
// LLG, its Lorentzian limit, the paper's Eq. 5 to O(α²), the torque-induced shift and broadening, and a driven
// nonlinear integration of Eq. 1 (independent of the linearisation).
import { describe, expect, it } from 'vitest';
import { susceptibility, susceptibilityEq5, fmrModes, eq5Parameters, type FmrInput } from '../src/models/dotValve/fmr.ts';
import { dotValve } from '../src/models/dotValve/params.ts';
import { dotValveState } from '../src/models/dotValve/transport.ts';

const base: FmrInput = { KV: 0.01, alpha: 0.01, S: 1, tauFL: 0, tauDL: 0, state: 1 };

/** Full width at half maximum of |χ″(Ω)| on a fine scan around Ω0. */
function fwhm(f: FmrInput, lo: number, hi: number, n = 200001): { peak: number; width: number; max: number } {
  let max = 0, peak = 0;
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) { const w = lo + ((hi - lo) * i) / (n - 1); ys[i] = Math.abs(susceptibility(w, f)[1]); if (ys[i] > max) { max = ys[i]; peak = w; } }
  let a = 0, b = 0;
  for (let i = 0; i < n; i++) if (ys[i] >= max / 2) { a = i; break; }
  for (let i = n - 1; i >= 0; i--) if (ys[i] >= max / 2) { b = i; break; }
  return { peak, width: ((b - a) * (hi - lo)) / (n - 1), max };
}

/**
 * Driven Eq. 1, nonlinear, RK4: S ṅ = −n × (∂E/∂n + h x̂ cos Ωt) + I_FL(n × e_z) + I_DL n × (n × e_z) − αS n × ṅ,
 * solved for ṅ = (a − α n × a)/(1 + α²), a = (torques)/S (all ⊥ n). Returns χ″ = (2/(h t)) ∫ n_x sin Ωt dt over whole periods.
 */
function drivenChiPP(f: FmrInput, omega: number, h: number): number {
  const cr = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const rhs = (n: number[], t: number) => {
    const G = [h * Math.cos(omega * t), 0, -f.KV * n[2]];
    const nz = cr(n, [0, 0, 1]), nnz = cr(n, nz), ng = cr(n, G);
    const a = [0, 1, 2].map(i => (-ng[i] + f.tauFL * nz[i] + f.tauDL * nnz[i]) / f.S);
    const na = cr(n, a);
    return a.map((x, i) => (x - f.alpha * na[i]) / (1 + f.alpha * f.alpha));
  };
  const period = (2 * Math.PI) / omega, steps = 200, dt = period / steps;
  const relax = Math.ceil(12 / (f.alpha * f.KV) / period); // ≫ the damping time 1/(αKV)
  let n = [0, 0, f.state], t = 0, acc = 0;
  const total = relax + 20;
  for (let p = 0; p < total; p++) {
    for (let k = 0; k < steps; k++) {
      const k1 = rhs(n, t), n2 = n.map((x, i) => x + 0.5 * dt * k1[i]);
      const k2 = rhs(n2, t + dt / 2), n3 = n.map((x, i) => x + 0.5 * dt * k2[i]);
      const k3 = rhs(n3, t + dt / 2), n4 = n.map((x, i) => x + dt * k3[i]);
      const k4 = rhs(n4, t + dt);
      n = n.map((x, i) => x + (dt / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
      const len = Math.hypot(n[0], n[1], n[2]);
      n = n.map(x => x / len);
      t += dt;
      if (p >= relax) acc += n[0] * Math.sin(omega * t) * dt;
    }
  }
  return (2 * acc) / (h * 20 * period);
}

describe('FMR susceptibility (Eq. 5)', () => {
  it('without torques: a Lorentzian at the Kittel frequency KV/S with half-width αKV/S, χ(0) = −1/KV', () => {
    for (const S of [1, 3]) for (const alpha of [0.003, 0.02]) {
      const f = { ...base, S, alpha };
      const m = fmrModes(f);
      expect(m.stable).toBe(true);
      expect(m.frequency).toBeCloseTo(f.KV / (S * (1 + alpha * alpha)), 12);
      expect(m.halfWidth).toBeCloseTo((alpha * f.KV) / (S * (1 + alpha * alpha)), 12);
      const w0 = f.KV / S, r = fwhm(f, 0.8 * w0, 1.2 * w0);
      expect(Math.abs(r.peak - w0)).toBeLessThan(2e-3 * w0 * alpha * 10);
      expect(Math.abs(r.width - 2 * alpha * w0) / (2 * alpha * w0)).toBeLessThan(2e-2);
      // peak height 1/(2αKV) (the paper's sign: χ″ < 0 with the drive entering like ∂E/∂n)
      expect(susceptibility(w0, f)[1]).toBeLessThan(0);
      expect(Math.abs(Math.abs(susceptibility(w0, f)[1]) * 2 * alpha * f.KV - 1)).toBeLessThan(3 * alpha);
    }
    const c0 = susceptibility(0, base);
    expect(c0[0]).toBeCloseTo(-1 / base.KV, 10);
    expect(c0[1]).toBe(0);
  });

  it('the paper\'s Eq. 5 is the exact χ″ up to the dropped α²Ω²S² term (relative O(α²))', () => {
    let seed = 3;
    const r = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    for (let k = 0; k < 200; k++) {
      const f: FmrInput = { KV: 0.005 + 0.02 * r(), alpha: 1e-3, S: 0.5 + 2 * r(), tauFL: 0.004 * (r() - 0.5), tauDL: 2e-6 * (r() - 0.5), state: 1 };
      const w0 = (f.KV + f.tauFL) / f.S;
      for (const x of [0.5, 0.97, 1, 1.03, 1.8]) {
        const w = x * w0, exact = susceptibility(w, f)[1], eq5 = susceptibilityEq5(w, f);
        expect(Math.abs(eq5 - exact) / Math.abs(exact)).toBeLessThan(5e-5);
      }
    }
  });

  it('the field-like torque shifts the resonance to (KV + I_FL)/S, the damping-like torque sets α_eff = α − I_DL/(KV + I_FL)', () => {
    const f: FmrInput = { ...base, alpha: 0.01, tauFL: 0.003, tauDL: 2e-5 };
    const m = fmrModes(f), A = f.KV + f.tauFL;
    expect(m.frequency).toBeCloseTo((A + f.alpha * f.tauDL) / (f.S * (1 + f.alpha ** 2)), 12);
    const { omegaR, alphaEff } = eq5Parameters(f);
    expect(omegaR).toBeCloseTo(-A / f.S, 14);
    expect(alphaEff).toBeCloseTo(f.alpha - f.tauDL / A, 14);
    expect(m.halfWidth).toBeCloseTo((alphaEff * A) / (f.S * (1 + f.alpha ** 2)), 12);
    // anti-damping beyond α(KV + I_FL) destabilises the parallel state
    expect(fmrModes({ ...f, tauDL: 1.01 * f.alpha * A }).stable).toBe(false);
    expect(fmrModes({ ...f, tauDL: 0.99 * f.alpha * A }).stable).toBe(true);
  });

  it('agrees with a driven nonlinear integration of Eq. 1 (parallel and antiparallel states, with torques)', () => {
    for (const f of [
      { ...base, alpha: 0.05, tauFL: 0.002, tauDL: 1e-4, state: 1 as const },
      { ...base, alpha: 0.05, tauFL: -0.003, tauDL: -2e-4, state: -1 as const },
    ]) {
      const w0 = fmrModes(f).frequency;
      for (const x of [0.9, 1, 1.1]) {
        const lin = susceptibility(x * w0, f)[1], run = drivenChiPP(f, x * w0, 1e-4 * f.KV);
        // measured ≤ 4.7e-6 (drive amplitude 1e-4 KV: nonlinear corrections ~1e-8; RK4 with 200 steps per period)
        expect(Math.abs(run - lin) / Math.abs(lin), `state ${f.state}, Ω = ${x}Ω0`).toBeLessThan(2e-5);
      }
    }
  });

  it('with the transport torques at θ = 0 of (0.2U, 0.1U): the FMR line follows I_FL(0), I_DL(0)', () => {
    const s = dotValveState(dotValve({ eps: 200, V: 100 }), 0);
    const f: FmrInput = { KV: 0.01, alpha: 0.1, S: 1, tauFL: s.tauFL, tauDL: s.tauDL, state: 1 };
    const m = fmrModes(f), A = f.KV + f.tauFL;
    expect(m.frequency).toBeCloseTo((A + f.alpha * f.tauDL) / (1 + f.alpha ** 2), 12);
    expect(Math.sign(m.halfWidth)).toBe(Math.sign(f.alpha * A - f.tauDL));
  });

  it('rejects bad input', () => {
    expect(() => susceptibility(1, { ...base, S: 0 })).toThrow(/S/);
    expect(() => susceptibility(1, { ...base, alpha: -1 })).toThrow(/alpha/);
  });
});
