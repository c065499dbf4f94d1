// Resume, shards and merge on the SOC-dimer commands (src/sweeps/chunked.ts, src/runs/sweepRun.ts): N shards
// merged equal the unsharded run bit for bit (every .npy, the CSV and the figures), a run killed with SIGKILL
// and run again continues from its saved chunks to the bits of an uninterrupted run (also a figures command of
// several sweeps), chunks of another nanospin version are refused, and a sweep file is the flags it stands for
// (same command in the manifest, same arrays, `nanospin rerun` repeats it, shards from either merge).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cliHarness.ts';
import { manifest, ok, sameResults, savedChunks, shardAndMerge, spawnCli, waitFor } from './sweepHarness.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-sweep-soc-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FAST = ['--trajectories', '8', '--time', '4', '--average-from', '2', '--backend', 'cpu', '--quiet'];
const MAP = ['switching', 'soc-dimer', '--sweep', 'muF=-3:3:4', '--sweep', 'V=-4:4:3', ...FAST];

describe('shards of the SOC-dimer commands merge into the unsharded run', () => {
  it('switching soc-dimer: 3 shards (every array, points.csv and the maps)', async () => {
    const { whole, merged } = await shardAndMerge(MAP, tmp, 'sw', 3);
    expect(sameResults(whole, merged)).toBeGreaterThan(15);
    expect(manifest(merged).command.slice(0, 6)).toEqual(MAP.slice(0, 6));
  }, 60_000);

  it('llg soc-dimer: 2 shards', async () => {
    const { whole, merged } = await shardAndMerge(['llg', 'soc-dimer', '--sweep', 'V=-4:4:5', ...FAST], tmp, 'llg', 2);
    sameResults(whole, merged);
  }, 60_000);

  it('couplings soc-dimer: 3 shards', async () => {
    const { whole, merged } = await shardAndMerge(['couplings', 'soc-dimer', '--sweep', 'muF=-3:3:5', '--sweep', 'V=-4:4:4', '--backend', 'cpu', '--quiet'], tmp, 'coup', 3);
    sameResults(whole, merged);
  }, 60_000);

  it('figures soc-dimer (two maps and two bias sweeps): 2 shards give the same figures directory', async () => {
    const args = ['figures', 'soc-dimer', '--resolution', '5', '--bias-points', '3', '--trajectories', '4', '--backend', 'cpu', '--quiet'];
    const { whole, merged } = await shardAndMerge(args, tmp, 'figs', 2);
    expect(sameResults(whole, merged)).toBeGreaterThan(30);
    // each shard holds its share of every part
    const s1 = manifest(join(tmp, 'figs.shard-1')).params.shard;
    expect(s1.parts.map((p: { key: string }) => p.key)).toEqual(['map-weak', 'map-strong', 'fig4', 'fig5']);
    expect(existsSync(join(tmp, 'figs.shard-1', 'shard-map-weak.npy'))).toBe(true);
  }, 60_000);
});

describe('resume', () => {
  it('switching soc-dimer killed with SIGKILL continues from its saved chunks to the bits of an uninterrupted run', async () => {
    const big = ['switching', 'soc-dimer', '--sweep', 'muF=-3:3:8', '--sweep', 'V=-4:4:4', '--trajectories', '16', '--time', '8', '--average-from', '4', '--backend', 'cpu'];
    const ref = join(tmp, 'ref'), res = join(tmp, 'res');
    await ok([...big, '--quiet', '--out', ref]);
    const first = spawnCli([...big, '--out', res], { child: true });
    await waitFor(() => savedChunks(res) >= 4);
    first.proc.kill('SIGKILL');
    await first.done;
    expect(existsSync(res)).toBe(false);
    const done = savedChunks(res);
    expect(done).toBeGreaterThanOrEqual(4);
    const again = await spawnCli([...big, '--out', res]).done;
    expect(again.code, again.err).toBe(0);
    expect(again.err).toMatch(new RegExp(`resuming from .*res\\.partial-chunks: ${done} finished chunks of 32`));
    sameResults(ref, res);
    expect(manifest(res).extra.resumedChunks).toBe(done);
    expect(existsSync(`${res}.partial-chunks`)).toBe(false);
  }, 60_000);

  it('figures soc-dimer killed mid-run resumes every part (maps and bias sweeps) to the same figures', async () => {
    const args = ['figures', 'soc-dimer', '--resolution', '6', '--bias-points', '4', '--trajectories', '8', '--backend', 'cpu'];
    const ref = join(tmp, 'fref'), res = join(tmp, 'fres');
    await ok([...args, '--quiet', '--out', ref]);
    const first = spawnCli([...args, '--out', res], { child: true });
    await waitFor(() => savedChunks(res) >= 12);
    first.proc.kill('SIGKILL');
    await first.done;
    expect(existsSync(`${res}.partial-chunks/map-weak`)).toBe(true);
    const again = await spawnCli([...args, '--quiet', '--out', res]).done;
    expect(again.code, again.err).toBe(0);
    sameResults(ref, res);
    expect(manifest(res).extra.resumedChunks).toBeGreaterThanOrEqual(12);
  }, 60_000);

  it('refuses to resume chunks written by another nanospin version (and keeps them)', async () => {
    const out = join(tmp, 'oldversion');
    const run = spawnCli([...MAP.map(a => (a === '8' ? '64' : a)), '--out', out], { child: true });
    await waitFor(() => savedChunks(out) >= 1);
    run.proc.kill('SIGKILL');
    await run.done;
    const state = join(`${out}.partial-chunks`, 'sweep.json'), s = JSON.parse(readFileSync(state, 'utf8'));
    writeFileSync(state, JSON.stringify({ ...s, identity: { ...s.identity, version: '0.0.1' } }));
    const command = [...s.identity.command, '--quiet', '--out', out];
    for (const args of [command, ['--resume', out]]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/holds the unfinished chunks of this run written by nanospin 0\.0\.1, and this is nanospin \d+\.\d+\.\d+: chunks of another version are not mixed in/);
      expect(r.err.split('\n').filter(l => l.startsWith('nanospin:'))).toHaveLength(1);
    }
    expect(savedChunks(out)).toBeGreaterThanOrEqual(1);
  }, 60_000);
});

