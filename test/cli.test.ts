// CLI: bad input is rejected with a message naming the flag and its range; `nanospin llg` runs on
// both backends reproduce exact results (Boltzmann equilibrium, damped precession) through the same
// path a user takes, and the run directory reloads.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cliHarness.ts';
import { llgJobFromFlags } from '../src/cli/llg.ts';
import { readNpy } from '../src/io/npy.ts';
import { llgKernel } from '../src/kernels/llg/index.ts';
import { LlgProblem } from '../src/llg/index.ts';
import { webgpuBackend } from './gpu.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-cli-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


describe('bad input', () => {
  const cases: [string[], RegExp][] = [
    [['--temperature', '-1'], /--temperature must be ≥ 0.*\(K\), got -1/],
    [['--temperature', 'NaN'], /--temperature must be a finite number \(K\)/],
    [['--field', '0,nan,1'], /--field must be three finite numbers/],
    [['--field', '1,2'], /--field must be three finite numbers/],
    [['--alpha', '-0.1'], /--alpha must be ≥ 0/],
    [['--S', '0'], /--S must be > 0/],
    [['--dt', '0'], /--dt must be > 0/],
    [['--systems', '2.5'], /--systems must be an integer/],
    [['--backend', 'cuda'], /--backend must be one of auto, webgpu, cpu/],
    [['--temprature', '3'], /unknown flag --temprature \(did you mean --temperature\?\)/],
    [['--time', '10', '--average-from', '10'], /--average-from must be < --time/],
    [['--J', '1'], /--J, --dmi and --init2 need --spins 2/],
    [['--spins', '2', '--pin', '2'], /--pin takes spin indices in \[0, 1\]/],
    [['stray'], /unexpected argument 'stray'/],
    [['--seed'], /--seed needs a value/],
  ];
  for (const [args, msg] of cases) {
    it(`rejects ${args.join(' ')}`, () => { expect(() => llgJobFromFlags(args)).toThrow(msg); });
  }

  it('exits 2 with the message on stderr and writes nothing', async () => {
    const out = join(tmp, 'never');
    const r = await cli(['llg', '--temperature', '-3', '--out', out, '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--temperature must be ≥ 0/);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a config that clashes with physics flags, and a config with a bad temperature', async () => {
    const cfg = join(tmp, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ temperature: -1, spins: [{}] }));
    expect(() => llgJobFromFlags(['--config', cfg])).toThrow(/temperature: must be a finite number in \[0, 100000\] \(bath temperature, K\)/);
    expect(() => llgJobFromFlags(['--config', cfg, '--field', '0,0,1'])).toThrow(/--config replaces the physics flags; remove --field/);
  });

  it('config mistakes are errors, not silent defaults', () => {
    const write = (name: string, obj: unknown) => { const f = join(tmp, name); writeFileSync(f, JSON.stringify(obj)); return f; };
    const spin = { alpha: 0.1, init: [0, 0, 1] };
    expect(() => llgJobFromFlags(['--config', write('typo.json', { temperature: 1, spins: [{ alpah: 0.1 }] })])).toThrow(/spins\[0\]: unknown key 'alpah'/);
    expect(() => llgJobFromFlags(['--config', write('pin.json', { temperature: 1, spins: [{ ...spin, pinned: 'false' }] })])).toThrow(/spins\[0\]\.pinned: must be true or false, got "false"/);
    expect(() => llgJobFromFlags(['--config', write('noalpha.json', { temperature: 300, spins: [{ init: [0, 0, 1] }] })])).toThrow(/spins\[0\]\.alpha: the Gilbert damping α is required/);
    expect(() => llgJobFromFlags(['--config', write('dup.json', { temperature: 1, spins: [spin, spin], couplings: [{ i: 0, j: 1, J: 1 }, { i: 0, j: 1, D: [0, 0, 1] }] })])).toThrow(/pair \(0,1\) given twice/);
    expect(() => llgJobFromFlags(['--config', write('top.json', { temperature: 1, spins: [spin], field: [0, 0, 1] })])).toThrow(/--config \S*top.json: unknown key 'field'/);
  });

  it('--record-every must be a whole number of steps within the run', () => {
    expect(() => llgJobFromFlags(['--dt', '0.01', '--record-every', '0.025'])).toThrow(/--record-every \(0.025 ps\) must be a whole number of --dt steps/);
    expect(() => llgJobFromFlags(['--time', '10', '--record-every', '20'])).toThrow(/--record-every \(20 ps\) must be ≤ --time/);
  });

  it('unknown command', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command 'frobnicate'/);
  });
});

