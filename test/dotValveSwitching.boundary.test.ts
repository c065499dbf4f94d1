// The switching boundary follows the Eq. 4 resonance (seed 004, Fig. 2): along the cut ε̃ = −0.3U the field-like torque
// changes sign on b_S = b_D (I_FL > 0 below favours parallel, I_FL < 0 above drives antiparallel), so the drain started
// parallel stays parallel below V_res and ends antiparallel above it. Changing Γ_D/Γ_S from 2 (the paper) to 3 moves the
// resonance from V_res = 0.1485U to 0.2251U; a small stochastic run (WebGPU) finds the boundary moved with it.
//
// The boundary lies on the antiparallel side of the line by a few hundredths of U: next to the line |I_FL| is smaller
// than the anisotropy field KV cos θ at the thermal angles (θ_rms ≈ 0.1π), so the parallel state survives the finite run
// until the torque wins (docs/models/dotValve.md, "Switching diagrams"). The test allows [V_res, V_res + 0.07U] and asks
// the boundary to move by the resonance's shift within 0.03U.
import { describe, expect, it } from 'vitest';
import { dotValve } from '../src/models/dotValve/params.ts';
import { PAPER_MAGNET } from '../src/models/dotValve/llg.ts';
import { resonanceVoltages } from '../src/models/dotValve/resonance.ts';
import { runSwitching, SWITCHING_DEFAULTS, type SwitchingJob } from '../src/runs/dotValveSwitching.ts';
import { linspace } from '../src/sweeps/grid.ts';
import { webgpuBackend } from './gpu.ts';

const U = 1000, EPS = -0.3 * U;

/** First V (scanning upwards) where this and the next two points end antiparallel in most trajectories. */
function boundary(V: Float64Array, switched: Float64Array): number {
  for (let i = 0; i + 2 < V.length; i++) if (switched[i] >= 0.5 && switched[i + 1] >= 0.5 && switched[i + 2] >= 0.5) return V[i];
  return NaN;
}

describe('switching boundary vs the Eq. 4 resonance (ε̃ = −0.3U cut)', () => {
  it('moves with V_res when Γ_D/Γ_S changes from 2 to 3', async ctx => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const V = linspace(60, 320, 27);   // up to 0.05U (5T) inside the diamond edge |ε̃| + V/2 = U/2
    const found: { ratio: number; Vres: number; Vb: number }[] = [];
    for (const ratio of [2, 3]) {
      const base = dotValve({ gammaS: 2 / (1 + ratio), gammaD: (2 * ratio) / (1 + ratio) });   // Γ = ½(Γ_S + Γ_D) = 1 kept
      const [Vres] = resonanceVoltages({ ...base, eps: EPS }, 'eq4', 1, 600);
      const job: SwitchingJob = {
        ...SWITCHING_DEFAULTS, base, epsAxis: Float64Array.of(EPS), VAxis: V, magnet: PAPER_MAGNET,
        trajectories: 6, time: 5000, averageFrom: 2500, tableNodes: 257, seed: 5,
      };
      const r = await runSwitching(b, job);
      const Vb = boundary(V, r.switched);
      console.log(`Γ_D/Γ_S = ${ratio}: V_res = ${(Vres / U).toFixed(4)}U, boundary ${(Vb / U).toFixed(3)}U; θ̄/π along V: ${Array.from(r.thetaMean, t => (t / Math.PI).toFixed(2)).join(' ')}`);
      // below the line: parallel at every point (θ̄ within the thermal well)
      for (let i = 0; i < V.length; i++) if (V[i] < Vres) { expect(r.switched[i]).toBe(0); expect(r.thetaMean[i]).toBeLessThan(0.2 * Math.PI); }
      expect(Vb).toBeGreaterThanOrEqual(Vres);
      expect(Vb - Vres).toBeLessThan(0.07 * U);
      found.push({ ratio, Vres, Vb });
    }
    const shiftRes = found[1].Vres - found[0].Vres, shiftB = found[1].Vb - found[0].Vb;
    expect(shiftRes).toBeGreaterThan(0.07 * U);   // the resonance really moved (0.077U)
    expect(Math.abs(shiftB - shiftRes)).toBeLessThan(0.03 * U);
  });
});
