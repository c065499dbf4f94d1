// Non-reciprocal pair couplings in the LLG core: a pair i < j carries a forward tensor 𝕁_ij (field on
// i = 𝕁_ij m_j) and a reverse tensor 𝕁_ji (field on j = 𝕁_ji m_i), 𝕁_ji = 𝕁_ijᵀ by default (one pair
// energy −m_i·𝕁_ij·m_j). Out of equilibrium (a biased junction, seed 000) 𝕁_ji ≠ 𝕁_ijᵀ.
//
// Checks:
//  - the default is the reciprocal transpose, and giving 𝕁_ijᵀ explicitly is bit-identical (CPU);
//  - exact meaning of the two slots: a pinned source spin exerts exactly 𝕁_ji m_i (or 𝕁_ij m_j) on the
//    free one, which precesses about it in closed form; relabelling the spins swaps the two tensors;
//  - a same-sign antisymmetric pair 𝕁_12 = 𝕁_21 = A (A v = a ẑ × v) at α = 0, T = 0 relaxes both spins
//    along m_z(t) = tanh(artanh m_z(0) − a t/ħ), while the reciprocal pair (𝕁_21 = Aᵀ) conserves
//    m_1z + m_2z and the energy;
//  - the WebGPU kernel (float32) against the float64 CPU twin, step by step, thermal, with
//    non-reciprocal pairs, scalar and tensor damping, a pinned spin, K = 2 and 3 (several pairs).
//
// Tolerances: twin comparisons use the 1e-4 absolute tolerance on unit vectors of llg.twin.test.ts
// (same reasoning: float32 rounding and ≲1e-6 Box–Muller differences grow to a few 1e-6 over a few
// hundred steps; a wrong slot or sign gives O(1)). Closed forms are compared with the Heun
// discretisation error, which is O(dt²) and measured (printed) below.
import { describe, it, expect } from 'vitest';
import { llgKernel } from '../src/kernels/llg/index.ts';
import { runLlgCpu } from '../src/kernels/llg/cpu.ts';
import { LlgProblem, couplingTensor, type LlgPoint, type LlgResult, type LlgRunOptions, type SpinSpec } from '../src/llg/index.ts';
import { PAIR, PAIR_STRIDE, pairIndex } from '../src/llg/layout.ts';
import { clusterModel } from '../src/models/macrospin.ts';
import { HBAR } from '../src/numerics/units.ts';
import type { Vec3 } from '../src/numerics/vec3.ts';
import { webgpuBackend } from './gpu.ts';
import { kept, maxAbsDiff, TOL_M } from './compare.ts';

type Which = 'cpu' | 'webgpu';
const BACKENDS: Which[] = ['cpu', 'webgpu'];

async function run(which: Which, problem: LlgProblem, opts: LlgRunOptions): Promise<LlgResult | null> {
  if (which === 'cpu') return runLlgCpu(problem, opts);
  const b = await webgpuBackend();
  if (!b) return null;
  const r = await b.run(llgKernel, problem, opts);
  expect(r.backend).toBe('webgpu');
  return r;
}

/** Parameter points with one trajectory each: trajectory s = old system s (same noise counters). */
const perSystem = (points: LlgPoint[]) => LlgProblem.fromPoints(points);

/** The pair (i, j) of point q as packed (the old ens.coupling(s, i, j)): forward 𝕁_ij and reverse 𝕁_ji, row-major copies. */
function storedPair(problem: LlgProblem, q: number, i: number, j: number): { forward: Float64Array; reverse: Float64Array } {
  const o = q * problem.stride + problem.layout.pair(pairIndex(i, j, problem.spins));
  return { forward: problem.rows.slice(o + PAIR.forward, o + PAIR.forward + 9), reverse: problem.rows.slice(o + PAIR.reverse, o + PAIR.reverse + 9) };
}

