// `nanospin switching dot-valve` in-process: the JSON contract (points [{eps, V, thetaMean, thetaStderr, switched}], energies
// in Γ), the run directory, the dry-run estimate, and bad input refused with the flag and its range (exit 2 through the
// launcher: a UsageError here).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figuresDotValveCommand, figuresDotValveFromFlags, switchingDotValveCommand, switchingJobFromFlags } from '../src/cli/dotValveSwitching.ts';
import { UsageError } from '../src/cli/args.ts';
import { resonanceVoltages } from '../src/models/dotValve/resonance.ts';
import { dotValve } from '../src/models/dotValve/params.ts';
import { captureOutput } from './cliHarness.ts';

const capture = async (f: () => Promise<number>): Promise<{ code: number; out: string; err: string }> => {
  const r = await captureOutput(f);
  return { code: r.value, out: r.out, err: r.err };
};

describe('switching dot-valve: JSON contract and run directory', () => {
  it('a 3 × 2 grid: every point has eps, V (Γ), thetaMean, thetaStderr (rad), switched ∈ [0, 1]; files written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanospin-dvsw-'));
    try {
      const out = join(dir, 'run');
      const r = await capture(() => switchingDotValveCommand(['--sweep', 'eps=-300:300:3', '--sweep', 'V=-150:175:2', '--trajectories', '3', '--time', '20', '--average-from', '10',
        '--table', '33', '--backend', 'cpu', '--json', '--quiet', '--out', out]));
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.points).toHaveLength(6);
      const eps = [-300, 0, 300], V = [-150, 175];
      j.points.forEach((p: Record<string, number>, i: number) => {
        for (const k of ['eps', 'V', 'thetaMean', 'thetaStderr', 'switched']) expect(typeof p[k]).toBe('number');
        expect(p.eps).toBe(eps[i % 3]);            // ε̃ fastest, in Γ (not in U)
        expect(p.V).toBe(V[Math.floor(i / 3)]);
        expect(p.thetaMean).toBeGreaterThanOrEqual(0);
        expect(p.thetaMean).toBeLessThan(0.5);     // 20/Γ from θ = 0: thermal kicks only
        expect(p.thetaStderr).toBeGreaterThan(0);
        expect(p.switched).toBe(0);
        expect(p.thetaMeanOverPi).toBeCloseTo(p.thetaMean / Math.PI, 12);
      });
      expect(j.trajectoriesPerPoint).toBe(3);
      expect(j.params).toMatchObject({ U: 1000, T: 10, pS: 0.99, KV: 0.01, alpha: 0.1, sigma2: 1e-4, dt: 0.01, time: 20, averageFrom: 10, tableNodes: 33, tableGrid: 'zeta' });
      expect(j.params.gammaS).toBeCloseTo(2 / 3, 15);
      expect(j.params.gammaD).toBeCloseTo(4 / 3, 15);
      const vr = resonanceVoltages(dotValve({ eps: -300 }), 'eq4', -150, 175);
      expect(j.resonance.eq4.filter((p: { eps: number }) => p.eps === -300).map((p: { V: number }) => p.V)).toEqual(vr);
      const files = readdirSync(out);
      for (const f of ['manifest.json', 'report.html', 'switching.csv', 'current.csv', 'theta_mean.npy', 'switched.npy', 'fig2_theta_mean.svg', 'fig3_log_current_dynamic.svg', 'fig3_inset_theta0p99pi.svg'])
        expect(files).toContain(f);
      expect(readFileSync(join(out, 'switching.csv'), 'utf8').split('\n')[0]).toContain('thetaMean');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('--dry-run prints the size and a measured estimate and writes nothing', async () => {
    const r = await capture(() => switchingDotValveCommand(['--resolution', '8', '--trajectories', '2', '--time', '100', '--average-from', '50', '--table', '17', '--backend', 'cpu', '--dry-run', '--json']));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ dryRun: true, points: 64, trajectoriesPerPoint: 2, steps: 10000, spinSteps: 64 * 2 * 10000 });
    expect(j.estimatedSeconds).toBeGreaterThan(0);
    expect(r.err).toMatch(/default axis eps=-500:500:8/);
  });

  it('the defaults are the paper\'s protocol on a 256 × 256 × 16 grid', () => {
    const p = switchingJobFromFlags([]);
    if (p === 'help') throw new Error('help');
    expect(p.job.epsAxis.length * p.job.VAxis.length).toBe(65536);
    expect(p.job).toMatchObject({ trajectories: 16, dt: 0.01, time: 2e4, averageFrom: 1e4, magnet: { KV: 0.01, alpha: 0.1, sigma2: 1e-4, S: 1 } });
    expect(p.estimate.spinSteps).toBe(65536 * 16 * 2e6);
  });
});

