// `nanospin torques dot-valve` in-process (torquesDotValveCommand): the JSON contract, the run directory, the
// values against the model, the resonance overlay, the LLG tables, and bad input (errors name the flag and range).
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { torquesDotValveCommand, benchDotValveCommand } from '../src/cli/dotValve.ts';
import { UsageError } from '../src/cli/args.ts';
import { dotValve } from '../src/models/dotValve/params.ts';
import { dotValveState } from '../src/models/dotValve/transport.ts';
import { llgTorqueTable } from '../src/models/dotValve/torqueTable.ts';
import { resonanceVoltages } from '../src/models/dotValve/resonance.ts';
import { REQUIRE_WEBGPU } from './gpu.ts';
import { capture as run } from './cliHarness.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nanospin-dv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


interface Pt { eps: number; V: number; theta: number; tauFL: number; tauDL: number; current: number; occupation: number }

describe('torques dot-valve', () => {
  it('a 2D map: JSON contract in units of Γ, values equal the float64 model, run directory with CSV, .npy, SVG (resonance overlaid), report', async () => {
    const out = join(tmp, 'map');
    const r = await run(torquesDotValveCommand, ['--sweep', 'eps=-400:400:9', '--sweep', 'V=-300:300:7', '--theta', '0.01,0.99', '--backend', 'cpu', '--json', '--quiet', '--out', out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.points).toHaveLength(9 * 7 * 2);
    for (const k of ['eps', 'V', 'theta', 'tauFL', 'tauDL', 'current', 'occupation']) expect(typeof j.points[0][k]).toBe('number');
    expect(j.params.U).toBe(1000);
    expect(j.conventions.units).toMatch(/units of Γ/);
    // eps is ε̃ in Γ, first axis slowest, then θ
    expect(j.points[0].eps).toBe(-400); expect(j.points[0].V).toBe(-300); expect(j.points[0].theta).toBeCloseTo(0.01 * Math.PI, 15);
    expect(j.points[2].V).toBe(-200);
    for (const k of [0, 17, 63, 125]) {
      const p: Pt = j.points[k], s = dotValveState(dotValve({ eps: p.eps, V: p.V }), p.theta);
      // JSON round trip is exact (up to the sign of zero)
      for (const k of ['tauFL', 'tauDL', 'current', 'occupation'] as const) expect(p[k] - s[k], k).toBe(0);
    }
    // the Eq. 4 line: roots of b_S = b_D at each ε̃ within the swept V range
    const eq4 = j.resonance.eq4 as { eps: number; V: number }[];
    const at300 = eq4.filter(q => q.eps === -300).map(q => q.V);
    expect(at300.some(v => Math.abs(v - resonanceVoltages(dotValve({ eps: -300 }), 'eq4', -300, 300)[0]) < 1e-9)).toBe(true);
    expect(at300.some(v => Math.abs(v / 1000 - 0.14853) < 1e-5)).toBe(true);
    for (const f of ['torques.csv', 'rows.npy', 'tauFL.npy', 'tauDL.npy', 'current.npy', 'occupation.npy', 'llg_tables.npy', 'llg_table_nodes.npy', 'resonance.csv', 'manifest.json', 'summary.json', 'report.html',
      'tauFL_theta0p01pi.svg', 'tauDL_theta0p99pi.svg', 'logCurrent_theta0p99pi.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    const svg = readFileSync(join(out, 'tauFL_theta0p99pi.svg'), 'utf8');
    expect(svg).toContain('class="overlay"');
    expect(svg).toMatch(/<path class="overlay-line" d="M[^"]+" fill="none" stroke="#ffffff"[^>]*stroke-dasharray="7 4"/);
    const csv = readFileSync(join(out, 'torques.csv'), 'utf8').split('\n');
    expect(csv[0]).toContain('tauFL');
    expect(csv.filter(l => l.trim()).length).toBe(1 + 9 * 7 * 2);
    const man = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(man.command.slice(0, 2)).toEqual(['torques', 'dot-valve']);
    expect(man.tolerances.cpu).toMatch(/float64/);
  });

  it('LLG tables in the run directory follow the core convention (a_FL = I_FL, a_DL = −I_DL on u_k)', async () => {
    const out = join(tmp, 'tables');
    const r = await run(torquesDotValveCommand, ['--sweep', 'eps=200:250:2', '--V', '100', '--theta', '0.5', '--table', '9', '--backend', 'cpu', '--quiet', '--out', out]);
    expect(r.code).toBe(0);
    const buf = readFileSync(join(out, 'llg_tables.npy'));
    const headerLen = buf.readUInt16LE(8), data = new Float64Array(buf.buffer.slice(buf.byteOffset + 10 + headerLen, buf.byteOffset + buf.length));
    expect(buf.toString('latin1', 10, 10 + headerLen)).toContain('(2, 2, 9)');
    const t = llgTorqueTable(dotValve({ eps: 250, V: 100 }), 9);
    for (let k = 0; k < 9; k++) {
      expect(data[(1 * 2 + 0) * 9 + k]).toBe(t.fieldLike[k]);
      expect(data[(1 * 2 + 1) * 9 + k]).toBe(t.dampingLike[k]);
    }
  });

  it('a θ-cut at one point (Fig. 4 inset): 101 angles by default, the line chart, --unit meV adds physical values', async () => {
    const out = join(tmp, 'cut');
    const r = await run(torquesDotValveCommand, ['--backend', 'cpu', '--json', '--quiet', '--unit', 'meV', '--gamma-mev', '8', '--out', out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.points).toHaveLength(101);
    expect(j.points[0].eps).toBe(250); expect(j.points[0].V).toBe(-150);
    expect(j.points[100].theta).toBe(Math.PI);
    expect(j.points[100].tauFL).toBeCloseTo(-2.59, 2);
    expect(j.points[50].epsMeV).toBe(2000);
    expect(j.points[50].tauFLmeV).toBeCloseTo(8 * j.points[50].tauFL, 12);
    expect(existsSync(join(out, 'theta_cut.svg'))).toBe(true);
  });

  it('the webgpu backend gives the same map within the stated float32 tolerance', async () => {
    const out = join(tmp, 'gpu');
    const args = ['--sweep', 'eps=-450:450:7', '--sweep', 'V=-450:450:5', '--theta', '0.3,0.9', '--table', '0', '--json', '--quiet'];
    const r = await run(torquesDotValveCommand, [...args, '--backend', 'webgpu', '--out', out]).catch(e => { if (REQUIRE_WEBGPU) throw e; return null; });
    if (!r) return;
    const c = await run(torquesDotValveCommand, [...args, '--backend', 'cpu', '--out', join(tmp, 'gpu-cpu')]);
    const g = JSON.parse(r.out), h = JSON.parse(c.out);
    expect(g.backend).toBe('webgpu');
    g.points.forEach((p: Pt, k: number) => {
      const q: Pt = h.points[k], m = Math.max(Math.abs(q.tauFL), Math.abs(q.tauDL), 1e-3);
      expect(Math.abs(p.tauFL - q.tauFL)).toBeLessThan(2e-3 * m);
      expect(Math.abs(p.tauDL - q.tauDL)).toBeLessThan(2e-3 * m);
    });
  });

  it('bad input: errors name the flag and its range, and a bad --out fails before any computation', async () => {
    const cases: [string[], RegExp][] = [
      [['--p', '1.5'], /--p must be ≥ 0 and ≤ 1/],
      [['--pD', '-0.2'], /--pD must be ≥ 0 and ≤ 1/],
      [['--U', '0'], /--U must be > 0/],
      [['--T', '-1'], /--T must be > 0/],
      [['--gammaS', '0'], /--gammaS must be > 0/],
      [['--gammaD', '-1'], /--gammaD must be > 0/],
      [['--sweep', 'eps='], /--sweep eps: empty range/],
      [['--sweep', 'eps=0:1:0'], /--sweep eps.*(≥ 1|\[1,)/],
      [['--sweep', 'mu=0:1:3'], /unknown parameter 'mu'.*eps, V/],
      [['--theta', '0:1:1'], /--theta grid.*count ≥ 2/],
      [['--theta', '0.5,1.5'], /--theta: angles must be in \[0, 1\]/],
      [['--theta', ''], /--theta/],
      [['--table', '1'], /--table must be 0 .* or ≥ 2/],
      [['--sweep', 'eps=0:1:3', '--eps', '3'], /--eps and --sweep eps/],
      [['--bogus'], /unknown flag --bogus/],
    ];
    for (const [args, re] of cases) {
      let err: unknown;
      try { await run(torquesDotValveCommand, [...args, '--backend', 'cpu', '--quiet', '--out', join(tmp, 'never')]); } catch (e) { err = e; }
      expect(err, args.join(' ')).toBeInstanceOf(UsageError);
      expect((err as Error).message, args.join(' ')).toMatch(re);
    }
    const t0 = performance.now();
    await expect(run(torquesDotValveCommand, ['--sweep', 'eps=-500:500:256', '--sweep', 'V=-500:500:256', '--backend', 'cpu', '--quiet', '--out', join(tmp, 'map')])).rejects.toThrow(/already exists/);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('--help prints the flags with their units', async () => {
    const r = await run(torquesDotValveCommand, ['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--gammaS <number>/);
    expect(r.out).toMatch(/\[Γ; > 0; default 1000\]/);
    const b = await run(benchDotValveCommand, ['--help']);
    expect(b.out).toMatch(/points\/s/);
  });
});