/** A two-spin point at T = 0 with spins a, b and the pair (0, 1) given by its forward and (optional) reverse tensor. */
const dimer = (a: SpinSpec, b: SpinSpec, tensor: ArrayLike<number>, reverse?: ArrayLike<number>): LlgPoint =>
  ({ temperature: 0, spins: [a, b], couplings: [{ i: 0, j: 1, tensor, ...(reverse ? { reverse } : {}) }] });


function transpose(t: ArrayLike<number>): number[] {
  return [t[0], t[3], t[6], t[1], t[4], t[7], t[2], t[5], t[8]];
}

/** A v = a ẑ × v, row-major. */
function zCross(a: number): number[] {
  return [0, -a, 0, a, 0, 0, 0, 0, 0];
}

/** A generic non-reciprocal reverse tensor: 𝕁_ijᵀ plus a non-symmetric, non-antisymmetric part. */
function skewed(t: ArrayLike<number>, s: number): number[] {
  const extra = [0.1, 0.25, -0.05, -0.3, 0.05, 0.2, 0.15, -0.1, -0.2];
  return transpose(t).map((v, k) => v + s * extra[k]);
}

/** Rotation of v about the unit axis k by angle θ (Rodrigues). */
function rotate(v: Vec3, k: Vec3, th: number): Vec3 {
  const c = Math.cos(th), s = Math.sin(th), kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
  const x: Vec3 = [k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0]];
  return [0, 1, 2].map(a => v[a] * c + x[a] * s + k[a] * kv * (1 - c)) as Vec3;
}

function unit(v: Vec3): Vec3 {
  const n = Math.hypot(...v);
  return [v[0] / n, v[1] / n, v[2] / n];
}

function matVec(t: ArrayLike<number>, v: Vec3): Vec3 {
  return [0, 1, 2].map(a => t[3 * a] * v[0] + t[3 * a + 1] * v[1] + t[3 * a + 2] * v[2]) as Vec3;
}

/** Thermal K-spin systems, every pair with a generic forward tensor and (nonRecip ≠ 0) a skewed reverse. */
function thermalClusterPoints(N: number, K: number, nonRecip: number, tensorDamping = false, pinFirst = false): LlgPoint[] {
  const d = 3 * K;
  return Array.from({ length: N }, (_, s) => {
    const pt: LlgPoint = { temperature: 3 + 3 * s, spins: [], couplings: [] };
    for (let i = 0; i < K; i++) {
      pt.spins.push({
        field: [0.05 * i, -0.1 + 0.02 * s, 0.2 - 0.1 * i], anisotropy: 0.5 - 0.3 * i, easyAxis: [i, 1, 1 + i], S: 1 + 0.5 * i,
        init: [0.2 + 0.3 * i, 0.1 * s, 1 - i], pinned: pinFirst && i === 0, ...(tensorDamping ? {} : { alpha: 0.08 + 0.07 * i }),
      });
    }
    for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) {
      const f = couplingTensor({ J: 0.6 - 0.1 * j, D: [0.1 * i, -0.2, 0.15 * j], symmetric: [0.05, 0.02, 0, 0.02, -0.04, 0.01, 0, 0.01, -0.01] });
      pt.couplings!.push({ i, j, tensor: f, ...(nonRecip ? { reverse: skewed(f, nonRecip * (1 + 0.3 * (i + j))) } : {}) });
    }
    if (tensorDamping) {
      const a = new Array(d * d).fill(0);
      for (let k = 0; k < d; k++) a[k * d + k] = 0.15 + 0.01 * k;
      for (let k = 0; k < d - 3; k++) a[k * d + k + 3] = a[(k + 3) * d + k] = 0.04;
      a[1] = a[d] = 0.02;
      pt.damping = a;
    }
    return pt;
  });
}
const thermalCluster = (N: number, K: number, nonRecip: number, tensorDamping = false, pinFirst = false) =>
  perSystem(thermalClusterPoints(N, K, nonRecip, tensorDamping, pinFirst));

