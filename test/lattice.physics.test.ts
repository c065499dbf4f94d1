// Lattice Langevin physics: relaxation to the ground state at T = 0 with the energy never rising, and the Boltzmann
// equilibrium of small lattices against exact results (one spin with anisotropy or in a field, a 2-site bond, the
// doubled bond of a periodic pair, a 3-site ring by its transfer-matrix sum) and against Metropolis Monte Carlo of
// the same Hamiltonian (4³ lattice with random anisotropy and a field). Heun at a finite step samples a slightly
// colder distribution (first order in dt), so the equilibrium tests run at dt and 2dt and extrapolate linearly to
// dt → 0 (Richardson) before comparing at the *bath* temperature: a wrong noise amplitude cannot pass. The
// configurational temperature Σ⟨|m × h|²⟩/Σ⟨Δ_S E⟩ must equal the bath temperature for Monte Carlo samples and
// extrapolate to it for Langevin ones.
import { describe, expect, it } from 'vitest';
import { CpuBackend, type Backend } from '../src/backends/index.ts';
import { latticeKernel } from '../src/kernels/lattice/index.ts';
import { LatticeProblem, type LatticeSpec } from '../src/models/lattice/problem.ts';
import { metropolis } from '../src/models/lattice/metropolis.ts';
import { pointStats, type PointStats } from '../src/models/lattice/observables.ts';
import { langevin, ringEnergy, uniaxialMeanSquare } from '../src/models/lattice/exact.ts';
import { gaussian6, seedKey } from '../src/numerics/philox.ts';
import { KB } from '../src/numerics/units.ts';
import { webgpuBackend } from './gpu.ts';

const cpu = new CpuBackend();
const range = (n: number, from = 0) => Array.from({ length: n }, (_, k) => from + k);

/** Unit vectors scattered around `dir` (one per grain, per replica): normalize(dir·(1, −1 staggered?) + s·ξ). */
function scattered(p: LatticeProblem, dir: [number, number, number], spread: number, staggered = false): Float64Array {
  const out = new Float64Array(3 * p.sites * p.replicas), g = new Float64Array(6), w = new Uint32Array(4), c = new Uint32Array(4), key = seedKey(99);
  const [LX, LY] = p.dims;
  for (let k = 0; k < p.sites * p.replicas; k++) {
    c[0] = k; gaussian6(c, key, g, w);
    const i = k % p.sites, sgn = staggered && ((i % LX) + (Math.floor(i / LX) % LY) + Math.floor(i / (LX * LY))) % 2 === 1 ? -1 : 1;
    const x = sgn * dir[0] + spread * g[0], y = sgn * dir[1] + spread * g[1], z = sgn * dir[2] + spread * g[2], n = Math.hypot(x, y, z);
    out[3 * k] = x / n; out[3 * k + 1] = y / n; out[3 * k + 2] = z / n;
  }
  return out;
}

async function backends(): Promise<Backend[]> {
  const g = await webgpuBackend();
  return g ? [g, cpu] : [cpu];
}

