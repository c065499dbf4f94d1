// Angle-dependent spin torques of the LLG core (src/llg/torqueTable.ts, shaders/llg/heun.wgsl
// torque_amps): amplitudes a_FL(u), a_DL(u) tabulated on a uniform grid in u = m·p = cos θ, interpolated
// by Catmull–Rom cubics.
//  - the interpolation: exact for quadratics, third order for smooth functions (measured order);
//  - a table equal to a constant reproduces the constant-torque run (CPU to 1e-12, GPU to float32 rounding);
//  - a_DL(θ) = c·sin θ against a field B x̂ and an easy axis K ẑ, p = ẑ, relaxes to the fixed point
//    predicted analytically (below), which differs from the constant-torque one;
//  - WebGPU vs the float64 twin, step by step, with both tables, thermal noise and two spins.
//
// Fixed point (T = 0): dm/dt = 0 ⇔ m × (H + a m × p) = 0 with H = B x̂ + 2K m_z ẑ, p = ẑ. Off the equator
// (m_z ≠ 0) the three components give m_y = −a ρ²/B, m_x = 2K ρ²/B and ρ² = m_x² + m_y² = sin²θ =
// B²/(a² + 4K²). With a = c sin θ: c² s⁴ + 4K² s² − B² = 0 for s² = sin²θ, so
//   s² = (√(16K⁴ + 4c²B²) − 4K²)/(2c²),  m = (2K s²/B, −c s³/B, +√(1 − s²))  (the branch a start near +ẑ reaches).
import { describe, it, expect } from 'vitest';
import { runLlgCpu } from '../src/kernels/llg/cpu.ts';
import { llgKernel } from '../src/kernels/llg/index.ts';
import { LlgProblem, tableNodes, tableValue, tabulate, type LlgPoint, type LlgRunOptions, type TableGrid } from '../src/llg/index.ts';
import { webgpuBackend } from './gpu.ts';
import { maxAbsDiff, TOL_M } from './compare.ts';

/** Max |Catmull–Rom − f| over a fine set of u in [lo, hi] (and of θ, to resolve features next to u = ±1). */
function interpolationError(f: (u: number) => number, n: number, grid: TableGrid = 'u', lo = -1, hi = 1): number {
  const y = tabulate(f, n, grid);
  let e = 0;
  for (let k = 0; k <= 4000; k++) {
    for (const u of [lo + ((hi - lo) * k) / 4000, Math.cos((Math.PI * k) / 4000)]) if (u >= lo && u <= hi) e = Math.max(e, Math.abs(tableValue(y, 0, n, u, grid) - f(u)));
  }
  return e;
}

