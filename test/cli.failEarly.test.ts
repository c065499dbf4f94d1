// Fail early, fail clearly, never destroy data (issues "Fail early…" and "Never destroy data…"): every
// refusal exits 2 with one line naming the flag and what to do, no stack trace, nothing left on disk, and —
// checked by spying on the LLG kernel — before any computation starts.
import { describe, it, expect, vi, afterEach, beforeAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from './cliHarness.ts';
import { llgKernel } from '../src/kernels/llg/index.ts';
import { closedFormsKernel } from '../src/kernels/exchange/index.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-early-')); });
afterEach(() => { vi.restoreAllMocks(); });

/** Run the CLI with the LLG and closed-form kernels spied on: refusals must come before either runs. */
async function refused(args: string[], message: RegExp): Promise<string> {
  const llg = vi.spyOn(llgKernel, 'cpu'), llgGpu = vi.spyOn(llgKernel, 'webgpu'), closed = vi.spyOn(closedFormsKernel, 'cpu');
  const r = await cli(args);
  expect(r.code, r.err).toBe(2);
  expect(r.err).toMatch(message);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at /);   // no stack trace
  expect(llg).not.toHaveBeenCalled(); expect(llgGpu).not.toHaveBeenCalled(); expect(closed).not.toHaveBeenCalled();
  return r.err;
}

const LONG_DEMO = ['demo', '--backend', 'cpu', '--quiet', '--time', '100000'];

describe('the output location is checked before any work', () => {
  it('refuses an empty --out', async () => {
    await refused([...LONG_DEMO, '--out', ''], /--out must name a directory/);
  });
  it('refuses an existing directory without --overwrite, and a non-nanospin directory even with it (nothing touched)', async () => {
    const d = join(tmp, 'someone-elses');
    mkdirSync(d); writeFileSync(join(d, 'thesis.tex'), 'precious');
    await refused([...LONG_DEMO, '--out', d], /--out .*someone-elses: the directory already exists; pass --overwrite/);
    await refused([...LONG_DEMO, '--out', d, '--overwrite'], /not a nanospin run directory .* --overwrite leaves it alone/);
    expect(readdirSync(d)).toEqual(['thesis.tex']);
  });
  it('--overwrite on a directory of runs (or the working directory, or /) deletes nothing', async () => {
    const runs = join(tmp, 'runs');
    for (const k of [1, 2, 3]) { mkdirSync(join(runs, `r${k}`), { recursive: true }); writeFileSync(join(runs, `r${k}`, 'manifest.json'), JSON.stringify({ nanospin: '0.1.0', commandLine: 'nanospin demo' })); }
    await refused([...LONG_DEMO, '--out', runs, '--overwrite'], /not a nanospin run directory/);
    expect(readdirSync(runs).sort()).toEqual(['r1', 'r2', 'r3']);
    await refused([...LONG_DEMO, '--out', '.', '--overwrite'], /refusing to overwrite the filesystem root, home or current directory/);
    await refused([...LONG_DEMO, '--out', '/', '--overwrite'], /refusing to overwrite the filesystem root/);
  });
  it('refuses a file in the way, a parent that is a file, and special file systems', async () => {
    const f = join(tmp, 'a-file');
    writeFileSync(f, 'x');
    await refused([...LONG_DEMO, '--out', f], /a file \(not a directory\) is in the way/);
    await refused([...LONG_DEMO, '--out', join(f, 'sub')], /a-file is a file, not a directory/);
    await refused([...LONG_DEMO, '--out', '/proc/x'], /\/proc is a special file system/);
  });
  it('removes the partial directory a killed run left behind, and says so', async () => {
    const out = join(tmp, 'after-kill');
    mkdirSync(`${out}.partial-999999`);   // no such process
    const r = await cli(['llg', '--backend', 'cpu', '--systems', '2', '--time', '0.1', '--quiet', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/removed .*after-kill\.partial-999999, left by an interrupted run/);
    expect(existsSync(`${out}.partial-999999`)).toBe(false);
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
  });
});

describe('sizes and messages that name the flags the user gave', () => {
  it('sweep sizes come from the specs alone, before any allocation', async () => {
    await refused(['exchange', 'junction', '--sweep=mu=-3:3:1e9', '--method', 'closed', '--out', join(tmp, 'x1')], /--sweep mu: the count '1e9' must be an integer in \[1, 16777216\]/);
    await refused(['exchange', 'junction', '--sweep', 'mu=-3:3:4000', '--sweep', 'V=-1:1:4000', '--method', 'closed', '--out', join(tmp, 'x1')], /mu 4000 × V 4000 = 16000000 points, more than the 4000000/);
    await refused(['switching', 'soc-dimer', '--sweep', 'muF=-6:6:5000', '--sweep', 'V=-10:10:5000', '--out', join(tmp, 'x2')], /--sweep: muF 5000 × V 5000 = 25000000 points/);
  });
  it('steps and trajectories name --time/--dt and the grid flags, bad bounds are named, a missing value beats "given twice"', async () => {
    await refused(['demo', '--dt', '1e-9', '--time', '10', '--out', join(tmp, 'x3')], /--time\/--dt: 1\.000e\+10 steps, more than/);
    await refused(['demo', '--fields', '0:3:30000', '--temperatures', '0:6:30000', '--out', join(tmp, 'x3')], /--fields × --temperatures × --trajectories: .* trajectories, more than the 4294967295/);
    await refused(['llg', '--sweep', 'x', '--out', join(tmp, 'x3')], /unknown flag --sweep/);
    await refused(['exchange', 'junction', '--sweep', 'V=a:b:3', '--out', join(tmp, 'x3')], /--sweep V: the start 'a' and the end 'b' are not finite numbers/);
    await refused(['llg', '--seed', '1', '--seed', '--out', join(tmp, 'x3')], /--seed needs a value \(and is given twice\)/);
    await refused(['llg', '--dt', '2', '--time', '1', '--out', join(tmp, 'x3')], /--dt \(2 ps\) must be ≤ --time \(1 ps\)/);
  });
  it('a step far too large for the fields and a huge trajectory recording are refused unless --force', async () => {
    await refused(['llg', '--S', '1e-30', '--field', '0,0,1', '--out', join(tmp, 'x4')], /--dt 0\.01 ps is too large: .*ω·dt ≈ .*use --dt ≤ .* or pass --force/);
    await refused(['llg', '--record', '64', '--record-every', '0.01', '--time', '1e5', '--out', join(tmp, 'x4')], /writes \d+ MiB of trajectories .* or pass --force/);
  });
  it('--dry-run of a benchmark is refused instead of measuring', async () => {
    await refused(['--dry-run', 'bench', 'llg', '--rounds', '1'], /--dry-run: 'nanospin bench llg' measures this machine and writes no run directory/);
  });
  it('every spin pinned is refused', async () => {
    await refused(['llg', '--spins', '2', '--pin', '0,1', '--out', join(tmp, 'x5')], /--pin 0,1: every spin would be pinned/);
  });
  it('command groups answer --help; a missing system is named with a suggestion; --version', async () => {
    for (const g of ['switching', 'exchange', 'figures', 'bench', 'couplings', 'llg junction']) {
      const r = await cli([...g.split(' '), '--help']);
      expect(r.code, g).toBe(0);
      expect(r.out).toMatch(/nanospin/);
    }
    const r = await cli(['exchange', '--method', 'closed']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/exchange: missing system before '--method'; available: junction, granular \(did you mean 'nanospin exchange junction'\?\)/);
    const v = await cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^nanospin \d+\.\d+\.\d+/);
  });
});