describe('nanospin llg end to end', () => {
  // Macrospin, field along the easy axis: the JSON summary carries the exact Boltzmann ⟨m_z⟩.
  const eq = (backend: string, systems: number, out: string) => ['llg', '--backend', backend, '--systems', String(systems),
    '--temperature', '12', '--field', '0,0,0.3', '--anisotropy', '1', '--alpha', '0.5', '--dt', '0.01', '--time', '60',
    '--average-from', '10', '--seed', '3', '--out', out, '--json', '--quiet'];

  async function checkEquilibrium(backend: string, systems: number) {
    const out = join(tmp, `eq-${backend}`);
    const r = await cli(eq(backend, systems, out));
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.backend).toBe(backend);
    for (const k of ['adapter', 'systems', 'steps', 'mean', 'stderr', 'final', 'switched', 'seconds', 'spinStepsPerSecond']) expect(s).toHaveProperty(k);
    const exact = s.exact.mn as number;
    // Measured mean of per-system time averages within 3 standard errors of the exact value; the
    // standard error must be small enough for the check to mean something (T = 0 would give 1).
    expect(s.stderr.mz).toBeLessThan(0.02);
    expect(Math.abs(s.mean.mz - exact)).toBeLessThan(3 * s.stderr.mz);
    expect(exact).toBeLessThan(0.5);
    // The run directory reloads and agrees with the summary.
    const mean = readNpy(join(out, 'mean_m.npy'));
    expect(mean.shape).toEqual([systems, 1, 3]);
    let mz = 0;
    for (let i = 0; i < systems; i++) mz += (mean.data as Float64Array)[3 * i + 2];
    expect(mz / systems).toBeCloseTo(s.mean.mz, 12);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.commandLine).toContain('nanospin llg');
    expect(manifest.backend).toBe(backend);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['systems.csv', 'trajectories.svg', 'trajectories.npy', 'report.html']));
    expect(readdirSync(tmp).some(f => f.includes('.partial-'))).toBe(false);
  }

  it('cpu: Boltzmann equilibrium of a macrospin matches the exact value', async () => { await checkEquilibrium('cpu', 192); });
  it('webgpu: Boltzmann equilibrium of a macrospin matches the exact value', async (ctx) => {
    if (!(await webgpuBackend())) return ctx.skip();
    await checkEquilibrium('webgpu', 2048);
  });

  for (const backend of ['cpu', 'webgpu']) {
    it(`${backend}: T = 0 damped precession matches the analytic solution`, async (ctx) => {
      if (backend === 'webgpu' && !(await webgpuBackend())) return ctx.skip();
      const r = await cli(['llg', '--backend', backend, '--systems', '4', '--temperature', '0', '--field', '0,0,1', '--alpha', '0.1',
        '--init', '1,0,0', '--dt', '0.005', '--time', '20', '--out', join(tmp, `prec-${backend}`), '--json', '--quiet']);
      expect(r.code, r.err).toBe(0);
      const s = JSON.parse(r.out);
      // Heun is second order: error ~ (ω dt)² ω t ≈ 1e-4 here; float32 adds ~1e-5.
      for (const a of ['mx', 'my', 'mz']) expect(Math.abs(s.final[a] - s.exact[a])).toBeLessThan(5e-4);
      expect(s.stderr.mz).toBe(0); // identical systems at T = 0: no noise at all
    });
  }

  it('a cluster with every spin pinned is refused up front, naming --pin', async () => {
    const r = await cli(['llg', '--backend', 'cpu', '--systems', '2', '--time', '1', '--pin', '0', '--out', join(tmp, 'allpinned'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--pin 0: every spin would be pinned/);
    expect(existsSync(join(tmp, 'allpinned'))).toBe(false);
  });

  it('no exact reference is claimed for an undamped thermal macrospin', async () => {
    for (const extra of [['--alpha', '0']]) {
      const r = await cli(['llg', '--backend', 'cpu', '--systems', '2', '--temperature', '10', '--field', '0,0,0.5', '--time', '1',
        '--out', join(tmp, `noref-${extra[0].slice(2)}`), '--json', '--quiet', ...extra]);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).exact).toBeUndefined();
    }
  });

  it('refuses to overwrite an existing run directory unless asked', async () => {
    const out = join(tmp, 'exists');
    const args = ['llg', '--backend', 'cpu', '--systems', '2', '--time', '1', '--out', out, '--quiet'];
    expect((await cli(args)).code).toBe(0);
    const again = await cli(args);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already exists; pass --overwrite/);
    expect((await cli([...args, '--overwrite'])).code).toBe(0);
  });
});

describe('no WebGPU adapter', () => {
  it('--backend webgpu fails with a clear message; auto falls back to cpu and says so', async () => {
    process.env.NANOSPIN_NO_WEBGPU = '1';
    try {
      const r = await cli(['llg', '--backend', 'webgpu', '--systems', '2', '--time', '1', '--out', join(tmp, 'nogpu'), '--quiet']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--backend webgpu: no WebGPU adapter found.*libgl1-mesa-dri.*--backend cpu/s);
      const a = await cli(['llg', '--backend', 'auto', '--systems', '2', '--time', '1', '--out', join(tmp, 'auto'), '--json', '--quiet']);
      expect(a.code, a.err).toBe(0);
      expect(JSON.parse(a.out).backend).toBe('cpu');
    } finally {
      delete process.env.NANOSPIN_NO_WEBGPU;
    }
  });
});

describe('resource and range guards', () => {
  it('refuses an ensemble that cannot fit in host memory, before allocating it', () => {
    // parameters are stored once per point since the LLG core v2; what grows with --systems is the per-system
    // results `nanospin llg` keeps for systems.csv, checked when the flags are read (before any allocation)
    const d = 12, damping = Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 0.1 : 0));
    const cfg = join(tmp, 'four-spins-tensor.json');
    writeFileSync(cfg, JSON.stringify({ temperature: 1, spins: [{}, {}, {}, {}], damping }));
    expect(() => llgJobFromFlags(['--config', cfg, '--systems', String(2 ** 26)])).toThrow(/--systems: the run needs about [\d.]+ GiB of host memory \(1 point × 67108864 trajectories, every trajectory's results kept\), more than half of this machine's/);
  });
  it('refuses parameters float32 cannot hold on the GPU', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const ens = LlgProblem.fromPoints([{ temperature: 0, spins: [{ S: 1e-35, alpha: 0.1 }] }]);
    await expect(b.run(llgKernel, ens, { dt: 0.01, steps: 1, averageFrom: 0, seed: 1 })).rejects.toThrow(/outside the float32 range/);
  });
});