describe('lattice at T = 0: damped relaxation', () => {
  it('a ferromagnet in a field relaxes to the aligned ground state E₀ = −3NJ − N|B|, its energy never rising', async () => {
    const B = 0.2, bh: [number, number, number] = [1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)];
    const p = LatticeProblem.create({ geometry: { dims: [6, 6, 6], periodic: [true, true, true] }, J: 1, replicas: [{ temperature: 0, field: [B * bh[0], B * bh[1], B * bh[2]] }], alpha: 1 });
    const N = p.sites, E0 = -3 * N - N * B;
    const init = scattered(p, [1, 0, 0], 0.8);
    for (const be of await backends()) {
      const steps = be.name === 'cpu' ? 1500 : 3000;
      const r = await be.run(latticeKernel, p, { dt: 0.02, steps, seed: 1, sampleEvery: 10, initialState: init });
      const tol = be.name === 'cpu' ? 1e-12 * N : 2e-6 * N;   // float32 sums on the device
      for (let s = 1; s < r.samples; s++) expect(r.E[s]).toBeLessThanOrEqual(r.E[s - 1] + tol);
      expect(r.E[0]).toBeGreaterThan(E0 + 0.1 * N);   // it started far from the ground state
      if (be.name !== 'cpu') {
        expect(r.E[r.samples - 1] - E0).toBeLessThan(1e-4 * N);
        const s = r.samples - 1, M = [r.M[3 * s], r.M[3 * s + 1], r.M[3 * s + 2]], m = Math.hypot(...M);
        expect(m / N).toBeGreaterThan(0.9999);
        expect((M[0] * bh[0] + M[1] * bh[1] + M[2] * bh[2]) / m).toBeGreaterThan(0.9999);
      } else expect(r.E[r.samples - 1] - E0).toBeLessThan(0.02 * N);
    }
  });

  it('an antiferromagnet (J < 0) relaxes to the Néel state E₀ = −3N|J|; with random anisotropy the energy still never rises', async () => {
    const gpu = await webgpuBackend();
    const be = gpu ?? cpu;
    const p = LatticeProblem.create({ geometry: { dims: [4, 4, 4], periodic: [true, true, true] }, J: -1, replicas: [{ temperature: 0 }], alpha: 1 });
    const r = await be.run(latticeKernel, p, { dt: 0.02, steps: 3000, seed: 1, sampleEvery: 10, initialState: scattered(p, [0, 0, 1], 0.7, true) });
    const N = p.sites, tol = 2e-6 * N;
    for (let s = 1; s < r.samples; s++) expect(r.E[s]).toBeLessThanOrEqual(r.E[s - 1] + tol);
    expect(r.E[r.samples - 1] + 3 * N).toBeLessThan(1e-4 * N);
    // the uniform magnetization vanishes in the Néel state
    const s = r.samples - 1;
    expect(Math.hypot(r.M[3 * s], r.M[3 * s + 1], r.M[3 * s + 2]) / N).toBeLessThan(1e-3);
    const q = LatticeProblem.create({ geometry: { dims: [5, 4, 3], periodic: [true, false, true] }, J: 1, anisotropy: { K: 2, axes: 'random', seed: 4 }, replicas: [{ temperature: 0, field: [0, 0.1, 0] }], alpha: 0.3, init: 'random' });
    const rq = await be.run(latticeKernel, q, { dt: 0.01, steps: 2000, seed: 1, sampleEvery: 5 });
    for (let k = 1; k < rq.samples; k++) expect(rq.E[k]).toBeLessThanOrEqual(rq.E[k - 1] + 2e-6 * q.sites);
    expect(rq.E[rq.samples - 1]).toBeLessThan(rq.E[0] - 0.5 * q.sites);
  });
});

interface Extrapolated { value: number; stderr: number; atDt: number; atDt2: number }

/** Runs at dt and 2dt (independent noise) of `replicas` independent replicas at one temperature. */
async function pairOfRuns(be: Backend, spec: LatticeSpec, dt: number, time: number): Promise<PointStats[]> {
  const p = LatticeProblem.create(spec);
  const out: PointStats[] = [];
  for (const h of [dt, 2 * dt]) {
    const r = await be.run(latticeKernel, p, { dt: h, steps: Math.round(time / h), seed: h === dt ? 11 : 12, sampleEvery: Math.max(1, Math.round(0.2 / h)), sampleFrom: Math.round(5 / h), keepState: false });
    out.push(pointStats(r, p.sites, range(p.replicas), p.temperatures[0]));
  }
  return out;
}

/** An observable at dt → 0 from the runs at dt and 2dt: 2 f(dt) − f(2dt) ± √(4σ₁² + σ₂²) (Richardson, first order). */
function extrapolate(runs: PointStats[], stat: (s: PointStats) => [number, number]): Extrapolated {
  const [a, sa] = stat(runs[0]), [b, sb] = stat(runs[1]);
  return { value: 2 * a - b, stderr: Math.sqrt(4 * sa * sa + sb * sb), atDt: a, atDt2: b };
}