/** The points of `problem` (built from `points`) with every pair (i, j) given as its stored forward tensor and reverse = rev(forward). */
function withReverse(problem: LlgProblem, points: LlgPoint[], rev: (f: Float64Array) => number[]): LlgPoint[] {
  return points.map((pt, s) => ({
    ...pt,
    couplings: pt.couplings!.map(({ i, j }) => { const f = storedPair(problem, s, i, j).forward; return { i, j, tensor: f, reverse: rev(f) }; }),
  }));
}

describe('LLG non-reciprocal pairs: storage and the reciprocal default', () => {
  it('the reverse slot defaults to 𝕁ᵀ, is set by `reverse`, and is reset by a later call without it', () => {
    expect(PAIR_STRIDE).toBe(18);
    expect(PAIR.reverse - PAIR.forward).toBe(9);
    // points are packed once (no setter to call again): each state of the old ensemble is its own problem,
    // two points of three spins, point 1 with the pair (0, 2) set from c (± reverse), point 0 with pair (1, 2) as given
    const three = [{}, {}, {}];
    const c = { J: 0.5, D: [0.1, -0.2, 0.3] as Vec3, symmetric: [0.1, 0.2, 0, 0.2, 0, 0.05, 0, 0.05, -0.1] };
    const t = couplingTensor(c);
    const build = (reverse?: number[], pair12?: { tensor: number[]; reverse: number[] }) => perSystem([
      { temperature: 0, spins: three, couplings: pair12 ? [{ i: 1, j: 2, ...pair12 }] : [] },
      { temperature: 0, spins: three, couplings: [{ i: 0, j: 2, ...c, ...(reverse ? { reverse } : {}) }] },
    ]);
    const ens = build();
    expect(Array.from(storedPair(ens, 1, 0, 2).forward)).toEqual(Array.from(t));
    expect(Array.from(storedPair(ens, 1, 0, 2).reverse)).toEqual(transpose(t));
    const r = skewed(t, 1);
    const skew = build(r);
    expect(Array.from(storedPair(skew, 1, 0, 2).reverse)).toEqual(r);
    // other pairs and systems untouched
    expect(Array.from(storedPair(skew, 0, 0, 2).reverse)).toEqual(new Array(9).fill(0));
    expect(Array.from(storedPair(skew, 1, 1, 2).forward)).toEqual(new Array(9).fill(0));
    expect(skew.features().nonReciprocal).toBe(true);
    // without `reverse` (the old later call without it) the pair is the reciprocal transpose
    expect(Array.from(storedPair(ens, 1, 0, 2).reverse)).toEqual(transpose(t));
    expect(ens.features().nonReciprocal).toBe(false);
    expect(build(undefined, { tensor: zCross(0.2), reverse: transpose(zCross(0.2)) }).features().nonReciprocal).toBe(false);
    expect(build(undefined, { tensor: zCross(0.2), reverse: zCross(0.2) }).features().nonReciprocal).toBe(true);
    // the DM convention: A v = a ẑ × v is the forward tensor of D = −a ẑ, energy −D·(m_i × m_j)
    expect(Array.from(couplingTensor({ D: [0, 0, -0.7] }), v => v + 0)).toEqual(zCross(0.7));
  });

  it('rejects a malformed reverse tensor, naming it', () => {
    const pair = (i: number, j: number, reverse: number[]) => LlgProblem.fromPoints([{ temperature: 0, spins: [{}, {}], couplings: [{ i, j, J: 1, reverse }] }]);
    // the messages name the spec key now: couplings[k].reverse (the old text said 'reverse coupling tensor')
    expect(() => pair(0, 1, [1, 2, 3])).toThrow(/couplings\[0\]\.reverse .* 9 entries/);
    expect(() => pair(0, 1, [1, 0, 0, 0, NaN, 0, 0, 0, 1])).toThrow(/couplings\[0\]\.reverse entry/);
    expect(() => pair(1, 0, zCross(1))).toThrow(/pair/);
    expect(() => LlgProblem.fromModel(clusterModel, [{ temperature: 0, spins: [{ alpha: 0 }, { alpha: 0 }], couplings: [{ i: 0, j: 1, J: 1, reverse: [1, 2] }] }])).toThrow(/couplings\[0\]\.reverse/);
  });

  it('a cluster spec carries `reverse` through to the ensemble', () => {
    // three copies: one point (one packed row) shared by three trajectories
    const ens = LlgProblem.fromModel(clusterModel, [{ temperature: 1, spins: [{ alpha: 0.1 }, { alpha: 0.1 }], couplings: [{ i: 0, j: 1, J: 0.5, reverse: zCross(0.3) }] }], { trajectoriesPerPoint: 3 });
    expect(ens.trajectories).toBe(3);
    for (let s = 0; s < 3; s++) {
      expect(Array.from(storedPair(ens, ens.pointOf(s), 0, 1).forward)).toEqual([0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5]);
      expect(Array.from(storedPair(ens, ens.pointOf(s), 0, 1).reverse)).toEqual(zCross(0.3));
    }
  });

  for (const tensorDamping of [false, true]) {
    it(`explicit reverse = 𝕁ᵀ is bit-identical to the default (cpu, thermal, K = 3, ${tensorDamping ? 'tensor' : 'scalar'} damping)`, () => {
      const N = 4;
      const defPts = thermalClusterPoints(N, 3, 0, tensorDamping, true);
      const def = perSystem(defPts);
      const expl = perSystem(withReverse(def, defPts, transpose));
      expect(Array.from(expl.rows)).toEqual(Array.from(def.rows));
      const opts = { dt: 0.01, steps: 300, averageFrom: 0.5, seed: 17, record: { systems: N, stride: 1 }, keepTrajectories: true };
      const a = runLlgCpu(def, opts), b = runLlgCpu(expl, opts);
      expect(Array.from(b.record!.m)).toEqual(Array.from(a.record!.m));
      expect(Array.from(kept(b).meanM)).toEqual(Array.from(kept(a).meanM));
      expect(Array.from(kept(b).finalM)).toEqual(Array.from(kept(a).finalM));
      // non-vacuous: the same run with a skewed reverse goes elsewhere
      const nr = runLlgCpu(thermalCluster(N, 3, 1, tensorDamping, true), opts);
      expect(maxAbsDiff(kept(nr).finalM, kept(a).finalM)).toBeGreaterThan(0.05);
    });
  }
});