describe('figures dot-valve', () => {
  it('writes Figs. 2, 3, 4 (+ insets) and the FMR figure, each a run directory with CSV, .npy, SVG and report.html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanospin-dvfig-'));
    try {
      const out = join(dir, 'figs');
      const r = await capture(() => figuresDotValveCommand(['--resolution', '6', '--trajectories', '2', '--time', '40', '--average-from', '20', '--table', '33', '--torque-resolution', '12',
        '--fmr-trajectories', '4', '--json', '--quiet', '--out', out]));
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.fmr).toHaveLength(4);
      const want: Record<string, string[]> = {
        fig2: ['switching.csv', 'theta_mean.npy', 'fig2_theta_mean.svg', 'fig2_inset.svg'], fig3: ['current.csv', 'current_fixed.npy', 'fig3_log_current_dynamic.svg'],
        fig4: ['torques.csv', 'tauFL.npy', 'tauFL_theta0p99pi.svg'], 'fig4-inset': ['torques.csv', 'tauFL.npy', 'theta_cut.svg'], fmr: ['fmr_chi.csv', 'fmr_spectrum_case1.npy', 'fmr_chi.svg'],
      };
      for (const [sub, files] of Object.entries(want)) {
        const have = readdirSync(join(out, sub));
        for (const f of [...files, 'report.html', 'manifest.json']) expect(have, `${sub}/${f}`).toContain(f);
      }
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('fig2/fig2_theta_mean.svg');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('reduced defaults, the paper one flag away', () => {
    const d = figuresDotValveFromFlags([]), p = figuresDotValveFromFlags(['--paper']), q = figuresDotValveFromFlags(['--paper', '--resolution', '32']);
    if (d === 'help' || p === 'help' || q === 'help') throw new Error('help');
    expect([d.job.switching.epsAxis.length, d.job.switching.trajectories, d.job.switching.time, d.job.switching.averageFrom]).toEqual([64, 8, 5000, 2500]);
    expect([p.job.switching.epsAxis.length, p.job.switching.trajectories, p.job.switching.time, p.job.switching.averageFrom]).toEqual([256, 16, 2e4, 1e4]);
    expect(q.job.switching.VAxis.length).toBe(32);
    expect(() => figuresDotValveFromFlags(['--resolution', '1'])).toThrow(/--resolution must be ≥ 2/);
  });
});

describe('switching dot-valve: bad input names the flag and the range', () => {
  const bad: [string[], RegExp][] = [
    [['--p', '1.5'], /--p must be ≥ 0 and ≤ 1/],
    [['--pS', '-0.1'], /--pS must be ≥ 0 and ≤ 1/],
    [['--U', '0'], /--U must be > 0/],
    [['--T', '-1'], /--T must be > 0/],
    [['--gammaS', '0'], /--gammaS must be > 0/],
    [['--gammaD', '-2'], /--gammaD must be > 0/],
    [['--sweep', 'eps='], /--sweep eps: empty range/],
    [['--sweep', 'V=0:1:0'], /--sweep V: the count '0' must be an integer in \[1/],
    [['--sweep', 'eps=0:1:3', '--sweep', 'eps=0:2:3'], /--sweep eps given twice/],
    [['--sweep', 'mu=0:1:3'], /unknown parameter 'mu'; sweepable: eps, V/],
    [['--table', '1'], /--table must be ≥ 2/],
    [['--trajectories', '0'], /--trajectories must be ≥ 1/],
    [['--time', '100', '--average-from', '100'], /--average-from must be < --time/],
    [['--time', '10.015', '--average-from', '5'], /--time \(10.015\/Γ\) must be a whole number/],
    [['--dt', '0'], /--dt must be > 0/],
    [['--alpha', '0'], /--alpha must be > 0/],
    [['--seed', '-1'], /--seed must be ≥ 0/],
    [['--eps', '10', '--sweep', 'eps=0:1:2'], /--eps and --sweep eps=… both given/],
    [['--sweep', 'eps=0:1:5000'], /at most 4096 points per axis/],
  ];
  it.each(bad)('%j', (argv, msg) => {
    expect(() => switchingJobFromFlags(argv as string[])).toThrow(UsageError);
    expect(() => switchingJobFromFlags(argv as string[])).toThrow(msg);
  });
});
