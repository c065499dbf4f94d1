// `nanospin exchange granular` and `nanospin figures granular`, called in-process: the JSON contract, the run
// directory (reloaded), the convergence and twin records of the manifest, and bad input naming its flag.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchangeGranularCommand, figuresGranularCommand } from '../src/cli/granular.ts';
import { UsageError } from '../src/cli/args.ts';
import { OutputError } from '../src/io/runDir.ts';
import { readNpy } from '../src/io/npy.ts';
import { webgpuBackend } from './gpu.ts';
import { capture as run } from './cliHarness.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-granular-cli-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


describe('nanospin exchange granular', () => {
  it('2D sweep on the twin: {points:[{hB, Jsd, eps, hopping, coulomb, total, …}]} in meV, run directory, convergence record', async () => {
    const out = join(tmp, 'map');
    const r = await run(exchangeGranularCommand, ['--sweep', 'hB=200:1000:3', '--sweep', 'Jsd=3000:5500:4', '--backend', 'cpu', '--json', '--out', out, '--quiet', '--check-points', '3']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.points).toHaveLength(12);
    expect(j.units.energies).toMatch(/meV/);
    for (const p of j.points) {
      for (const k of ['hB', 'Jsd', 'eps', 'hopping', 'coulomb', 'total', 'hv', 'hp', 'heps', 'lloc', 'lec', 'iex']) expect(Number.isFinite(p[k])).toBe(true);
      expect(p.eps).toBe(4.5);
      expect(Math.abs(p.hopping + p.coulomb - p.total)).toBeLessThanOrEqual(1e-12 * (Math.abs(p.hopping) + Math.abs(p.coulomb)));
      expect(Math.abs(p.hv + p.hp + p.heps - p.hopping)).toBeLessThanOrEqual(1e-12 * (Math.abs(p.hv) + Math.abs(p.hp)));
      expect(p.order).toBe(p.total > 0 ? 'FM' : 'AFM');
    }
    // first axis slowest
    expect(j.points.slice(0, 4).every((p: { hB: number }) => p.hB === 200)).toBe(true);
    expect(j.points[1].Jsd).toBeCloseTo(3000 + 2500 / 3, 9);
    // the map has both signs: the sign-change line is drawn
    const svg = readFileSync(join(out, 'map_total.svg'), 'utf8');
    expect(svg).toMatch(/<path class="overlay-line" d="M[\d.]+,[\d.]+L[^"]*" fill="none" stroke="#000"/);
    const terms = readNpy(join(out, 'terms.npy'));
    expect(terms.shape).toEqual([3, 4, 10]);
    expect(terms.data[10 * 5 + 9]).toBeCloseTo(j.points[5].total, 12);
    const man = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(man.extra.convergence.points).toBeGreaterThanOrEqual(3);
    expect(man.extra.convergence.maxRelGross.total).toBeLessThan(1e-4);
    expect(man.extra.normalization).toMatch(/rederived/);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(readFileSync(join(out, 'points.csv'), 'utf8').split('\n')[0]).toMatch(/^hB,Jsd,eps,epsEff,d,a,U,hv_meV/);
  });

  it('--normalization printed changes only the Coulomb prefactors (I_ex ÷ 4, L_loc ÷ 2)', async () => {
    const a = JSON.parse((await run(exchangeGranularCommand, ['--sweep', 'eps=2:6:2', '--backend', 'cpu', '--json', '--out', join(tmp, 'n1'), '--quiet', '--check-points', '0'])).out);
    const b = JSON.parse((await run(exchangeGranularCommand, ['--sweep', 'eps=2:6:2', '--normalization', 'printed', '--backend', 'cpu', '--json', '--out', join(tmp, 'n2'), '--quiet', '--check-points', '0'])).out);
    a.points.forEach((p: Record<string, number>, i: number) => {
      const q = b.points[i];
      expect(q.iex * 4).toBeCloseTo(p.iex, 12);
      expect(q.lloc * 2).toBeCloseTo(p.lloc, 12);
      expect(q.hopping).toBe(p.hopping);
      expect(q.lec).toBe(p.lec);
      expect(a.points[0].epsEff).toBeUndefined();
    });
  });

  it('on webgpu the manifest records the float32-vs-twin change (≤ 2e-6 of Σ|pieces|)', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const out = join(tmp, 'gpu');
    const r = await run(exchangeGranularCommand, ['--sweep', 'Jsd=0:6000:7', '--hB', '300', '--backend', 'webgpu', '--out', out, '--quiet', '--check-points', '7']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/webgpu vs float64 twin/);
    const man = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(man.backend).toBe('webgpu');
    expect(man.extra.twin.maxRelGross.total).toBeLessThan(2e-6);
    expect(man.extra.twin.points).toBe(7);
  });

  const bad: [string[], RegExp][] = [
    [['--sweep', 'hB=0:100:3'], /--sweep hB: values must be in \[1, 10000\] meV, got 0/],
    [['--hB', '6000'], /--hB must be below U/],
    [['--d', '9'], /--d must be ≥ 0.1 and ≤ 5 \(nm\), got 9/],
    [['--sweep', 'kappa=0:1:3'], /unknown parameter 'kappa'; sweepable: hB, Jsd, eps/],
    [['--sweep', 'hB=100:200:100000', '--sweep', 'Jsd=0:1:100000'], /10000000000 points is more than the 1048576/],
    [['--sweep', 'hB=100:200:2', '--sweep', 'Jsd=0:1:2', '--sweep', 'eps=1:2:2', '--sweep', 'a=1:2:2'], /at most 3 axes/],
    [['--sweep', 'Jsd=0:1:3', '--Jsd', '5'], /--Jsd and --sweep Jsd=… both given/],
    [['--normalization', 'paper'], /--normalization must be one of rederived, printed/],
  ];
  for (const [args, re] of bad) {
    it(`refuses ${args.join(' ')}`, async () => {
      const t0 = performance.now();
      await expect(run(exchangeGranularCommand, [...args, '--out', join(tmp, 'bad'), '--quiet', '--backend', 'cpu'])).rejects.toThrow(UsageError);
      await expect(run(exchangeGranularCommand, [...args, '--out', join(tmp, 'bad'), '--quiet', '--backend', 'cpu'])).rejects.toThrow(re);
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(existsSync(join(tmp, 'bad'))).toBe(false);
    });
  }

  it('an existing --out fails before any computation', async () => {
    const out = join(tmp, 'exists');
    mkdirSync(out);
    await expect(run(exchangeGranularCommand, ['--sweep', 'Jsd=0:5000:400', '--out', out, '--backend', 'cpu', '--quiet'])).rejects.toThrow(OutputError);
  });
});