for (const which of BACKENDS) {
  describe(`LLG non-reciprocal pairs: exact dynamics (${which})`, () => {
    // Spin i pinned at n, spin j free, no field, α = 0, T = 0: the free spin sees only the static
    // field h = 𝕁_ji n (h = 𝕁_ij n when j is pinned and i free). dm/dt = −(1/ħS) m × h = (|h|/ħS) ĥ × m
    // is a right-handed rotation about ĥ at ω = |h|/(ħS): m(t) = R(ĥ, ωt) m(0). The tensor acting on
    // the pinned spin must not matter at all (bit-identical when it is replaced).
    it('a pinned source exerts exactly 𝕁_ji m_i (resp. 𝕁_ij m_j): precession about it, 1/S included', async (ctx) => {
      const F = [0.9, -0.6, 0.3, 0.15, 1.2, -0.9, 0.6, 0.3, -0.75];
      const R = [-0.3, 1.05, 0.6, 0.45, -0.15, 0.9, -0.75, 0.3, 0.6];
      const n: Vec3 = unit([0.3, -0.5, 0.8]), m0: Vec3 = unit([0.9, 0.2, -0.1]), S = 2;
      const dt = 0.0025, steps = 4000, t = dt * steps;
      const make = (junk: number) => perSystem([
        // system 0: spin 0 pinned (source), spin 1 free → reverse tensor acts; forward acts on the pinned spin
        dimer({ pinned: true, init: n, alpha: 0 }, { init: m0, S, alpha: 0 }, F.map(v => v * junk), R),
        // system 1: spin 1 pinned, spin 0 free → forward tensor acts
        dimer({ init: m0, S, alpha: 0 }, { pinned: true, init: n, alpha: 0 }, F, R.map(v => v * junk)),
      ]);
      const opts = { dt, steps, averageFrom: 0, seed: 1, keepTrajectories: true };
      const run1 = await run(which, make(1), opts);
      if (!run1) return ctx.skip();
      const r = kept(run1);
      const r2 = kept((await run(which, make(-7), opts))!);
      expect(Array.from(r2.finalM)).toEqual(Array.from(r.finalM));
      let worst = 0;
      for (const [sys, free, T] of [[0, 1, R], [1, 0, F]] as const) {
        const h = matVec(T, n), w = Math.hypot(...h) / (HBAR * S);
        const exact = rotate(m0, unit(h), w * t);
        worst = Math.max(worst, maxAbsDiff(r.finalM.subarray(6 * sys + 3 * free, 6 * sys + 3 * free + 3), exact));
        expect(w * t).toBeGreaterThan(2 * Math.PI);   // more than a full turn
      }
      // Heun phase error ∝ (ω dt)² ω t: measured 5e-6 here (2e-5 at twice the dt); float32 adds ≲ 1e-5
      expect(worst).toBeLessThan(which === 'cpu' ? 1e-5 : 3e-5);
      console.log(`pinned source ${which}: max |m − m_exact| = ${worst.toExponential(2)} after ${t} ps`);
    });

    // Two spins (S = 1), no field, α = 0, T = 0, 𝕁_12 = 𝕁_21 = A with A v = a ẑ × v (an antisymmetric,
    // DM-like part of the SAME sign in both directions; the reciprocal pair would have 𝕁_21 = Aᵀ = −A).
    // The equations are symmetric under 1 ↔ 2, so m_1(0) = m_2(0) = m(0) gives m_1 = m_2 = m for all t
    // (both backends compute the two fields with identical arithmetic), and
    //   dm/dt = −(1/ħ) m × (a ẑ × m) = −(a/ħ) [ẑ (m·m) − m (m·ẑ)] = −(a/ħ) (ẑ − m_z m).
    // Hence dm_z/dt = −(a/ħ)(1 − m_z²):   m_z(t) = tanh(artanh m_z(0) − a t/ħ),
    // and dm_⊥/dt = (a/ħ) m_z m_⊥: the azimuth is fixed, |m_⊥| = √(1 − m_z²). With a common field B ẑ
    // (invariant under rotations about ẑ, like A) m_⊥ also turns at φ̇ = B/ħ. So a conservative-looking
    // coupling relaxes an undamped pair: both spins run to −ẑ (a > 0), which no energy can do at α = 0.
    // The reciprocal pair (𝕁_21 = Aᵀ, plus J) is invariant under rotations about ẑ and conserves both
    // E = −J m_1·m_2 − m_1·A·m_2 − B(m_1z + m_2z) and m_1z + m_2z (to the Heun error).
    it('same-sign antisymmetric pair at α = 0: m_z(t) = tanh(artanh m_z(0) − a t/ħ); the reciprocal pair conserves Σm_z and E', async (ctx) => {
      const a = 0.5, dt = 0.002, steps = 2500, stride = 50, t1 = dt * steps;
      const th0 = Math.acos(0.6), ph0 = 0.4;
      const m0: Vec3 = [Math.sin(th0) * Math.cos(ph0), Math.sin(th0) * Math.sin(ph0), 0.6];
      const Bs = [0, 0.3];
      const points: LlgPoint[] = Bs.map(B => {
        const spin = { init: m0, S: 1, alpha: 0, field: [0, 0, B], anisotropy: 0 };
        return dimer(spin, spin, zCross(a), zCross(a));
      });
      // reciprocal contrast: J + DM (D = −a ẑ gives the same A forward), generic start, field B
      const rs = Bs.length, J = 0.4, B = 0.3, m2: Vec3 = unit([-0.2, 0.7, -0.3]);
      points.push({ temperature: 0, spins: [{ init: m0, alpha: 0, field: [0, 0, B] }, { init: m2, alpha: 0, field: [0, 0, B] }], couplings: [{ i: 0, j: 1, J, D: [0, 0, -a] }] });
      const ens = perSystem(points);
      const run1 = await run(which, ens, { dt, steps, averageFrom: 0, seed: 3, record: { systems: ens.trajectories, stride }, keepTrajectories: true });
      if (!run1) return ctx.skip();
      const r = kept(run1), rec = run1.record!, ns = rec.times.length;
      let worst = 0, asym = 0;
      Bs.forEach((Bv, s) => {
        for (let k = 0; k < ns; k++) {
          const t = rec.times[k], o = (s * ns + k) * 6;
          const uz = Math.tanh(Math.atanh(m0[2]) - a * t / HBAR), rho = Math.sqrt(1 - uz * uz), ph = ph0 + Bv * t / HBAR;
          const exact = [rho * Math.cos(ph), rho * Math.sin(ph), uz];
          for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(rec.m[o + c] - exact[c]), Math.abs(rec.m[o + 3 + c] - exact[c]));
          asym = Math.max(asym, maxAbsDiff(rec.m.subarray(o, o + 3), rec.m.subarray(o + 3, o + 6)));
        }
      });
      expect(asym).toBe(0);   // m_1 = m_2 exactly on both backends
      // non-vacuous: m_z went from 0.6 to ≈ −1 (a t/ħ ≈ 1.9 · 2 = 3.8 relaxation times)
      expect(r.finalM[2]).toBeLessThan(-0.99);
      // Heun error O(dt²), measured ≈ 2e-7 (cpu); float32 rounding over 2500 steps adds ≲ 1e-5
      expect(worst).toBeLessThan(which === 'cpu' ? 2e-6 : 2e-5);
      // reciprocal pair: Σ m_z and E conserved, while the spins move a lot
      let dSz = 0, dE = 0, moved = 0;
      const At = couplingTensor({ J, D: [0, 0, -a] });
      const energy = (p: ArrayLike<number>, q: ArrayLike<number>) => -(p[0] * (At[0] * q[0] + At[1] * q[1] + At[2] * q[2]) +
        p[1] * (At[3] * q[0] + At[4] * q[1] + At[5] * q[2]) + p[2] * (At[6] * q[0] + At[7] * q[1] + At[8] * q[2])) - B * (p[2] + q[2]);
      const o0 = rs * ns * 6, Sz0 = rec.m[o0 + 2] + rec.m[o0 + 5], E0 = energy(rec.m.subarray(o0, o0 + 3), rec.m.subarray(o0 + 3, o0 + 6));
      for (let k = 0; k < ns; k++) {
        const o = (rs * ns + k) * 6;
        dSz = Math.max(dSz, Math.abs(rec.m[o + 2] + rec.m[o + 5] - Sz0));
        dE = Math.max(dE, Math.abs(energy(rec.m.subarray(o, o + 3), rec.m.subarray(o + 3, o + 6)) - E0));
        moved = Math.max(moved, Math.abs(rec.m[o + 2] - rec.m[o0 + 2]));
      }
      expect(moved).toBeGreaterThan(0.3);
      expect(dSz).toBeLessThan(which === 'cpu' ? 1e-5 : 3e-5);
      expect(dE).toBeLessThan(which === 'cpu' ? 1e-5 : 3e-5);
      console.log(`same-sign antisymmetric pair ${which}: max |m − m_exact| = ${worst.toExponential(2)} over ${t1} ps (m_z 0.6 → ${r.finalM[2].toFixed(4)}); ` +
        `reciprocal: |ΔΣm_z| ≤ ${dSz.toExponential(2)}, |ΔE| ≤ ${dE.toExponential(2)} meV (m_1z moved ${moved.toFixed(2)})`);
    });

    if (which === 'cpu') it('the Heun error of the closed form converges as dt²', () => {
      const a = 0.5, t1 = 4, m0: Vec3 = [0.8, 0, 0.6];
      const errs: number[] = [];
      for (const dt of [0.02, 0.01, 0.005]) {
        const ens = perSystem([dimer({ init: m0, alpha: 0 }, { init: m0, alpha: 0 }, zCross(a), zCross(a))]);
        const r = kept(runLlgCpu(ens, { dt, steps: Math.round(t1 / dt), averageFrom: 0, seed: 1, keepTrajectories: true }));
        errs.push(Math.abs(r.finalM[2] - Math.tanh(Math.atanh(0.6) - a * t1 / HBAR)));
      }
      for (const q of [errs[0] / errs[1], errs[1] / errs[2]]) { expect(q).toBeGreaterThan(3.5); expect(q).toBeLessThan(4.5); }
      console.log(`non-reciprocal closed form, Heun errors ${errs.map(e => e.toExponential(2)).join(', ')}`);
    });

    // Relabelling: spins (s_a, s_b) with (𝕁_ab, 𝕁_ba) are the same physics as (s_b, s_a) with the pair's
    // forward and reverse tensors swapped. At T = 0 (no per-index noise) the trajectories must agree
    // with the spins swapped: bit-identical on the CPU (same products in the same order), to float32
    // rounding on the GPU (there the two slots are applied as matrix·vector vs vector·matrix).
    it('relabelling the spins swaps forward and reverse (T = 0, damping, fields, anisotropy)', async (ctx) => {
      const sa = { field: [0.1, 0, 0.3] as Vec3, anisotropy: 0.5, easyAxis: [0, 0.3, 1] as Vec3, S: 1.5, alpha: 0.05, init: [0.4, 0.2, 1] as Vec3 };
      const sb = { field: [0, -0.2, 0.1] as Vec3, anisotropy: -0.2, easyAxis: [1, 0, 0.2] as Vec3, S: 0.8, alpha: 0.12, init: [-0.3, 1, 0.1] as Vec3 };
      const F = couplingTensor({ J: 0.6, D: [0.1, 0.2, -0.3] }), R = skewed(F, 1.5);
      const ab = perSystem([dimer(sa, sb, F, R)]);
      const ba = perSystem([dimer(sb, sa, R, F)]);
      const opts = { dt: 0.01, steps: 500, averageFrom: 0, seed: 1, record: { systems: 1, stride: 1 }, keepTrajectories: true };
      const x = await run(which, ab, opts);
      if (!x) return ctx.skip();
      const y = (await run(which, ba, opts))!;
      const swapped = new Float64Array(y.record!.m.length);
      for (let k = 0; k < swapped.length; k += 6) { swapped.set(y.record!.m.subarray(k + 3, k + 6), k); swapped.set(y.record!.m.subarray(k, k + 3), k + 3); }
      const d = maxAbsDiff(x.record!.m, swapped);
      if (which === 'cpu') expect(d).toBe(0);
      else expect(d).toBeLessThan(1e-5);
      // non-vacuous: swapping the tensors without relabelling changes the motion
      const z = runLlgCpu(perSystem([dimer(sa, sb, R, F)]), opts);
      expect(maxAbsDiff(kept(z).finalM, kept(runLlgCpu(ab, opts)).finalM)).toBeGreaterThan(0.05);
      console.log(`relabelling ${which}: max |Δm| = ${d.toExponential(2)}`);
    });
  });
}

