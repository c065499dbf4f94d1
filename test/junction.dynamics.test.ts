// Junction couplings handed to the LLG core: the sign/unit conversion is checked against the exact
// Boltzmann alignment of two classical spins, and the bias-driven FM ↔ AFM switch must show up.
import { describe, expect, it } from 'vitest';
import { junction } from '../src/models/junction/index.ts';
import { runJunctionDynamics, pairFields, type JunctionDynamicsJob } from '../src/runs/junctionDynamics.ts';
import { KB } from '../src/numerics/units.ts';
import { webgpuBackend } from './gpu.ts';

const base: Omit<JunctionDynamicsJob, 'base' | 'axis'> = {
  method: 'closed', S: 1, alpha: 0.5, temperature: 0.1, anisotropy: 0, easyAxis: [0, 0, 1],
  trajectories: 512, dt: 0.1, time: 3000, averageFrom: 1500, seed: 7,
};

describe('junction → LLG dimer', () => {
  it('closed-form fields: C_12 and C_21 are transposes at equilibrium, and carry ±κ out of it', () => {
    const eq = { at: {}, params: junction(), J12: 0, I12: 0, D12: 0, Czz: 0.3, Cxx: 0.2, Dz: 0.05, DzNonreciprocal: 0 };
    const a = pairFields(eq);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(a.c21[3 * i + j]).toBe(a.c12[3 * j + i]);
    const b = pairFields({ ...eq, Dz: 0, DzNonreciprocal: 0.1 });
    expect(b.c12[1]).toBe(0.1); expect(b.c21[1]).toBe(0.1); // same sense on both spins: a torque, no energy
  });

  it('at equilibrium the ensemble reaches the exact Boltzmann alignment ⟨m1·m2⟩ = coth(βJ) − 1/(βJ), J = S²C', async () => {
    const be = await webgpuBackend();
    if (!be) return;
    // μ = −1.5 meV, unpolarized, V = ΔT = 0: isotropic C ≈ +9.8e-3 meV (favours parallel); T = 0.1 K gives βJ ≈ 1.1
    const job: JunctionDynamicsJob = { ...base, base: junction({ mu: -1.5 }), axis: { name: 'V', values: Float64Array.of(0) } };
    const r = await runJunctionDynamics(be, job);
    const p = r.points[0], J = job.S ** 2 * p.coupling.Czz, x = J / (KB * job.temperature);
    const exact = 1 / Math.tanh(x) - 1 / x;
    expect(p.coupling.Czz).toBeGreaterThan(0);
    for (const v of [p.full, p.reciprocal]) expect(Math.abs(v.m1m2 - exact)).toBeLessThan(3 * v.m1m2Err + 0.01);
  }, 60_000);

  it('bias switches the dimer: ferro at V = 2 mV, antiferro at V = 4 mV (μ = −2 meV, p_L = 0.5, p_R = 0)', async () => {
    const be = await webgpuBackend();
    if (!be) return;
    const job: JunctionDynamicsJob = { ...base, S: 2, temperature: 0.05, trajectories: 128, time: 1000, averageFrom: 500,
      base: junction({ mu: -2, pL: 0.5, pR: 0 }), axis: { name: 'V', values: Float64Array.of(2, 4) } };
    const r = await runJunctionDynamics(be, job);
    const [fm, afm] = r.points;
    expect(fm.coupling.Czz).toBeGreaterThan(0);
    expect(afm.coupling.Czz).toBeLessThan(0);
    expect(fm.reciprocal.m1m2).toBeGreaterThan(0.9);
    expect(afm.reciprocal.m1m2).toBeLessThan(-0.9);
    // the non-reciprocal torque (κ ≈ 0.2–0.4 meV here, larger than Czz) keeps the full-field dimer from aligning completely
    expect(fm.full.m1m2).toBeLessThan(fm.reciprocal.m1m2);
    expect(afm.full.m1m2).toBeGreaterThan(afm.reciprocal.m1m2);
  }, 60_000);
});
