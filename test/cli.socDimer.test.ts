// CLI of the seed-001 SOC dimer: `couplings soc-dimer` prints the paper's quantities (checked against the model
// at every point, D_2 odd in V), writes a run directory that reloads to the same numbers, agrees between the
// webgpu and cpu backends; bad input names the flag; `figures soc-dimer` writes every panel of Figs. 2, 6, 7.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cliHarness.ts';
import { webgpuBackend } from './gpu.ts';
import { readNpy } from '../src/io/npy.ts';
import { socDimer } from '../src/models/socDimer/params.ts';
import { COUPLING_STRIDE, paperCouplings, socCouplings } from '../src/models/socDimer/couplings.ts';
import { QUANTITY_OFFSET, SOC_QUANTITIES } from '../src/runs/socCouplings.ts';
import { SOC_FIGURES } from '../src/runs/socFigures.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-soc-cli-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Point = Record<string, number | boolean>;
const GRID = ['--sweep', 'muF=-4:4:5', '--sweep', 'V=-6:6:5'];

describe('nanospin couplings soc-dimer: a 5 × 5 map on the cpu backend', () => {
  let j: { backend: string; adapter: string; normalisation: string; seconds: number; pointsPerSecond: number; points: Point[] };
  let out: string;
  beforeAll(async () => {
    out = join(tmp, 'cpu');
    const r = await cli(['couplings', 'soc-dimer', ...GRID, '--backend', 'cpu', '--json', '--quiet', '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    j = JSON.parse(r.out);
  });

  it('prints the documented fields, equal to paperCouplings(socCouplings(…)) at every point', () => {
    expect(j.backend).toBe('cpu');
    expect(j.adapter).toMatch(/cpu/);
    expect(j.normalisation).toMatch(/A24.*meV⁻¹.*meV⁻²/s);
    expect(j.seconds).toBeGreaterThan(0);
    expect(j.pointsPerSecond).toBeGreaterThan(0);
    expect(j.points).toHaveLength(25);
    for (const p of j.points) {
      for (const k of ['muF', 'V', ...SOC_QUANTITIES]) expect(typeof p[k], k).toBe('number');
      const ref = paperCouplings(socCouplings(socDimer({ muF: p.muF as number, V: p.V as number })));
      for (const k of SOC_QUANTITIES) expect(p[k], `${k} at μ_F = ${p.muF}, V = ${p.V}`).toBe(ref[k]);
      expect(p.energyInjection).toBe(ref.alphaI < 0 || ref.alphaI + ref.alphaAn < 0);
    }
    // first axis slowest
    expect(j.points.slice(0, 5).map(p => p.V)).toEqual([-6, -3, 0, 3, 6]);
    // weak SOC: α^(i)_22 < 0 (energy injection) where |μ_L| < t0 − t and |μ_R| > t0 (Fig. 2c), e.g. μ_F = 2, V = −3
    expect(j.points.filter(p => p.energyInjection).map(p => [p.muF, p.V])).toEqual([[-4, 6], [-2, 3], [-2, 6], [2, -6], [2, -3], [4, -6]]);
    for (const p of j.points.filter(q => q.energyInjection)) {
      const muL = (p.muF as number) + (p.V as number) / 2, muR = (p.muF as number) - (p.V as number) / 2;
      expect(Math.abs(muL) < 2 && Math.abs(muR) > 2).toBe(true);
    }
  });

  it('D_2(V) = −D_2(−V) and D_2 = −D_1 in the printed map; D vanishes at V = 0', () => {
    const at = (muF: number, V: number) => j.points.find(p => p.muF === muF && p.V === V)!;
    for (const muF of [-4, -2, 0, 2, 4]) {
      expect(at(muF, 0).D2).toBe(0);
      for (const V of [3, 6]) {
        const p = at(muF, V).D2 as number, m = at(muF, -V).D2 as number;
        expect(Math.abs(p)).toBeGreaterThan(1e-6);
        expect(Math.abs(p + m)).toBeLessThan(1e-9 * Math.abs(p));
        expect(Math.abs(p + (at(muF, V).D1 as number))).toBeLessThan(1e-9 * Math.abs(p));
      }
    }
  });

  it('writes manifest, CSV, .npy and one SVG per quantity; the arrays reload to the printed numbers', () => {
    const files = readdirSync(out);
    for (const f of ['manifest.json', 'couplings.csv', 'couplings.npy', 'paper_couplings.npy', 'energy_injection.npy', 'axis_muF.npy', 'axis_V.npy', 'energy-injection.svg', 'report.html']) expect(files).toContain(f);
    for (const k of SOC_QUANTITIES) expect(files).toContain(`${k}.svg`);
    const raw = readNpy(join(out, 'couplings.npy'));
    expect(raw.dtype).toBe('<f8');
    expect(raw.shape).toEqual([25, COUPLING_STRIDE]);
    j.points.forEach((p, i) => { for (const k of SOC_QUANTITIES) expect(raw.data[i * COUPLING_STRIDE + QUANTITY_OFFSET[k]]).toBe(p[k]); });
    const paper = readNpy(join(out, 'paper_couplings.npy'));
    expect(paper.shape).toEqual([5, 5, SOC_QUANTITIES.length]);
    expect(paper.data[7 * SOC_QUANTITIES.length + SOC_QUANTITIES.indexOf('J2')]).toBe(j.points[7].J2);
    const inj = readNpy(join(out, 'energy_injection.npy'));
    expect(Array.from(inj.data)).toEqual(j.points.map(p => (p.energyInjection ? 1 : 0)));
    const csv = readFileSync(join(out, 'couplings.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(26);
    const head = csv[0].split(','), row = csv[8].split(',').map(Number);
    for (const k of ['muF', 'V', ...SOC_QUANTITIES]) expect(row[head.indexOf(k)]).toBe(j.points[7][k]);
    expect(row[head.indexOf('energyInjection')]).toBe(j.points[7].energyInjection ? 1 : 0);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m.commandLine).toContain('couplings soc-dimer --sweep muF=-4:4:5');
    expect(m.backend).toBe('cpu');
    expect(m.params.base.t).toBe(0.1);
    expect(m.extra.normalisation).toBe(j.normalisation);
    expect(m.extra.files['couplings.npy']).toMatch(/float64 \[25, 30\]/);
    expect(m.timings.seconds).toBeGreaterThan(0);
    // diverging maps with units, energy injection hatched on the damping maps
    const svg = readFileSync(join(out, 'alphaI.svg'), 'utf8');
    expect(svg).toMatch(/α\^\(i\)_22 \(meV⁻²\)/);
    expect(svg).toContain('class="energy-injection"');
    expect(readFileSync(join(out, 'J2.svg'), 'utf8')).toMatch(/J_2 \(meV⁻¹\)/);
  });

  it('a 1D sweep writes one line chart per quantity', async () => {
    const o = join(tmp, 'line');
    const r = await cli(['couplings', 'soc-dimer', '--sweep', 'V=-2:2:3', '--muF', '1', '--backend', 'cpu', '--quiet', '--out', o]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/3 points/);
    for (const k of SOC_QUANTITIES) expect(existsSync(join(o, `${k}.svg`))).toBe(true);
    expect(readNpy(join(o, 'paper_couplings.npy')).shape).toEqual([3, SOC_QUANTITIES.length]);
  });
});

describe('nanospin couplings soc-dimer: webgpu against cpu', () => {
  it('every quantity agrees within 2e-5 of its largest |value| over the map (and the flags of energy injection match away from the sign changes)', async (ctx) => {
    if (!(await webgpuBackend())) return ctx.skip();
    const args = ['couplings', 'soc-dimer', '--sweep', 'muF=-5:5:9', '--sweep', 'V=-8:8:7', '--t', '1', '--json', '--quiet'];
    const g = await cli([...args, '--backend', 'webgpu', '--out', join(tmp, 'gpu')]);
    const c = await cli([...args, '--backend', 'cpu', '--out', join(tmp, 'gpu-cpu')]);
    expect(g.code).toBe(0);
    expect(c.code).toBe(0);
    const G = JSON.parse(g.out), C = JSON.parse(c.out);
    expect(G.backend).toBe('webgpu');
    for (const k of SOC_QUANTITIES) {
      const scale = Math.max(...C.points.map((p: Point) => Math.abs(p[k] as number)));
      const worst = Math.max(...C.points.map((p: Point, i: number) => Math.abs((p[k] as number) - G.points[i][k])));
      expect(worst, k).toBeLessThanOrEqual(2e-5 * scale);
    }
    C.points.forEach((p: Point, i: number) => {
      const a = p.alphaI as number, b = a + (p.alphaAn as number), s = 1e-4 * C.maxAbs.alphaI;
      if (Math.abs(a) > s && Math.abs(b) > s) expect(G.points[i].energyInjection).toBe(p.energyInjection);
    });
  }, 60_000);

  it('weak SOC: J, D, α, j within 2e-5; the small t̂t̂ parts A, K within 1e-4 (float32 cancellation, see SOC_TOLERANCES)', async (ctx) => {
    if (!(await webgpuBackend())) return ctx.skip();
    const args = ['couplings', 'soc-dimer', '--sweep', 'muF=-6:6:7', '--sweep', 'V=-10:10:7', '--json', '--quiet'];
    const G = JSON.parse((await cli([...args, '--backend', 'webgpu', '--out', join(tmp, 'gpu-weak')])).out);
    const C = JSON.parse((await cli([...args, '--backend', 'cpu', '--out', join(tmp, 'gpu-weak-cpu')])).out);
    for (const k of SOC_QUANTITIES) {
      const scale = Math.max(...C.points.map((p: Point) => Math.abs(p[k] as number)));
      const worst = Math.max(...C.points.map((p: Point, i: number) => Math.abs((p[k] as number) - G.points[i][k])));
      expect(worst, k).toBeLessThanOrEqual((/^[AK]/.test(k) ? 1e-4 : 2e-5) * scale);
    }
  }, 60_000);
});

describe('nanospin couplings soc-dimer: bad input', () => {
  const cases: [string[], RegExp][] = [
    [['--T', '-1'], /--T must be ≥ 0 \(K\), got -1/],
    [['--sweep', 'muF=0:1:0'], /--sweep muF: the count '0' must be an integer in \[1, 16777216\]/],
    [['--mu', '1'], /unknown flag --mu \(did you mean --muF\?\)/],
    [['--te', '0'], /--te must be > 0 \(meV\), got 0/],
    [['--V', 'NaN'], /--V must be a finite number \(mV\)/],
    [['--tHat', '0,0,0'], /--tHat must be a finite non-zero vector/],
    [['--sweep', 'mu=0:1:3'], /unknown parameter 'mu'; sweepable: muF, V, T, t/],
    [['--sweep', 'T=-2:2:3'], /--sweep T: temperatures must be ≥ 0 K/],
    [['--T', '1', '--dT', '-3'], /--dT: T_R = T \+ ΔT must be ≥ 0 K/],
    [['--sweep', 'muF=0:1:3', '--muF', '1'], /--muF and --sweep muF=… both given/],
    [['--sweep', 'muF=0:1:2049', '--sweep', 'V=0:1:2049'], /--sweep: muF 2049 × V 2049 = 4198401 points, more than the 4194304/],
    [['--sweep', 'muF=0:1:2', '--sweep', 'V=0:1:2', '--sweep', 't=0:1:2'], /at most 2 axes/],
    [['--backend', 'cuda'], /--backend must be one of auto, webgpu, cpu/],
  ];
  for (const [args, re] of cases) {
    it(args.join(' '), async () => {
      const r = await cli(['couplings', 'soc-dimer', ...args, '--out', join(tmp, 'bad'), '--quiet']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(re);
      expect(existsSync(join(tmp, 'bad'))).toBe(false);
    });
  }
  it('unknown system', async () => {
    const r = await cli(['couplings', 'dimer']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/couplings: unknown system 'dimer'; available: soc-dimer/);
  });
});

describe('nanospin figures soc-dimer', () => {
  it('--resolution 9 --backend cpu writes every panel of Figs. 2, 6, 7 (SVG + .npy) and a manifest', async () => {
    const out = join(tmp, 'figs');
    const r = await cli(['figures', 'soc-dimer', '--resolution', '9', '--bias-points', '5', '--trajectories', '4', '--backend', 'cpu', '--json', '--quiet', '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const ids = SOC_FIGURES.flatMap(f => f.panels.map(p => `fig${f.figure}${p.letter}_${p.quantity}`));
    expect(ids).toHaveLength(16);
    const orientation = [4, 5].flatMap(f => ['orientation', 'difference', 'interactions'].map(k => `fig${f}_${k}`));
    expect(j.figures.map((f: { id: string }) => f.id)).toEqual([...ids, ...orientation]);
    for (const f of [4, 5]) {
      expect(readNpy(join(out, `fig${f}_langevin_m.npy`)).shape).toEqual([5, 3]);
      expect(readNpy(join(out, `fig${f}_fokker_planck_m.npy`)).shape).toEqual([5, 3]);
    }
    // Fig. 4: antiparallel at V = 0 in both methods
    const fp4 = readNpy(join(out, 'fig4_fokker_planck_m.npy')).data, l4 = readNpy(join(out, 'fig4_langevin_m.npy')).data;
    expect(fp4[2 * 3 + 2]).toBeLessThan(-0.95);
    expect(l4[2 * 3 + 2]).toBeLessThan(-0.9);
    const files = readdirSync(out);
    for (const id of ids) {
      expect(files).toContain(`${id}.svg`);
      const a = readNpy(join(out, `${id}.npy`));
      expect(a.shape).toEqual([9, 9]);
    }
    for (const f of ['manifest.json', 'report.html', 'muF.npy', 'V.npy', 'couplings_weak.npy', 'couplings_strong.npy', 'energy_injection_weak.npy']) expect(files).toContain(f);
    expect(readNpy(join(out, 'couplings_strong.npy')).shape).toEqual([9, 9, COUPLING_STRIDE]);
    // rows V, columns μ_F: J_2 < 0 at μ_F = V = 0 (antiparallel), > 0 at μ_F = 6, V = 0 (Fig. 2a)
    const J2 = readNpy(join(out, 'fig2a_J2.npy')).data, muF = readNpy(join(out, 'muF.npy')).data, V = readNpy(join(out, 'V.npy')).data;
    expect([muF[4], V[4], muF[8]]).toEqual([0, 0, 6]);
    expect(J2[4 * 9 + 4]).toBeLessThan(0);
    expect(J2[4 * 9 + 8]).toBeGreaterThan(0);
    expect(J2[4 * 9 + 4]).toBe(paperCouplings(socCouplings(socDimer({ muF: 0, V: 0, t: 0.1 }))).J2);
    const D7 = readNpy(join(out, 'fig7b_D2.npy')).data;
    expect(D7[8 * 9 + 3]).toBeCloseTo(-D7[0 * 9 + 3], 12);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m.params.rangeNote).toMatch(/do not state the axis ranges/);
    expect(m.params.socStrengths).toEqual({ weak: 0.1, strong: 1 });
    expect(Object.keys(m.extra.panels)).toEqual([...ids, ...orientation]);
    expect(m.extra.normalisation).toMatch(/A24/);
  });

  it('bad input names the flag; figures junction still dispatches', async () => {
    const r = await cli(['figures', 'soc-dimer', '--resolution', '1', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--resolution must be ≥ 2 and ≤ 1001, got 1/);
    const u = await cli(['figures', 'nope']);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/available: junction, soc-dimer/);
    const h = await cli(['figures', 'junction', '--help']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/figures junction/);
  });
});

describe('nanospin llg soc-dimer and switching soc-dimer', () => {
  const fast = ['--trajectories', '4', '--time', '2', '--average-from', '1', '--quiet'];
  it('llg soc-dimer --json: Langevin and Fokker–Planck per bias point, run directory with arrays and figures', async () => {
    const out = join(tmp, 'llg');
    const r = await cli(['llg', 'soc-dimer', '--sweep', 'V=-3:3:3', ...fast, '--backend', 'cpu', '--json', '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.backend).toBe('cpu');
    expect(j.points.map((p: Point) => p.V)).toEqual([-3, 0, 3]);
    for (const p of j.points) {
      for (const k of ['mx', 'my', 'mz']) { expect(Number.isFinite(p[k])).toBe(true); expect(Number.isFinite(p.fp[k])).toBe(true); expect(p.stderr[k]).toBeGreaterThanOrEqual(0); }
      expect(p.energyInjection).toBe(false);
      expect(p.nonFinite).toBe(0);
    }
    // the Fokker–Planck m_y is odd in V (Fig. 4)
    expect(j.points[0].fp.my).toBeCloseTo(-j.points[2].fp.my, 9);
    for (const f of ['manifest.json', 'points.csv', 'langevin_m.npy', 'fokker_planck_m.npy', 'couplings.npy', 'orientation.svg', 'interactions.svg', 'report.html']) expect(existsSync(join(out, f))).toBe(true);
    expect(readNpy(join(out, 'couplings.npy')).shape).toEqual([3, COUPLING_STRIDE]);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).commandLine).toMatch(/llg soc-dimer --sweep V=-3:3:3/);
  }, 60_000);

  it('switching soc-dimer: a small (μ_F, V) map on the device agrees with the CPU twin (same noise) and writes [V, μ_F, 3] arrays', async (ctx) => {
    const grid = ['--sweep', 'muF=-2:2:3', '--sweep', 'V=-4:4:2', '--trajectories', '3', '--time', '1', '--average-from', '0.5', '--quiet', '--json'];
    const c = await cli(['switching', 'soc-dimer', ...grid, '--backend', 'cpu', '--out', join(tmp, 'sw-cpu')]);
    expect(c.err).toBe('');
    expect(c.code).toBe(0);
    const jc = JSON.parse(c.out);
    expect(jc.grid).toEqual({ V: { from: -4, to: 4, count: 2 }, muF: { from: -2, to: 2, count: 3 } });
    const mc = readNpy(join(tmp, 'sw-cpu', 'langevin_m.npy'));
    expect(mc.shape).toEqual([2, 3, 3]);
    for (const f of ['langevin_mz.svg', 'fokker_planck_my.svg', 'difference_mz.svg', 'energy_injection.svg']) expect(existsSync(join(tmp, 'sw-cpu', f))).toBe(true);
    if (!(await webgpuBackend())) return ctx.skip();
    const g = await cli(['switching', 'soc-dimer', ...grid, '--backend', 'webgpu', '--out', join(tmp, 'sw-gpu')]);
    expect(g.code).toBe(0);
    const mg = readNpy(join(tmp, 'sw-gpu', 'langevin_m.npy'));
    let d = 0;
    for (let k = 0; k < mc.data.length; k++) d = Math.max(d, Math.abs(mc.data[k] - mg.data[k]));
    expect(d).toBeLessThan(1e-4);
  }, 60_000);

  const bad: [string[], RegExp][] = [
    [['llg', 'soc-dimer'], /--sweep V=from:to:count is required/],
    [['llg', 'soc-dimer', '--sweep', 'V=0:1:2', '--sweep', 'muF=0:1:2'], /one --sweep axis/],
    [['llg', 'soc-dimer', '--sweep', 'V=0:1:2', '--reading', 'loose'], /--reading/],
    [['llg', 'soc-dimer', '--sweep', 'V=0:1:2', '--trajectories', '0'], /--trajectories/],
    [['llg', 'soc-dimer', '--sweep', 'V=0:1:2', '--T', '-1'], /--T must be ≥ 0/],
    [['llg', 'soc-dimer', '--sweep', 'V=0:1:2', '--average-from', '50'], /--average-from must be < --time/],
    [['switching', 'soc-dimer', '--sweep', 't=0:1:2'], /unknown parameter 't'/],
    [['switching', 'maps'], /unknown system 'maps'; available: soc-dimer/],
  ];
  for (const [args, re] of bad) {
    it(`rejects ${args.slice(2).join(' ') || '(no sweep)'} with a message naming the problem`, async () => {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(re);
    });
  }
});