describe('torque tables: interpolation', () => {
  it('nodes are uniform in cos θ from −1 to 1, and the table reproduces its node values', () => {
    const u = tableNodes(5);
    expect(Array.from(u)).toEqual([-1, -0.5, 0, 0.5, 1]);
    const y = tabulate(x => Math.sin(3 * x) + 2, 9);
    tableNodes(9).forEach((x, k) => expect(tableValue(y, 0, 9, x)).toBeCloseTo(y[k], 14));
    expect(() => tableNodes(1)).toThrow(/nodes must be an integer in \[2, 4096\]/);
  });

  it('is exact for constants, linear and quadratic amplitudes (any node count ≥ 2, 3)', () => {
    for (const [f, n] of [[() => 0.37, 2], [(u: number) => 0.2 - 0.7 * u, 2], [(u: number) => 0.1 + 0.3 * u - 0.9 * u * u, 3], [(u: number) => 0.1 + 0.3 * u - 0.9 * u * u, 17]] as const) {
      expect(interpolationError(f, n)).toBeLessThan(1e-14);
    }
  });

  it('converges at third order for a smooth amplitude (error ×8 smaller per halving of the spacing)', () => {
    const f = (u: number) => Math.exp(u) * Math.sin(2 * u) / (1.5 - u * u * 0.5);
    const e = [17, 33, 65, 129].map(n => interpolationError(f, n));
    const orders = e.slice(1).map((x, k) => Math.log2(e[k] / x));
    console.log(`torque table interpolation error at 17/33/65/129 nodes: ${e.map(x => x.toExponential(2)).join(', ')}; orders ${orders.map(o => o.toFixed(2)).join(', ')}`);
    for (const o of orders) expect(o).toBeGreaterThan(2.7);
    expect(e[2]).toBeLessThan(1e-4);   // 64 intervals (the dot valve's default table): 5e-5 for this steep function
  });

  it('the ζ grid (nearly uniform in θ) resolves a feature ∝ (π − θ)² next to θ = π that the u grid cannot', () => {
    // width 0.15 rad in θ, i.e. 0.011 in u = cos θ: a third of one u interval at 65 nodes
    const f = (u: number) => Math.exp(-(((Math.PI - Math.acos(Math.min(1, Math.max(-1, u)))) / 0.15) ** 2));
    const eu = interpolationError(f, 65, 'u'), ez = [65, 129, 257].map(n => interpolationError(f, n, 'zeta'));
    console.log(`feature at θ → π: u grid ${eu.toExponential(2)}, ζ grid ${ez.map(x => x.toExponential(2)).join(', ')} at 65/129/257 nodes`);
    expect(eu).toBeGreaterThan(0.1);
    expect(ez[0]).toBeLessThan(eu / 10);
    expect(Math.log2(ez[1] / ez[2])).toBeGreaterThan(2.5);
    // node positions: uniform in ζ, ends exactly at u = ∓1, the middle node at θ = π/2
    const u = tableNodes(5, 'zeta');
    expect(u[0]).toBe(-1); expect(u[4]).toBe(1); expect(u[2]).toBeCloseTo(0, 15);
    const z = Array.from(u, x => Math.sqrt(1 + x) - Math.sqrt(1 - x));
    z.slice(1).forEach((v, k) => expect(v - z[k]).toBeCloseTo(Math.SQRT2 / 2, 12));
  });
});

const K = 0.5, B = 0.6, C = 0.8;

function fixedPoint(): [number, number, number] {
  const s2 = (Math.sqrt(16 * K ** 4 + 4 * C * C * B * B) - 4 * K * K) / (2 * C * C), s = Math.sqrt(s2);
  return [2 * K * s2 / B, -C * s2 * s / B, Math.sqrt(1 - s2)];
}

/** Field B x̂, easy axis K ẑ, damping-like torque towards p = ẑ: a_DL = c sin θ (table) or c (constant). */
function relaxing(table: boolean, nodes = 129): LlgPoint {
  return {
    temperature: 0,
    spins: [{
      field: [B, 0, 0], anisotropy: K, easyAxis: [0, 0, 1], alpha: 0.5, torqueAxis: [0, 0, 1], init: [0.1, 0, 1],
      ...(table ? { torqueTable: { dampingLike: tabulate(u => C * Math.sqrt(Math.max(0, 1 - u * u)), nodes) } } : { dampingLikeTorque: C }),
    }],
  };
}