describe('results that are not results', () => {
  it('a run whose observables end non-finite fails (exit 1), says how many and why, and writes nothing', async () => {
    const out = join(tmp, 'nan');
    const r = await cli(['llg', '--backend', 'cpu', '--systems', '3', '--time', '0.1', '--field', '1e306,0,0', '--force', '--quiet', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/3 of 3 systems ended with a non-finite m \(NaN or ∞\); nothing was written\. The fastest precession .* lower --dt/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
  it('the default map axes a user did not give are announced and recorded', async () => {
    const out = join(tmp, 'soc-default-axis');
    const r = await cli(['switching', 'soc-dimer', '--sweep', 'muF=-6:6:3', '--trajectories', '1', '--time', '0.2', '--average-from', '0.1', '--backend', 'cpu', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/no --sweep V=… given, so the default axis V=-10:10:128 is used/);
    const m = JSON.parse((await import('node:fs')).readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m.params.defaultAxes).toEqual(['V=-10:10:128']);
  });
  it('statistics: Wilson intervals are finite-width at p = 0 and 1; a single trajectory has no standard error (null)', async () => {
    const out = join(tmp, 'wilson');
    const r = await cli(['demo', '--backend', 'cpu', '--fields', '0:3:2', '--temperatures', '0:1:2', '--trajectories', '4', '--time', '5', '--quiet', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const { readNpy } = await import('../src/io/npy.ts');
    const p = readNpy(join(out, 'p_switch.npy')).data, lo = readNpy(join(out, 'p_switch_lo.npy')).data, hi = readNpy(join(out, 'p_switch_hi.npy')).data;
    for (let k = 0; k < p.length; k++) {
      expect(Number(lo[k])).toBeLessThanOrEqual(Number(p[k]));
      expect(Number(hi[k])).toBeGreaterThanOrEqual(Number(p[k]));
      expect(Number(hi[k]) - Number(lo[k])).toBeGreaterThan(0.05);   // n = 4: wide, also at p = 0 or 1
    }
    const one = await cli(['llg', '--backend', 'cpu', '--systems', '1', '--temperature', '5', '--alpha', '0.3', '--time', '1', '--quiet', '--json', '--out', join(tmp, 'one')]);
    expect(one.code, one.err).toBe(0);
    expect(JSON.parse(one.out).stderr.mz).toBeNull();
  });
});

describe('Ctrl-C', () => {
  it('SIGINT during a run: exit 130, one line saying nothing was written, no partial directory left', async () => {
    const out = join(tmp, 'interrupted');
    const bin = fileURLToPath(new URL('../bin/nanospin.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'demo', '--backend', 'cpu', '--time', '100000', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const started = new Promise<void>(resolve => child.stderr.on('data', d => { err += String(d); if (/demo: /.test(err)) resolve(); }));
    await started;
    child.kill('SIGINT');
    const code = await new Promise<number | null>(resolve => child.on('close', c => resolve(c)));
    expect(code).toBe(130);
    expect(err).toMatch(/nanospin: interrupted; nothing was written/);
    expect(readdirSync(tmp).filter(n => n.startsWith('interrupted'))).toEqual([]);
  });
});
