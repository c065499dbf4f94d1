// The dot-valve torque-table kernel: float32 WGSL (shaders/dotValve/torque_table.wgsl) against its float64 CPU twin
// (src/kernels/dotValve/cpu.ts = the model's own functions), on the LLG u grid and on θ lists, both orders.
// Stated tolerance (DV_TOLERANCES in src/runs/dotValve.ts): per point and quantity, |GPU − CPU| ≤ 2e-3 × max over
// the point's angles of |CPU| (+ 1e-6 of the table-wide max, for quantities that vanish at a point).
import { describe, expect, it } from 'vitest';
import { torqueTableKernel, thetaAngles, uGridAngles, ROW } from '../src/kernels/dotValve/index.ts';
import { POINTS_PER_DISPATCH } from '../src/kernels/dotValve/webgpu.ts';
import { dotValve, type DotValveOrder } from '../src/models/dotValve/params.ts';
import { dotValveState } from '../src/models/dotValve/transport.ts';
import { webgpuBackend } from './gpu.ts';

function grid(n: number, eps: [number, number], V: [number, number]): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.push(eps[0] + ((eps[1] - eps[0]) * i) / (n - 1), V[0] + ((V[1] - V[0]) * j) / (n - 1));
  return Float64Array.from(out);
}

/**
 * Per quantity (ROW slot): max over points of |GPU − CPU| / (2e-3 × point scale + f × table scale), the point scale
 * being the max over the point's angles of |CPU|; ≤ 1 means within tolerance. The floor covers quantities that vanish
 * at a point (V = 0: exact zeros in float64, float32 rounding of the balanced rates on the device: ≤ 3e-7 in the torques,
 * ≤ 3e-6 in S): f = 1e-6 for I_FL, I_DL, I_C and 1e-5 for ⟨n⟩, P_i, S.
 */
function deviations(g: Float64Array, c: Float64Array, nPoints: number, nAngles: number): number[] {
  const worst = new Array(ROW.stride).fill(0), global = new Array(ROW.stride).fill(0);
  for (let k = 0; k < c.length; k++) global[k % ROW.stride] = Math.max(global[k % ROW.stride], Math.abs(c[k]));
  for (let i = 0; i < nPoints; i++) for (let q = 0; q < ROW.stride; q++) {
    let scale = 0, dev = 0;
    for (let a = 0; a < nAngles; a++) { const r = (i * nAngles + a) * ROW.stride + q; scale = Math.max(scale, Math.abs(c[r])); dev = Math.max(dev, Math.abs(g[r] - c[r])); }
    const floor = q <= ROW.offsets.current ? 1e-6 : 1e-5;
    worst[q] = Math.max(worst[q], dev / (2e-3 * scale + floor * global[q]));
  }
  return worst;
}

describe('torque-table kernel: WGSL vs float64 twin', () => {
  for (const order of ['cotunnelling', 'sequential'] as DotValveOrder[]) {
    it(`${order}: 17 × 17 points over the plane × 65 u nodes (θ = 0 and π included) within 2e-3 of each point's scale`, async () => {
      const gpu = await webgpuBackend();
      if (!gpu) return;
      const job = { base: dotValve({ order }), points: grid(17, [-700, 700], [-1000, 1000]), angles: uGridAngles(65) };
      const g = await gpu.run(torqueTableKernel, job);
      const c = await torqueTableKernel.cpu(job);
      const w = deviations(g, c, 289, 65);
      const names = Object.keys(ROW.offsets);
      w.forEach((x, q) => expect(x, `${order} ${names[Math.min(q, names.length - 1)]} (slot ${q})`).toBeLessThan(1));
    });
  }

  it('the limit path: angles next to 0 and π (|sin θ| < 1e-3 on the device) and exactly 0, π agree with the twin', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const thetas = [0, 2e-4, 5e-3, 0.5 * Math.PI, Math.PI - 5e-3, Math.PI - 2e-4, Math.PI];
    const job = { base: dotValve({}), points: grid(7, [-450, 450], [-400, 400]), angles: thetaAngles(thetas) };
    const g = await gpu.run(torqueTableKernel, job);
    const c = await torqueTableKernel.cpu(job);
    const w = deviations(g, c, 49, thetas.length);
    for (const q of [ROW.offsets.tauFL, ROW.offsets.tauDL, ROW.offsets.current]) expect(w[q]).toBeLessThan(1);
  });

  it('p → 0 gives zero torques and zero spin on the device; V = 0 gives zero current', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const pts = grid(5, [-300, 300], [-300, 300]);
    const g = await gpu.run(torqueTableKernel, { base: dotValve({ p: 0 }), points: pts, angles: uGridAngles(9) });
    for (let r = 0; r < g.length / ROW.stride; r++) {
      const o = r * ROW.stride;
      expect(Math.abs(g[o + ROW.offsets.tauFL]) + Math.abs(g[o + ROW.offsets.tauDL])).toBe(0);
      expect(Math.abs(g[o + ROW.offsets.spin]) + Math.abs(g[o + ROW.offsets.spin + 1]) + Math.abs(g[o + ROW.offsets.spin + 2])).toBe(0);
    }
    const z = await gpu.run(torqueTableKernel, { base: dotValve({}), points: Float64Array.of(-200, 0, 0, 0, 480, 0), angles: uGridAngles(9) });
    // |J_D| at V = 0: float32 rounding of the balanced rates (measured ≤ 1e-8), against currents 1e-4–0.6 at V ≠ 0
    for (let r = 0; r < z.length / ROW.stride; r++) expect(Math.abs(z[r * ROW.stride + ROW.offsets.current])).toBeLessThan(1e-7);
  });

  it('more points than one dispatch: chunks of POINTS_PER_DISPATCH agree with the twin (first and last chunk)', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const n = POINTS_PER_DISPATCH + 7, pts = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) { pts[2 * i] = -450 + (900 * ((i * 37) % 101)) / 100; pts[2 * i + 1] = -400 + (800 * ((i * 53) % 97)) / 96; }
    const angles = thetaAngles([0.3 * Math.PI, 0.9 * Math.PI]);
    const g = await gpu.run(torqueTableKernel, { base: dotValve({}), points: pts, angles });
    for (const i of [0, 1, POINTS_PER_DISPATCH - 1, POINTS_PER_DISPATCH, n - 1]) {
      const p = dotValve({ eps: pts[2 * i], V: pts[2 * i + 1] });
      [0.3, 0.9].forEach((t, a) => {
        const s = dotValveState(p, t * Math.PI), o = (i * 2 + a) * ROW.stride;
        const scale = Math.max(Math.abs(s.tauFL), Math.abs(s.tauDL));
        expect(Math.abs(g[o + ROW.offsets.tauFL] - s.tauFL), `point ${i}`).toBeLessThan(2e-3 * scale + 1e-9);
        expect(Math.abs(g[o + ROW.offsets.tauDL] - s.tauDL), `point ${i}`).toBeLessThan(2e-3 * scale + 1e-9);
      });
    }
  });
});