describe('nanospin figures granular', () => {
  it('regenerates Figs. 2–7 and the two maps with CSV, .npy, SVG and report.html', async () => {
    const out = join(tmp, 'figs');
    const r = await run(figuresGranularCommand, ['--points', '5', '--resolution', '3', '--backend', 'cpu', '--check-points', '1', '--json', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    for (const id of ['fig2a', 'fig2b', 'fig3a', 'fig3b', 'fig4a', 'fig4b', 'fig5a', 'fig5b', 'fig6a', 'fig6b', 'fig7']) {
      for (const ext of ['svg', 'csv', 'npy']) expect(existsSync(join(out, `${id}.${ext}`))).toBe(true);
    }
    for (const id of ['map_hB_Jsd', 'map_eps_Jsd_h200', 'map_eps_Jsd_h500']) {
      expect(existsSync(join(out, `${id}.svg`))).toBe(true);
      expect(readNpy(join(out, `${id}.npy`)).shape).toEqual([10, 3, 3]);
    }
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/fig7\.svg/);
    expect(j.checks.points).toBeGreaterThan(0);
    expect(j.checks.refinedMaxRelGross).toBeLessThan(1e-3);
    const fig7 = readNpy(join(out, 'fig7.npy'));
    expect(fig7.shape).toEqual([4, 5]);
    expect(fig7.data[0]).toBeGreaterThan(fig7.data[4]);       // red: FM, falling with ε
    expect(fig7.data[4]).toBeGreaterThan(0);
    const man = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(man.params.fig7).toHaveLength(4);
  });
});