const energy = (s: PointStats): [number, number] => [s.energy, s.energyStderr];
const tconf = (s: PointStats): [number, number] => [s.configurationalTemperature!, s.configurationalTemperatureStderr!];

describe('lattice Langevin: Boltzmann equilibrium of small lattices (exact)', () => {
  it('single grains: ⟨(m·n_i)²⟩ with random easy axes and ⟨m·B̂⟩ in a field match the one-spin integrals', async () => {
    const be = (await webgpuBackend()) ?? cpu;
    const kT = 0.5, K = 1;
    // J = 0: 256 independent grains with their own random axes, 4 replicas: e = −K ⟨u²⟩
    const aniso: LatticeSpec = { geometry: { dims: [8, 8, 4], periodic: [true, true, true] }, J: 0, anisotropy: { K, axes: 'random', seed: 8 }, replicas: range(4).map(() => ({ temperature: kT / KB })), alpha: 1 };
    const ea = extrapolate(await pairOfRuns(be, aniso, 0.01, 30), energy);
    const exactA = -K * uniaxialMeanSquare(K, kT);
    expect(Math.abs(ea.value - exactA)).toBeLessThan(4 * ea.stderr + 2e-3);
    expect(ea.stderr).toBeLessThan(5e-3);
    // the bias of the step is there and first order: at 2dt about twice as large as at dt
    expect(ea.atDt2 - exactA).toBeLessThan(0);
    // a field B along (1, 2, 2)/3: e = −|B| L(|B|/k_BT)
    const Bm = 1.5, field: [number, number, number] = [Bm / 3, 2 * Bm / 3, 2 * Bm / 3];
    const zee: LatticeSpec = { geometry: { dims: [8, 8, 4], periodic: [true, true, true] }, J: 0, replicas: range(4).map(() => ({ temperature: 1 / KB, field })), alpha: 1 };
    const rz = await pairOfRuns(be, zee, 0.01, 30);
    const ez = extrapolate(rz, energy);
    expect(Math.abs(ez.value + Bm * langevin(Bm))).toBeLessThan(4 * ez.stderr + 2e-3);
    // the configurational temperature extrapolates to the bath temperature
    const tz = extrapolate(rz, tconf), T = 1 / KB;
    expect(Math.abs(tz.value - T)).toBeLessThan(4 * tz.stderr + 2e-3 * T);
  });

  it('a bond (open pair), a doubled bond (periodic pair) and a 3-site ring match their exact energies at the bath temperature', async () => {
    const be = (await webgpuBackend()) ?? cpu;
    const J = 1;
    const cases: { name: string; spec: LatticeSpec; exact: number }[] = [
      { name: 'open pair, kT = 0.7 meV: −J L(J/kT)', spec: { geometry: { dims: [2, 1, 1], periodic: [false, false, false] }, J, replicas: range(2048).map(() => ({ temperature: 0.7 / KB })), alpha: 1 }, exact: -J * langevin(J / 0.7) },
      { name: 'periodic pair (two bonds), kT = 1.5 meV: −2J L(2J/kT)', spec: { geometry: { dims: [2, 1, 1], periodic: [true, false, false] }, J, replicas: range(2048).map(() => ({ temperature: 1.5 / KB })), alpha: 1 }, exact: -2 * J * langevin((2 * J) / 1.5) },
      { name: '3-site ring, kT = 1 meV: transfer-matrix sum', spec: { geometry: { dims: [3, 1, 1], periodic: [true, false, false] }, J, replicas: range(2048).map(() => ({ temperature: 1 / KB })), alpha: 1 }, exact: ringEnergy(3, J, 1) },
    ];
    for (const c of cases) {
      const n = c.spec.geometry.dims[0];
      const e = extrapolate(await pairOfRuns(be, c.spec, 0.01, 25), energy);
      // energy per grain × grains = the system's energy
      const E = e.value * n, err = e.stderr * n;
      expect(Math.abs(E - c.exact), c.name).toBeLessThan(4 * err + 2e-3 * Math.abs(c.exact));
      // precise to ≲ 1 % of the energy: a noise amplitude off by a few % (a temperature off by as much) fails
      expect(err, c.name).toBeLessThan(0.012);
    }
  });
});

