// CLI of seed 003: `moment vibronic` prints exactly the documented point fields (equal to the model at every
// point, Eq. 5 beside ED for S = 1/2), writes a run directory that reloads to the printed numbers, agrees
// between webgpu and cpu; bad input (S, T < 0, NaN) names the flag and its range; `figures vibronic` writes
// every figure's CSV, .npy, SVG and report; `bench vibronic` prints one JSON line per measurement.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { cli } from './cliHarness.ts';
import { webgpuBackend } from './gpu.ts';
import { readNpy } from '../src/io/npy.ts';
import { kPair } from '../src/models/vibronic/hamiltonian.ts';
import { pairSpectrum, thermalMoments } from '../src/models/vibronic/spectrum.ts';
import { eq5Printed } from '../src/models/vibronic/closedForms.ts';
import { MOMENT_TOLERANCE } from '../src/runs/vibronicMoment.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-vibronic-cli-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Point = { J: number; alpha: number; T: number; moment: number; moment1: number; moment2: number; closedForm: number | null };

describe('nanospin moment vibronic', () => {
  let j: { backend: string; S: number; fieldOn: string; points: Point[]; diagonalizationsPerSecond: number; closedFormNote: string };
  let out: string;
  beforeAll(async () => {
    out = join(tmp, 'half');
    const r = await cli(['moment', 'vibronic', '--S', '1/2', '--sweep', 'J=-1:1:5', '--sweep', 'alpha=-1.2:1.2:4', '--temperature', '3', '--backend', 'cpu', '--json', '--quiet', '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    j = JSON.parse(r.out);
  });

  it('prints exactly {J, alpha, T, moment, moment1, moment2, closedForm} per point: ED of H_k and Eq. 5 as printed', () => {
    expect(j.backend).toBe('cpu');
    expect(j.S).toBe(0.5);
    expect(j.fieldOn).toBe('first');
    expect(j.points).toHaveLength(20);
    expect(j.points.slice(0, 4).map(p => p.J)).toEqual([-1, -1, -1, -1]); // first axis slowest
    for (const p of j.points) {
      expect(Object.keys(p)).toEqual(['J', 'alpha', 'T', 'moment', 'moment1', 'moment2', 'closedForm']);
      const th = thermalMoments(pairSpectrum(kPair({ S: 0.5, J: p.J, alpha: p.alpha })), 3);
      expect(p.moment1).toBeCloseTo(th.moment1, 12);
      expect(p.moment2).toBeCloseTo(th.moment2, 12);
      expect(p.moment).toBeCloseTo(p.moment1 + p.moment2, 14);
      expect(p.closedForm).toBe(eq5Printed(p.J, p.alpha, 3));
    }
    // side by side: Eq. 5 is not the moment of H_k
    expect(Math.max(...j.points.map(p => Math.abs(p.closedForm! - p.moment)))).toBeGreaterThan(0.1);
    expect(j.closedFormNote).toMatch(/not the spectrum of H_k/);
  });

  it('writes CSV, .npy, an SVG map, manifest and report; the arrays reload to the printed numbers', () => {
    const files = readdirSync(out);
    for (const f of ['points.csv', 'moment.npy', 'moment1.npy', 'moment2.npy', 'groundEnergy.npy', 'closed_form_eq5.npy', 'exact_spin_half.npy', 'axis_J.npy', 'axis_alpha.npy', 'moment.svg', 'manifest.json', 'summary.json', 'report.html']) expect(files).toContain(f);
    const m = readNpy(join(out, 'moment.npy'));
    expect(m.shape).toEqual([5, 4]);
    j.points.forEach((p, i) => expect(m.data[i]).toBe(p.moment));
    const csv = readFileSync(join(out, 'points.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(21);
    const head = csv[0].split(','), row = csv[6].split(',').map(Number);
    for (const k of ['J', 'alpha', 'T', 'moment', 'moment1', 'moment2', 'closedForm'] as const) expect(row[head.indexOf(k)]).toBe(j.points[5][k]);
    // exact spin-1/2 closed form agrees with ED
    for (let i = 1; i < csv.length; i++) { const r = csv[i].split(',').map(Number); expect(r[head.indexOf('exactSpinHalf')]).toBeCloseTo(r[head.indexOf('moment')], 12); }
    const man = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(man.commandLine).toContain('moment vibronic --S 1/2 --sweep J=-1:1:5');
    expect(man.params.operator).toMatch(/H_k = J_k S_k·S_k̄ \+ α_k S_k\^z/);
    expect(man.extra.maxAbsEq5MinusED).toBeGreaterThan(0.1);
    expect(readFileSync(join(out, 'moment.svg'), 'utf8')).toMatch(/<svg[\s\S]*S = 1\/2/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('moment.svg');
  });

  it('S = 1 with the field on both spins, a T sweep down to 0 and a spectrum; closedForm is null', async () => {
    const o = join(tmp, 'one');
    const r = await cli(['moment', 'vibronic', '--S', '1', '--J', '-0.5', '--alpha', '0.3', '--sweep', 'T=0:30:4', '--field-on', 'both', '--spectrum', '--backend', 'cpu', '--json', '--quiet', '--out', o]);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.out).points as Point[];
    expect(p.map(x => x.T)).toEqual([0, 10, 20, 30]);
    expect(p.every(x => x.closedForm === null)).toBe(true);
    expect(p[0].moment).toBeCloseTo(-2, 12); // FM pair fully polarized against +α
    expect(p[0].moment1).toBeCloseTo(p[0].moment2, 12);
    expect(Math.abs(p[3].moment)).toBeLessThan(Math.abs(p[1].moment));
    expect(readNpy(join(o, 'spectrum.npy')).shape).toEqual([4, 9]);
    expect(readdirSync(o)).toContain('moment.svg');
  });

  it('webgpu agrees with cpu within the stated float32 tolerance', async (ctx) => {
    if (!(await webgpuBackend())) return ctx.skip();
    const args = ['moment', 'vibronic', '--S', '3/2', '--sweep', 'J=-2:2:9', '--sweep', 'alpha=-2:2:9', '--temperature', '3', '--anisotropy', '0.2', '--json', '--quiet'];
    const g = JSON.parse((await cli([...args, '--backend', 'webgpu', '--out', join(tmp, 'g')])).out), c = JSON.parse((await cli([...args, '--backend', 'cpu', '--out', join(tmp, 'c')])).out);
    expect(g.backend).toBe('webgpu');
    const worst = Math.max(...c.points.map((p: Point, i: number) => Math.max(Math.abs(p.moment1 - g.points[i].moment1), Math.abs(p.moment2 - g.points[i].moment2))));
    expect(worst).toBeLessThanOrEqual(MOMENT_TOLERANCE.webgpu.momentAbsolute['T >= 3 K']);
  });

  it('--backend auto runs spins beyond the device kernels (S > 5) on the float64 twin', async () => {
    const r = await cli(['moment', 'vibronic', '--S', '6', '--J', '1', '--alpha', '0.5', '--json', '--quiet', '--out', join(tmp, 's6')]);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect(o.backend).toBe('cpu');
    expect(o.points[0].moment).toBeCloseTo(thermalMoments(pairSpectrum(kPair({ S: 6, J: 1, alpha: 0.5 })), 3).moment, 12);
  });

  it('webgpu flags fields below float32 resolution of H', async (ctx) => {
    if (!(await webgpuBackend())) return ctx.skip();
    const r = await cli(['moment', 'vibronic', '--S', '1', '--J', '50', '--sweep', 'alpha=1e-6:1e-2:3', '--backend', 'webgpu', '--json', '--out', join(tmp, 'tiny')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).unresolvedFieldPoints).toBe(1);
    expect(r.err).toMatch(/warning: at 1 points \|α\| is below float32 resolution/);
  });

  it('bad input names the flag and its range (exit 2)', async () => {
    const bad: [string[], RegExp][] = [
      [['--S', '0.3'], /--S must be a positive half-integer S ∈ \{1\/2, 1, 3\/2, …, 10\}, got '0.3'/],
      [['--S', '0'], /--S must be a positive half-integer/],
      [['--S', '-1/2'], /--S must be a positive half-integer/],
      [['--S', 'NaN'], /--S must be a positive half-integer/],
      [['--temperature', '-1'], /--temperature must be ≥ 0 \(K\), got -1/],
      [['--temperature', 'NaN'], /--temperature must be a finite number \(K\), got 'NaN'/],
      [['--J', 'NaN'], /--J must be a finite number \(meV\), got 'NaN'/],
      [['--alpha', 'Infinity'], /--alpha must be a finite number \(meV\)/],
      [['--sweep', 'T=-2:2:3'], /--sweep T: temperatures must be ≥ 0 K, got -2/],
      [['--sweep', 'J=NaN:1:3'], /--sweep J: .*finite/],
      [['--sweep', 'beta=0:1:2'], /--sweep: unknown parameter 'beta'; sweepable: J, alpha, T/],
      [['--sweep', 'J=0:1:2', '--J', '1'], /--J and --sweep J=… both given/],
      [['--field-on', 'second'], /--field-on must be one of first, both, got 'second'/],
    ];
    for (const [args, msg] of bad) {
      const r = await cli(['moment', 'vibronic', ...args, '--backend', 'cpu', '--quiet', '--out', join(tmp, 'bad')]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(msg);
    }
  });

  it('big maps are drawn as one embedded PNG (full resolution), oriented like the axes', async () => {
    const o = join(tmp, 'raster');
    const r = await cli(['moment', 'vibronic', '--S', '1', '--sweep', 'alpha=-2:2:60', '--sweep', 'J=-2:2:80', '--backend', 'cpu', '--quiet', '--out', o]);
    expect(r.code).toBe(0);
    const svg = readFileSync(join(o, 'moment.svg'), 'utf8');
    expect(svg).not.toContain('class="cell"');
    const b64 = /class="cells-raster"[^>]*href="data:image\/png;base64,([^"]+)"/.exec(svg)![1];
    const png = Buffer.from(b64, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([80, 60]);
    const idat = png.indexOf('IDAT'), len = png.readUInt32BE(idat - 4), raw = inflateSync(png.subarray(idat + 4, idat + 4 + len));
    expect(raw.length).toBe(60 * (1 + 4 * 80));
    // top-left pixel = largest α, most negative J: FM pair polarized to M = −2 → blue; bottom-left red
    const px = (row: number, col: number) => Array.from(raw.subarray(row * 321 + 1 + 4 * col, row * 321 + 4 + 4 * col));
    const [tr, , tb] = px(0, 0), [br, , bb] = px(59, 0);
    expect(tb).toBeGreaterThan(tr);
    expect(br).toBeGreaterThan(bb);
  });

  it('--help lists the flags with units and ranges', async () => {
    const r = await cli(['moment', 'vibronic', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--field-on <first\|both>/);
    expect(r.out).toMatch(/--temperature <number>[\s\S]*K; ≥ 0/);
  });
});

describe('nanospin figures vibronic --quick', () => {
  it('writes Figs. 2–5 (CSV, .npy, SVG per panel), the chosen parameters in the manifest and the report', async () => {
    const o = join(tmp, 'figs');
    const r = await cli(['figures', 'vibronic', '--quick', '--resolution', '21', '--fig4-points', '11x9', '--fig5-temperatures', '6', '--fig5-kgrid', '4', '--backend', 'cpu', '--json', '--quiet', '--out', o]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out), files = readdirSync(o);
    expect(s.figures.filter((f: { figure: string }) => f.figure === '2')).toHaveLength(4);
    for (const id of ['fig2a_S1_2', 'fig2b_S1', 'fig2c_S3_2', 'fig2d_S2']) for (const ext of ['.svg', '.csv', '_moment.npy']) expect(files).toContain(id + ext);
    expect(readNpy(join(o, 'fig2b_S1_moment.npy')).shape).toEqual([21, 21]);
    for (const f of ['fig3.svg', 'fig3.csv', 'fig3.npy', 'fig3_eq7_check.csv', 'fig4a_omega0p6.svg', 'fig4d_omega2p4_moment.npy', 'fig4b_omega1p2.csv', 'fig5a_J-5.svg', 'fig5d_J50.csv', 'fig5c_J-50_site_moment.npy', 'manifest.json', 'report.html']) expect(files).toContain(f);
    expect(readNpy(join(o, 'fig4a_omega0p6_moment.npy')).shape).toEqual([9, 11]);
    expect(readNpy(join(o, 'fig5a_J-5_site_moment.npy')).shape).toEqual([5, 6]);
    const m = JSON.parse(readFileSync(join(o, 'manifest.json'), 'utf8'));
    expect(m.params.paper.fig2.chosen.J).toEqual([-2, 2]);
    expect(m.params.paper.fig4.chosen.APhi_meV2).toBe(2e-4);
    expect(m.params.paper.fig5.chosen.note).toMatch(/Monkhorst–Pack/);
    expect(m.extra.checks.eq7VsOscillatorED.maxRelativeDifference).toBeLessThan(0.01);
    // Fig. 2 physics: FM side (J_k < 0) magnetised against α, AFM side (J_k > 0, field on one spin) not, at 3 K
    const J = readNpy(join(o, 'fig2_J.npy')).data, al = readNpy(join(o, 'fig2_alpha.npy')).data, mm = readNpy(join(o, 'fig2b_S1_moment.npy')).data;
    const at = (a: number, b: number) => mm[a * 21 + b];
    expect(J[0]).toBe(-2); expect(al[20]).toBe(2);
    expect(at(20, 0)).toBeLessThan(-1.9);
    expect(at(0, 0)).toBeGreaterThan(1.9);
    expect(Math.abs(at(20, 20))).toBeLessThan(0.05);
    // Fig. 5: the AFM moment grows with T for the largest Φ
    const f5 = readNpy(join(o, 'fig5a_J-5_site_moment.npy')).data;
    expect(f5[4 * 6 + 5]).toBeGreaterThan(f5[4 * 6 + 1]);
    expect(readFileSync(join(o, 'report.html'), 'utf8')).toContain('fig2a_S1_2.svg');
  });

  it('bad --fig5-kgrid and --fig4-points are usage errors', async () => {
    let r = await cli(['figures', 'vibronic', '--fig5-kgrid', '7', '--out', join(tmp, 'bad2')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--fig5-kgrid must be even/);
    r = await cli(['figures', 'vibronic', '--fig4-points', '3', '--out', join(tmp, 'bad2')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--fig4-points must be NxM/);
  });
});

describe('nanospin bench vibronic', () => {
  it('one JSON line per (backend, S, path) with diagonalizations per second and the ratio to cpu', async () => {
    const r = await cli(['bench', 'vibronic', '--spins', '1/2,2', '--paths', 'blocks', '--backends', 'cpu', '--cpu-points', '200', '--rounds', '1', '--json']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map(l => JSON.parse(l));
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l.benchmark).toBe('vibronic-pair-ed');
      expect(l.backend).toBe('cpu');
      expect(l.diagonalizationsPerSecond).toBeGreaterThan(0);
      expect(l.ratioToCpu).toBe(1);
      expect(l.machine.cpus).toBeGreaterThan(0);
    }
    expect(lines.map(l => l.spin)).toEqual(['1/2', '2']);
    expect(lines[1].dimension).toBe(25);
  });
});