describe('LLG non-reciprocal pairs: WebGPU kernel variants', () => {
  // A reciprocal ensemble runs the kernel compiled without reverse tensors (NONRECIP = false). Giving
  // reverse = 𝕁ᵀ + 1e-12 (non-reciprocal in float64, so the NONRECIP kernel is used, but equal to 𝕁ᵀ
  // after rounding to float32) must give bit-identical GPU results: both variants compute the field
  // on j as the same vector·matrix product of the same float32 numbers.
  for (const tensorDamping of [false, true]) {
    const K = tensorDamping ? 2 : 3;
    it(`the non-reciprocal kernel on reciprocal data is bit-identical to the reciprocal kernel (K = ${K}, ${tensorDamping ? 'tensor' : 'scalar'} damping)`, async (ctx) => {
      const b = await webgpuBackend(); if (!b) return ctx.skip();
      const N = 4;
      const recipPts = thermalClusterPoints(N, K, 0, tensorDamping, false);
      const recip = perSystem(recipPts);
      const nudged = perSystem(withReverse(recip, recipPts, f => {
        const r = transpose(f).map(v => v + 1e-12);
        expect(r.every((v, k) => Math.fround(v) === Math.fround(transpose(f)[k]))).toBe(true);
        return r;
      }));
      expect(recip.features().nonReciprocal).toBe(false);
      expect(nudged.features().nonReciprocal).toBe(true);
      const opts = { dt: 0.01, steps: 150, averageFrom: 0.3, seed: 9, record: { systems: N, stride: 1 }, keepTrajectories: true };
      const g0 = await b.run(llgKernel, recip, opts), g1 = await b.run(llgKernel, nudged, opts);
      expect(Array.from(g1.record!.m)).toEqual(Array.from(g0.record!.m));
      expect(Array.from(kept(g1).meanM)).toEqual(Array.from(kept(g0).meanM));
      expect(maxAbsDiff(kept(runLlgCpu(recip, opts)).finalM, kept(g0).finalM)).toBeLessThan(TOL_M);
    });
  }
});