describe('lattice Langevin against Metropolis Monte Carlo of the same Hamiltonian', () => {
  it('4³ periodic, J = 1 meV, K = 0.5 meV random axes, field 0.3 meV: energy, ⟨|M|⟩/N and ⟨M·B̂⟩/N at k_BT = 1.2 meV', async () => {
    const be = (await webgpuBackend()) ?? cpu;
    const kT = 1.2, T = kT / KB;
    const spec = (R: number): LatticeSpec => ({ geometry: { dims: [4, 4, 4], periodic: [true, true, true] }, J: 1, anisotropy: { K: 0.5, axes: 'random', seed: 21 }, replicas: range(R).map(() => ({ temperature: T, field: [0, 0, 0.3] })), alpha: 1 });
    const pm = LatticeProblem.create(spec(8));
    const mc = metropolis(pm, { sweeps: 25000, thermalize: 1000, sampleEvery: 2, seed: 3 });
    const ms = pointStats(mc, 64, range(8), T);
    expect(mc.acceptance[0]).toBeGreaterThan(0.1);
    // the estimator: Monte Carlo samples are Boltzmann, their configurational temperature is the bath's
    expect(Math.abs(ms.configurationalTemperature! - T)).toBeLessThan(4 * ms.configurationalTemperatureStderr! + 1e-3 * T);
    const mz = (s: PointStats): [number, number] => [s.magnetization, s.magnetizationStderr];
    const runs = await pairOfRuns(be, spec(160), 0.01, 30);
    const ll = extrapolate(runs, energy);
    expect(Math.abs(ll.value - ms.energy)).toBeLessThan(4 * Math.hypot(ll.stderr, ms.energyStderr) + 2e-3);
    expect(ll.stderr).toBeLessThan(6e-3);
    const lm = extrapolate(runs, mz);
    expect(Math.abs(lm.value - ms.magnetization)).toBeLessThan(4 * Math.hypot(lm.stderr, ms.magnetizationStderr) + 2e-3);
    // along the field (z): the field orders the magnetization, ⟨M_z⟩/N > 0 and equal in both samplers
    const alongField = (s: PointStats): [number, number] => [s.magnetizationVector[2], s.magnetizationVectorStderr[2]];
    const lz = extrapolate(runs, alongField), [mcz, mczErr] = alongField(ms);
    expect(mcz).toBeGreaterThan(0.2);
    expect(Math.abs(lz.value - mcz)).toBeLessThan(4 * Math.hypot(lz.stderr, mczErr) + 2e-3);
    // Langevin's configurational temperature sees the step's bias (colder at 2dt than at dt, both below the bath)
    // and extrapolates to the bath's
    const [t1, t2] = runs.map(r => r.configurationalTemperature!), s2 = runs[1].configurationalTemperatureStderr!;
    expect(T - t2).toBeGreaterThan(10 * s2);
    expect(t1 - t2).toBeGreaterThan(5 * s2);
    const lt = extrapolate(runs, tconf);
    expect(Math.abs(lt.value - T)).toBeLessThan(4 * lt.stderr + 2e-3 * T);
  });

  it('the Monte Carlo reference itself: the 3-site ring energy', () => {
    const p = LatticeProblem.create({ geometry: { dims: [3, 1, 1], periodic: [true, false, false] }, J: 1, replicas: range(8).map(() => ({ temperature: 1 / KB })) });
    const mc = metropolis(p, { sweeps: 60000, thermalize: 500, sampleEvery: 1, seed: 5 });
    const s = pointStats(mc, 3, range(8), 1 / KB);
    expect(Math.abs(3 * s.energy - ringEnergy(3, 1, 1))).toBeLessThan(4 * 3 * s.energyStderr);
    expect(3 * s.energyStderr).toBeLessThan(5e-3);
  });
});
