// nanospin rerun DIR --out NEW: the command recorded in DIR/manifest.json runs again and gives the same
// arrays bit for bit (same flags, same seed, counter-based noise), never into DIR itself; a run started
// from a sweep file records the file's arguments, so its rerun needs no file.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rerunCommand, recordedCommand } from '../src/cli/rerun.ts';
import { demoCommand } from '../src/cli/demo.ts';
import { loadSweepFile, type SweepFileCommand } from '../src/sweeps/sweepFile.ts';
import { runDirFlags } from '../src/cli/args.ts';
import { UsageError } from '../src/cli/args.ts';
import { captureOutput } from './cliHarness.ts';

let tmp: string;

/** fn() with stdout dropped and stderr kept. */
const quiet = captureOutput;

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const npys = (dir: string) => readdirSync(dir).filter(f => f.endsWith('.npy')).sort();

// the flags of `nanospin demo` a sweep file may set (a subset is enough to drive it)
const DEMO: SweepFileCommand = {
  command: 'demo', axisFlags: ['fields', 'temperatures'],
  flags: {
    fields: { type: 'string', unit: 'meV', help: 'axis' }, temperatures: { type: 'string', unit: 'K', help: 'axis' },
    trajectories: { type: 'int', help: 'n', min: 1 }, time: { type: 'number', unit: 'ps', help: 't', min: 0, minOpen: true },
    seed: { type: 'int', help: 'seed', min: 0 }, backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'b' },
    ...runDirFlags('demo', 'json'),
  },
};

let A: string;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'nanospin-rerun-'));
  A = join(tmp, 'a');
  const argv = loadSweepFile((() => {
    const f = join(tmp, 'demo.json');
    writeFileSync(f, JSON.stringify({ axes: { fields: '0:3:4', temperatures: { from: 0.5, to: 3, count: 2 } }, fixed: { trajectories: 16, time: 4, seed: 11, backend: 'cpu' }, output: { out: A, quiet: true } }));
    return f;
  })(), DEMO);
  expect((await quiet(() => demoCommand(argv))).value).toBe(0);
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('nanospin rerun', () => {
  it('the sweep file\'s arguments are what the manifest records', () => {
    expect(manifest(A).command).toEqual(['demo', '--fields', '0:3:4', '--temperatures', '0.5:3:2', '--trajectories', '16', '--time', '4', '--seed', '11', '--backend', 'cpu', '--out', A, '--quiet']);
  });

  it('repeats the run into --out NEW with bit-identical arrays', async () => {
    const B = join(tmp, 'b');
    const r = await quiet(() => rerunCommand([A, '--out', B]));
    expect(r.value).toBe(0);
    expect(r.err).toContain(`rerun: nanospin demo --fields 0:3:4`);
    expect(npys(B)).toEqual(npys(A));
    expect(npys(A).length).toBeGreaterThan(3);
    for (const f of npys(A)) expect(readFileSync(join(B, f)).equals(readFileSync(join(A, f)))).toBe(true);
    // the recorded command, with the new --out in place of the old
    expect(manifest(B).command).toEqual(['demo', ...recordedCommand(manifest(A).command.slice(1)), '--out', B]);
    expect(manifest(B).params).toEqual(manifest(A).params);
  });

  it('never writes into DIR or a directory that contains it', async () => {
    const before = readFileSync(join(A, 'manifest.json'), 'utf8');
    for (const args of [[A, '--out', A], [A, '--out', `${A}/`, '--overwrite'], [A, '--out', tmp, '--overwrite']]) {
      const p = quiet(() => rerunCommand(args));
      await expect(p).rejects.toThrow(/choose a new directory/);
      await expect(p).rejects.toBeInstanceOf(UsageError);
    }
    expect(readFileSync(join(A, 'manifest.json'), 'utf8')).toBe(before);
  });

  it('without --out uses the command\'s own default name, not DIR', async () => {
    const cwd = process.cwd(), work = join(tmp, 'cwd');
    mkdirSync(work);
    process.chdir(work);
    try {
      expect((await quiet(() => rerunCommand([A]))).value).toBe(0);
      const made = readdirSync(join(work, 'runs'));
      expect(made.length).toBe(1);
      expect(made[0]).toMatch(/^demo-/);
      expect(readFileSync(join(work, 'runs', made[0], 'p_switch.npy')).equals(readFileSync(join(A, 'p_switch.npy')))).toBe(true);
    } finally { process.chdir(cwd); }
  });

  it('refuses what is not a complete run directory with a recorded command', async () => {
    const bare = join(tmp, 'bare');
    mkdirSync(bare);
    await expect(rerunCommand([bare])).rejects.toThrow(/no manifest\.json there/);
    writeFileSync(join(bare, 'manifest.json'), '{"command": []}');
    await expect(rerunCommand([bare])).rejects.toThrow(/has no command/);
    writeFileSync(join(bare, 'manifest.json'), '{"command": ["frobnicate", "--x"]}');
    await expect(rerunCommand([bare])).rejects.toThrow(/'frobnicate --x' is not a command of this nanospin/);
    writeFileSync(join(bare, 'manifest.json'), '{"command": ');
    await expect(rerunCommand([bare])).rejects.toThrow(/not valid JSON/);
    await expect(rerunCommand([])).rejects.toThrow(/give exactly one run directory/);
    await expect(rerunCommand([A, bare])).rejects.toThrow(/give exactly one run directory/);
    await expect(rerunCommand([A, '--outt', 'x'])).rejects.toThrow(/unknown flag --outt \(did you mean --out\?\)/);
    expect(existsSync(join(tmp, 'x'))).toBe(false);
  });

  it('says when the run was written by another version', async () => {
    const old = join(tmp, 'old');
    mkdirSync(old);
    const m = manifest(A);
    writeFileSync(join(old, 'manifest.json'), JSON.stringify({ ...m, nanospin: '0.0.1' }));
    const r = await quiet(() => rerunCommand([old, '--out', join(tmp, 'from-old')]));
    expect(r.value).toBe(0);
    expect(r.err).toContain('was written by nanospin 0.0.1');
  });
});