describe('torque tables: dynamics', () => {
  it('a_DL(θ) = c·sin θ relaxes to the analytic fixed point (and not to the constant-torque one)', () => {
    const opts = { dt: 0.01, steps: 20000, averageFrom: 190, seed: 1 };
    const tab = runLlgCpu(LlgProblem.fromPoints([relaxing(true)]), opts).stats.finalM;
    const cst = runLlgCpu(LlgProblem.fromPoints([relaxing(false)]), opts).stats.finalM;
    const want = fixedPoint();
    const r2 = B * B / (C * C + 4 * K * K), constWant = [2 * K * r2 / B, -C * r2 / B, Math.sqrt(1 - r2)];
    console.log(`c·sin θ fixed point: measured (${Array.from(tab).map(x => x.toFixed(6))}), analytic (${want.map(x => x.toFixed(6))})`);
    expect(maxAbsDiff(tab, want)).toBeLessThan(1e-5);
    expect(maxAbsDiff(cst, constWant)).toBeLessThan(1e-9);
    expect(maxAbsDiff(want, constWant)).toBeGreaterThan(0.1);
  });

  it('a table equal to a constant reproduces the constant-torque run (CPU 1e-12; WebGPU float32 rounding)', async (ctx) => {
    const base = (torque: 'const' | 'table'): LlgPoint => ({
      temperature: 4,
      spins: [{
        field: [0.1, 0, -0.4], anisotropy: 0.8, alpha: 0.2, S: 1.5, init: [0.2, 0.3, 1], torqueAxis: [1, 0, 1],
        ...(torque === 'const' ? { fieldLikeTorque: 0.07, dampingLikeTorque: 0.11 } : { torqueTable: { fieldLike: new Array(24).fill(0.07), dampingLike: new Array(24).fill(0.11) } }),
      }],
    });
    const opts: LlgRunOptions = { dt: 0.01, steps: 400, averageFrom: 1, seed: 9, record: { systems: 8, stride: 1 } };
    const a = LlgProblem.fromPoints([base('const')], { trajectoriesPerPoint: 8 }), t = LlgProblem.fromPoints([base('table')], { trajectoriesPerPoint: 8 });
    const ca = runLlgCpu(a, opts), ct = runLlgCpu(t, opts);
    expect(maxAbsDiff(ca.record!.m, ct.record!.m)).toBeLessThan(1e-12);
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const ga = await b.run(llgKernel, a, opts), gt = await b.run(llgKernel, t, opts);
    const d = maxAbsDiff(ga.record!.m, gt.record!.m);
    console.log(`constant table vs constant torque on ${b.adapter}: max |Δm| ${d.toExponential(2)} over 400 steps`);
    expect(d).toBeLessThan(2e-6);
  });

  for (const grid of ['u', 'zeta'] as const) it(`WebGPU vs CPU twin step by step (${grid} grid): both tables, two spins, thermal noise, points × trajectories`, async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const pts: LlgPoint[] = [0, 1, 2].map(q => ({
      temperature: 3 + 2 * q,
      spins: [
        { field: [0.05, 0, 0.2], anisotropy: 0.5, alpha: 0.1 + 0.05 * q, init: [0.2, 0.1, 1], torqueAxis: [0, 1, 1],
          torqueTable: { grid, fieldLike: tabulate(u => 0.1 * u * u - 0.03 * q, 33, grid), dampingLike: tabulate(u => 0.05 * Math.exp(u) / (1.2 + u), 33, grid) } },
        { field: [0, -0.1, 0.1], anisotropy: -0.3, easyAxis: [1, 1, 0], S: 2.5, alpha: 0.25, init: [1, 0.3, -0.2], dampingLikeTorque: 0.02 * q },
      ],
      couplings: [{ i: 0, j: 1, J: 0.8, D: [0.1, -0.2, 0.3] }],
    }));
    const problem = LlgProblem.fromPoints(pts, { trajectoriesPerPoint: 4 });
    const opts: LlgRunOptions = { dt: 0.01, steps: 401, averageFrom: 0.5, seed: 7, keepTrajectories: true, record: { systems: 12, stride: 1 } };
    const c = runLlgCpu(problem, opts), g = await b.run(llgKernel, problem, opts);
    const traj = maxAbsDiff(c.record!.m, g.record!.m), fin = maxAbsDiff(c.trajectoryData!.finalM, g.trajectoryData!.finalM);
    let moved = 0;
    for (let k = 0; k < c.record!.m.length; k++) moved = Math.max(moved, Math.abs(c.record!.m[k] - c.record!.m[k % 6]));
    console.log(`torque tables (${grid}), twin: traj ${traj.toExponential(2)}, final ${fin.toExponential(2)}`);
    expect(moved).toBeGreaterThan(0.3);
    expect(traj).toBeLessThan(TOL_M);
    expect(fin).toBeLessThan(TOL_M);
    expect(maxAbsDiff(c.stats.meanM, g.stats.meanM)).toBeLessThan(TOL_M);
  });

  it('rejects tables of the wrong length and tables in a problem built without them', () => {
    const p = (n: number): LlgPoint => ({ temperature: 0, spins: [{ alpha: 0.1, torqueTable: { dampingLike: new Array(n).fill(0) } }] });
    expect(() => LlgProblem.fromPoints([p(8), p(9)])).toThrow(/torqueTable.dampingLike must have 8 nodes/);
    expect(() => LlgProblem.fromPoints([{ temperature: 0, spins: [{ alpha: 0.1 }] }, p(8)])).toThrow(/without torque tables/);
    expect(() => LlgProblem.fromPoints([p(1)])).toThrow(/nodes must be an integer in \[2, 4096\]/);
    expect(() => LlgProblem.fromPoints([{ temperature: 0, spins: [{ alpha: 0.1, torqueTable: { fieldLike: [0, NaN, 0] } }] }])).toThrow(/torqueTable.fieldLike\[1\]/);
    const zp = (grid: TableGrid): LlgPoint => ({ temperature: 0, spins: [{ alpha: 0.1, torqueTable: { grid, dampingLike: new Array(8).fill(0) } }] });
    expect(() => LlgProblem.fromPoints([zp('zeta'), zp('u')])).toThrow(/on the 'zeta' grid/);
  });
});

