// The drain LLG with tabulated dot-valve torques (seed 004): the WebGPU kernel (float32) against its float64 CPU twin
// — the same Philox noise, so the same trajectories — at points with large torques (|a_FL| up to 1.5Γ near θ = π), from
// tilted starts, and the whole switching pipeline (torque tables on each backend + LLG) over a short window. Also the
// noiseless end-to-end sign of the mapping (note §9 item 16).
//
// Tolerance: 2e-4 on unit vectors and on angles (rad) after 3·10³ steps of 10⁻²/Γ; the current readout 2e-4 of its
// point's scale. Float32 roundoff (6e-8 per operation) grows over the ~15 rad of precession these trajectories make to
// a few 1e-6 (measured below); a sign error, a wrong table, a wrong grid or a unit slip gives O(1) differences.
import { describe, expect, it } from 'vitest';
import { llgKernel } from '../src/kernels/llg/index.ts';
import { runLlgCpu } from '../src/kernels/llg/cpu.ts';
import { LlgProblem, type LlgRunOptions } from '../src/llg/index.ts';
import { dotValve } from '../src/models/dotValve/params.ts';
import { drainLlgSpin, PAPER_MAGNET } from '../src/models/dotValve/llg.ts';
import { drainModel, drainPointCpu } from '../src/models/dotValve/switching.ts';
import { runSwitching, SWITCHING_DEFAULTS, type SwitchingJob } from '../src/runs/dotValveSwitching.ts';
import { openBackend } from '../src/backends/index.ts';
import { webgpuBackend } from './gpu.ts';

const TOL = 2e-4;
const ps = drainLlgSpin(PAPER_MAGNET, 1).timeUnitPs;
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let w = 0; for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i])); return w; };

describe('drain LLG with tabulated torques: WebGPU vs float64 twin', () => {
  it('same noise, same trajectories: final m, time-averaged angle and current within 2e-4', async ctx => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const pts = [[200, 100], [-300, 175], [250, -150]].map(([eps, V]) => drainPointCpu(dotValve({ eps, V }), 257, 'zeta'));
    const starts = [0, 0.3, 0.9, 0.97].map(t => t * Math.PI), M = starts.length;
    const init = new Float64Array(3 * M * pts.length);
    for (let q = 0; q < pts.length; q++) starts.forEach((t, j) => { init.set([Math.sin(t), 0, Math.cos(t)], 3 * (q * M + j)); });
    const problem = LlgProblem.fromModel(drainModel(), pts, { trajectoriesPerPoint: M, initialStates: init });
    const opts: LlgRunOptions = { dt: 0.01 * ps, steps: 3000, averageFrom: 5 * ps, seed: 11, keepTrajectories: true, observables: { angle: true, readout: true } };
    const c = runLlgCpu(problem, opts), g = await b.run(llgKernel, problem, opts);
    const kc = c.trajectoryData!, kg = g.trajectoryData!;
    let moved = 0;
    for (let k = 0; k < init.length; k++) moved = Math.max(moved, Math.abs(kc.finalM[k] - init[k]));
    const dm = maxAbsDiff(kc.finalM, kg.finalM), da = maxAbsDiff(kc.meanAngle!, kg.meanAngle!);
    let dr = 0;
    for (let t = 0; t < problem.trajectories; t++) {
      const cur = pts[Math.floor(t / M)].current, scale = Math.max(...Array.from(cur, Math.abs));
      dr = Math.max(dr, Math.abs(kc.meanReadout![t] - kg.meanReadout![t]) / scale);
    }
    console.log(`dot-valve LLG twin on ${b.adapter}: max |Δm| ${dm.toExponential(2)}, |Δθ̄| ${da.toExponential(2)} rad, |ΔI̅| ${dr.toExponential(2)} of scale; largest |Δm| from the start ${moved.toFixed(2)}`);
    expect(moved).toBeGreaterThan(0.3);   // the torques precessed the drain (about p): the comparison is not vacuous
    expect(dm).toBeLessThan(TOL);
    expect(da).toBeLessThan(TOL);
    expect(dr).toBeLessThan(TOL);
  });

  it('the switching pipeline (tables on each backend, then LLG) agrees point by point over a short window', async ctx => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const cpu = await openBackend('cpu');
    const job: SwitchingJob = {
      ...SWITCHING_DEFAULTS, base: dotValve({}), epsAxis: Float64Array.of(-300, 0, 250), VAxis: Float64Array.of(-150, 100, 175),
      magnet: PAPER_MAGNET, trajectories: 2, time: 10, averageFrom: 2, tableNodes: 129,
    };
    const rg = await runSwitching(b, job), rc = await runSwitching(cpu, job);
    cpu.close();
    const dth = maxAbsDiff(rg.thetaMean, rc.thetaMean);
    let dcur = 0;
    for (let i = 0; i < rc.nPoints; i++) dcur = Math.max(dcur, Math.abs(rg.currentMean[i] - rc.currentMean[i]) / Math.max(1e-12, Math.abs(rc.fixed.current[2 * i]), Math.abs(rc.fixed.current[2 * i + 1])));
    console.log(`switching pipeline webgpu vs cpu: max |Δθ̄| ${dth.toExponential(2)} rad, |ΔI̅| ${dcur.toExponential(2)} of the point's scale`);
    // thermal kicks from θ = 0 only: θ̄ ~ 1e-2; float32 tables (5e-4 of the point scale) and float32 steps
    expect(Math.max(...rc.thetaMean)).toBeGreaterThan(1e-3);
    expect(dth).toBeLessThan(TOL);
    expect(dcur).toBeLessThan(2e-3);
    expect(Array.from(rg.switched)).toEqual(Array.from(rc.switched));
  });
});

describe('end-to-end sign of the torque mapping (noiseless, float64 twin; note §9 item 16)', () => {
  it('(0.2U, 0.1U) drives the drain antiparallel from θ = 0.1π; (0, 0.1U) pulls it back from 0.9π', () => {
    const ap = drainPointCpu(dotValve({ eps: 200, V: 100 }), 257, 'zeta'), p = drainPointCpu(dotValve({ eps: 0, V: 100 }), 257, 'zeta');
    const t1 = 0.1 * Math.PI, t2 = 0.9 * Math.PI;
    const problem = LlgProblem.fromModel(drainModel({ ...PAPER_MAGNET, sigma2: 0 }), [ap, p], { initialStates: [Math.sin(t1), 0, Math.cos(t1), Math.sin(t2), 0, Math.cos(t2)] });
    const r = runLlgCpu(problem, { dt: 0.01 * ps, steps: 300000, averageFrom: 2900 * ps, seed: 1, keepTrajectories: true, observables: { angle: true } });
    const theta = r.trajectoryData!.meanAngle!;
    console.log(`noiseless: θ(3e3/Γ) = ${(theta[0] / Math.PI).toFixed(3)}π from 0.1π at (0.2U, 0.1U), ${(theta[1] / Math.PI).toFixed(3)}π from 0.9π at (0, 0.1U)`);
    expect(theta[0]).toBeGreaterThan(0.97 * Math.PI);
    expect(theta[1]).toBeLessThan(0.5 * Math.PI);
  });
});
