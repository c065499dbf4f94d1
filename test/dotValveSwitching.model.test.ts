// The drain magnet of the quantum-dot spin valve as an LLG model (seed 004): the mapping onto the core's units and
// conventions, p → 0 (no transport torque: the drain stays parallel with the Boltzmann spread of its anisotropy well at
// k_BT_eff = σ²/2αS), and the torque tables' interpolation error on the ζ grid (third order).
import { describe, expect, it } from 'vitest';
import { dotValve } from '../src/models/dotValve/params.ts';
import { drainLlgSpin, PAPER_MAGNET } from '../src/models/dotValve/llg.ts';
import { boltzmannMeanAngle, drainModel, drainPointCpu, tableInterpolationError } from '../src/models/dotValve/switching.ts';
import { dotValveState } from '../src/models/dotValve/transport.ts';
import { runSwitching, SWITCHING_DEFAULTS, type SwitchingJob } from '../src/runs/dotValveSwitching.ts';
import { openBackend } from '../src/backends/index.ts';
import { tableValue } from '../src/llg/torqueTable.ts';
import { HBAR, KB } from '../src/numerics/units.ts';

describe('drain model → LLG point', () => {
  it('K = KV/2 on ẑ, p = +ẑ, start +ẑ, k_BT = σ²/2αS, tables a_FL = I_FL, a_DL = −I_DL, J_D as the readout; Γ = G meV scales energies', () => {
    const pt = drainPointCpu(dotValve({ eps: 250, V: -150 }), 65, 'zeta');
    for (const G of [1, 8]) {
      const d = drainModel(PAPER_MAGNET, G).describe(pt), s = d.spins[0];
      expect(d.temperature * KB).toBeCloseTo((1e-4 / (2 * 0.1)) * G, 14);
      expect(s.anisotropy).toBeCloseTo(0.005 * G, 14);
      expect(Array.from(s.torqueAxis!)).toEqual([0, 0, 1]);
      expect(Array.from(s.easyAxis!)).toEqual([0, 0, 1]);
      expect(Array.from(s.init!)).toEqual([0, 0, 1]);
      expect(s.S).toBe(1);
      expect(s.alpha).toBe(0.1);
      expect(s.torqueTable!.grid).toBe('zeta');
      expect(drainLlgSpin(PAPER_MAGNET, G).timeUnitPs).toBeCloseTo(HBAR / G, 14);
      // node k = n − 1 is θ = 0 (u = 1), node 0 is θ = π; interior node against the steady state
      const st = dotValveState(dotValve({ eps: 250, V: -150 }), Math.PI);
      expect(s.torqueTable!.fieldLike![0]).toBeCloseTo(st.tauFL * G, 12);
      expect(s.torqueTable!.dampingLike![0]).toBeCloseTo(-st.tauDL * G, 12);
      expect(s.readoutTable![0]).toBeCloseTo(st.current, 14);
    }
    const bad = { ...pt, current: new Float64Array(3) };
    expect(() => drainModel().describe(bad)).toThrow(/same length/);
  });

  it('the Boltzmann mean angle of the well: the Rayleigh limit √(πk_BT/2KV) for k_BT ≪ KV, 1 rad (uniform hemisphere) at k_BT ≫ KV', () => {
    const kT = 1e-7;
    expect(boltzmannMeanAngle(0.01, kT) / Math.sqrt((Math.PI * kT) / (2 * 0.01))).toBeCloseTo(1, 4);
    // flat hemisphere: ⟨θ⟩ = ∫θ sinθ dθ = 1 rad over [0, π/2]
    expect(boltzmannMeanAngle(1e-9, 1)).toBeCloseTo(1, 6);
  });

  it('p → 0: no torque, the drain stays in its well with the Boltzmann mean angle at k_BT_eff (switching pipeline, float64 twin)', async () => {
    const cpu = await openBackend('cpu');
    // σ² = 1e-4, α = 0.1: k_BT_eff = 5e-4Γ, KV/2k_BT = 10 (barrier crossing ~e^10/(αKV) ≫ the run); relaxation 1/(2αKV) = 500/Γ
    const job: SwitchingJob = {
      ...SWITCHING_DEFAULTS, base: dotValve({ p: 0 }), epsAxis: Float64Array.of(200), VAxis: Float64Array.of(100, 175),
      magnet: PAPER_MAGNET, trajectories: 48, dt: 0.05, time: 10000, averageFrom: 2500, tableNodes: 33,
    };
    const r = await runSwitching(cpu, job);
    cpu.close();
    for (const x of r.fixed.tauFL) expect(Math.abs(x)).toBe(0);
    for (const x of r.fixed.tauDL) expect(Math.abs(x)).toBe(0);
    const kT = drainLlgSpin(PAPER_MAGNET).kTeff, ref = boltzmannMeanAngle(PAPER_MAGNET.KV, kT);
    for (let i = 0; i < r.nPoints; i++) {
      console.log(`p = 0, (${r.points[2 * i]}, ${r.points[2 * i + 1]}): θ̄ = ${r.thetaMean[i].toFixed(4)} ± ${r.thetaStderr[i].toFixed(4)} rad, Boltzmann ${ref.toFixed(4)} rad; switched ${r.switched[i]}`);
      expect(r.switched[i]).toBe(0);
      // statistics (4σ) plus the O(dt) Heun bias (≲ 1 %)
      expect(Math.abs(r.thetaMean[i] - ref)).toBeLessThan(4 * r.thetaStderr[i] + 0.01 * ref);
      expect(r.thetaStderr[i]).toBeLessThan(0.05 * ref);
    }
  });
});

describe('torque tables on the ζ grid', () => {
  it('Catmull–Rom error falls as h³ at a smooth blockade point and is resolved next to θ = π at the Fig. 4 point', () => {
    const p = dotValve({ eps: 200, V: 100 });
    const e = [65, 129, 257].map(n => { const t = drainPointCpu(p, n, 'zeta'); return tableInterpolationError(p, { grid: 'zeta', fieldLike: t.fieldLike, dampingLike: t.dampingLike }, 1499); });
    console.log(`(0.2U, 0.1U) ζ-grid error of I_FL, I_DL: ${e.map(x => `${x.fieldLike.toExponential(1)}/${x.dampingLike.toExponential(1)}`).join(', ')} (n = 65, 129, 257)`);
    for (let k = 1; k < e.length; k++) expect(e[k - 1].fieldLike / e[k].fieldLike).toBeGreaterThan(6);   // 2³ = 8 asymptotically
    const q = dotValve({ eps: 250, V: -150 }), t = drainPointCpu(q, 513, 'zeta');
    const err = tableInterpolationError(q, { grid: 'zeta', fieldLike: t.fieldLike, dampingLike: t.dampingLike }, 2999);
    expect(Math.max(err.fieldLike, err.dampingLike)).toBeLessThan(1e-3);
    // at θ = π − 0.05 (inside the steep feature) the table gives the steady state to 1e-3 of the scale
    const th = Math.PI - 0.05, st = dotValveState(q, th), scale = Math.max(...Array.from(t.fieldLike, Math.abs));
    expect(Math.abs(tableValue(t.fieldLike, 0, 513, Math.cos(th), 'zeta') - st.tauFL) / scale).toBeLessThan(1e-3);
  });
});