describe('time-averaged observables: the angle to the torque axis and a tabulated readout', () => {
  const K0 = 0.3, B0 = 0.5;
  /** A macrospin in B ẑ at rest along ẑ (T = 0) or thermal, torque axis p at θ0 from ẑ, readout g(u) = u. */
  const point = (theta0: number, T: number): LlgPoint => ({
    temperature: T,
    spins: [{ field: [0, 0, B0], anisotropy: K0, alpha: 0.3, init: [0, 0, 1], torqueAxis: [Math.sin(theta0), 0, Math.cos(theta0)], readoutTable: tabulate(u => u, 17) }],
  });
  const opts: LlgRunOptions = { dt: 0.01, steps: 300, averageFrom: 0.5, seed: 3, keepTrajectories: true, observables: { angle: true, readout: true } };

  it('a state at rest: the angle is θ0 (also at 0 and π) and the readout is cos θ0, CPU and WebGPU', async (ctx) => {
    const thetas = [0, 1e-3, 0.4, Math.PI / 2, 2.9, Math.PI - 1e-3, Math.PI];
    const problem = LlgProblem.fromPoints(thetas.map(t => point(t, 0)));
    const c = runLlgCpu(problem, opts);
    thetas.forEach((t, q) => {
      expect(c.stats.meanAngle![q]).toBeCloseTo(t, 12);
      expect(c.stats.meanReadout![q]).toBeCloseTo(Math.cos(t), 12);
    });
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const g = await b.run(llgKernel, problem, opts);
    const worst = Math.max(...thetas.map((t, q) => Math.abs(g.stats.meanAngle![q] - t)));
    console.log(`angle at rest on ${b.adapter}: worst |Δθ| ${worst.toExponential(2)} rad (θ0 = 0 … π)`);
    expect(worst).toBeLessThan(1e-5);   // float32 atan2 (llvmpipe: 7e-6 rad)
    thetas.forEach((t, q) => expect(Math.abs(g.stats.meanReadout![q] - Math.cos(t))).toBeLessThan(2e-6));
  });

  it('thermal: a linear readout g(u) = u averages to ⟨m⟩·p, and both observables match the CPU twin', async (ctx) => {
    const problem = LlgProblem.fromPoints([point(0.7, 20), point(2.2, 60)], { trajectoriesPerPoint: 8 });
    const c = runLlgCpu(problem, opts);
    for (const [q, t] of [[0, 0.7], [1, 2.2]] as const) {
      const p = [Math.sin(t), 0, Math.cos(t)], m = c.stats.meanM.subarray(3 * q, 3 * q + 3);
      expect(c.stats.meanReadout![q]).toBeCloseTo(m[0] * p[0] + m[1] * p[1] + m[2] * p[2], 12);
      expect(c.stats.meanAngleStderr![q]).toBeGreaterThan(1e-4);   // the noise moved m
    }
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const g = await b.run(llgKernel, problem, opts);
    expect(maxAbsDiff(c.trajectoryData!.meanAngle!, g.trajectoryData!.meanAngle!)).toBeLessThan(TOL_M);
    expect(maxAbsDiff(c.trajectoryData!.meanReadout!, g.trajectoryData!.meanReadout!)).toBeLessThan(TOL_M);
  });

  it('refuses a readout average without readout tables', () => {
    const problem = LlgProblem.fromPoints([{ temperature: 0, spins: [{ alpha: 0.1 }] }]);
    expect(() => runLlgCpu(problem, { ...opts, keepTrajectories: false })).toThrow(/observables.readout needs points with readout tables/);
  });
});