describe('LLG non-reciprocal pairs: WebGPU kernel vs float64 CPU twin, step by step', () => {
  const cases = [
    { name: 'thermal dimer, scalar damping', K: 2, tensor: false, pin: false, N: 8, steps: 400 },
    { name: 'thermal trimer (3 pairs), scalar damping, pinned spin', K: 3, tensor: false, pin: true, N: 6, steps: 300 },
    { name: 'thermal trimer (3 pairs), nonlocal tensor damping, FDT noise', K: 3, tensor: true, pin: false, N: 4, steps: 200 },
  ];
  for (const c of cases) {
    it(c.name, async (ctx) => {
      const b = await webgpuBackend(); if (!b) return ctx.skip();
      const ens = thermalCluster(c.N, c.K, 1, c.tensor, c.pin);
      const opts = { dt: 0.01, steps: c.steps, averageFrom: 0.3, seed: 4242, record: { systems: c.N, stride: 1 }, keepTrajectories: true };
      const cpu = runLlgCpu(ens, opts);
      const gpu = await b.run(llgKernel, ens, opts);
      expect(gpu.backend).toBe('webgpu');
      const traj = maxAbsDiff(cpu.record!.m, gpu.record!.m), fin = maxAbsDiff(kept(cpu).finalM, kept(gpu).finalM), mean = maxAbsDiff(kept(cpu).meanM, kept(gpu).meanM);
      expect(traj).toBeLessThan(TOL_M);
      expect(fin).toBeLessThan(TOL_M);
      expect(mean).toBeLessThan(TOL_M);
      expect(Array.from(kept(gpu).switched)).toEqual(Array.from(kept(cpu).switched));
      // non-vacuous: the reverse tensors matter (reciprocal run of the same ensemble differs by O(1))
      const recip = runLlgCpu(thermalCluster(c.N, c.K, 0, c.tensor, c.pin), opts);
      const effect = maxAbsDiff(kept(recip).finalM, kept(cpu).finalM);
      expect(effect).toBeGreaterThan(0.1);
      console.log(`non-reciprocal twin, ${c.name}: traj ${traj.toExponential(2)}, final ${fin.toExponential(2)}, mean ${mean.toExponential(2)} ` +
        `(reciprocal vs non-reciprocal: ${effect.toFixed(2)})`);
    });
  }
});