describe('--sweep-file', () => {
  const FILE = {
    command: 'switching soc-dimer', description: 'the map of MAP as a sweep file',
    axes: { muF: '-3:3:4', V: { from: -4, to: 4, count: 3 } },
    fixed: { trajectories: 8, time: 4, 'average-from': 2, backend: 'cpu' },
    output: { quiet: true },
  };

  it('is the flags it stands for: the same command in the manifest, the same arrays; the resolved file is recorded', async () => {
    const f = join(tmp, 'map.json');
    writeFileSync(f, JSON.stringify(FILE));
    const a = join(tmp, 'fromfile'), b = join(tmp, 'fromflags');
    await ok(['switching', 'soc-dimer', '--sweep-file', f, '--out', a]);
    await ok([...MAP, '--out', b]);
    expect(manifest(a).command).toEqual([...MAP, '--out', a]);
    expect(manifest(a).extra.sweepFile.file).toBe(f);
    expect(manifest(a).extra.sweepFile.resolved.axes.map((x: { name: string }) => x.name)).toEqual(['muF', 'V']);
    expect(manifest(a).extra.sweepFile.resolved.fixed).toEqual(FILE.fixed);
    expect(manifest(b).extra.sweepFile).toBeUndefined();
    sameResults(b, a);
    // --help lists the flag
    expect((await cli(['switching', 'soc-dimer', '--help'])).out).toMatch(/--sweep-file <string>/);
  }, 60_000);

  it('nanospin rerun of a run from a sweep file needs no file and gives the same arrays', async () => {
    const a = join(tmp, 'fromfile'), c = join(tmp, 'rerun');
    rmSync(join(tmp, 'map.json'));
    const r = await ok(['rerun', a, '--out', c]);
    expect(r.err).not.toMatch(/reads a sweep file/);
    sameResults(a, c);
    expect(manifest(c).command).toEqual([...MAP, '--out', c]);
  }, 60_000);

  it('shards started from the file and from the flags are shards of one run', async () => {
    const f = join(tmp, 'map2.json');
    writeFileSync(f, JSON.stringify(FILE));
    await ok(['--shard', '1/2', 'switching', 'soc-dimer', '--sweep-file', f, '--out', join(tmp, 'mix.shard-1')]);
    await ok(['--shard', '2/2', ...MAP, '--out', join(tmp, 'mix.shard-2')]);
    await ok(['merge', join(tmp, 'mix.shard-1'), join(tmp, 'mix.shard-2'), '--out', join(tmp, 'mix'), '--quiet']);
    sameResults(join(tmp, 'fromflags'), join(tmp, 'mix'));
    expect(manifest(join(tmp, 'mix')).extra.sweepFile.file).toBe(f);
  }, 60_000);

  it('a file that does not fit the command is refused with the field named (exit 2), before anything runs', async () => {
    const f = join(tmp, 'bad.json');
    writeFileSync(f, JSON.stringify({ ...FILE, fixed: { ...FILE.fixed, trajectories: 0 } }));
    const r = await cli(['switching', 'soc-dimer', '--sweep-file', f, '--out', join(tmp, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/fixed\.trajectories: must be an integer ≥ 1/);
    const g = await cli(['switching', 'soc-dimer', '--sweep-file', f, '--trajectories', '4', '--out', join(tmp, 'bad')]);
    expect(g.code).toBe(2);
    expect(existsSync(join(tmp, 'bad'))).toBe(false);
  });
});
