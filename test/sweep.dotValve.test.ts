// Resume, shards and merge on the seed-004 dot-valve commands (src/sweeps/chunked.ts, src/runs/sweepRun.ts): for
// `torques dot-valve`, `switching dot-valve` (diagram + torque cut) and `figures dot-valve` (a part per panel: Fig. 4
// maps and inset, the Fig. 2/3 diagram, the torque cut, the inset traces, the FMR spectra), 2 shards merged equal the
// unsharded run bit for bit (every .npy and CSV, the SVG figures up to element ids, in every figure subdirectory); a
// switching run killed with SIGKILL and run again continues from its saved chunks to the bits of an uninterrupted run
// (the LLG noise of trajectory t is keyed by t, so the chunk a trajectory lands in does not matter); a sweep file is the
// flags it stands for (the same command recorded, the same results).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifest, ok, sameResults, savedChunks, shardAndMerge, spawnCli, waitFor } from './sweepHarness.ts';
import { figuresDotValveFromFlags } from '../src/cli/dotValveSwitching.ts';
import { sweepIdentity } from '../src/runs/sweepRun.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-sweep-dv-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TORQUES = ['torques', 'dot-valve', '--sweep', 'eps=-300:300:5', '--sweep', 'V=-200:200:4', '--theta', '0.01,0.99', '--table', '9', '--backend', 'cpu', '--quiet'];
const SWITCHING = ['switching', 'dot-valve', '--sweep', 'eps=-300:300:3', '--sweep', 'V=-150:175:3', '--trajectories', '3', '--time', '20', '--average-from', '10', '--table', '33', '--backend', 'cpu', '--quiet'];
const FIGURES = ['figures', 'dot-valve', '--resolution', '3', '--trajectories', '2', '--time', '20', '--average-from', '10', '--table', '17', '--torque-resolution', '5', '--fmr-trajectories', '2', '--backend', 'cpu', '--quiet'];
const SUBDIRS = ['fig2', 'fig3', 'fig4', 'fig4-inset', 'fmr'];

describe('shards of the dot-valve commands merge into the unsharded run', () => {
  it('torques dot-valve: 2 shards (rows, tables, torque maps with the resonance lines)', async () => {
    const { whole, merged } = await shardAndMerge(TORQUES, tmp, 'tq', 2);
    expect(sameResults(whole, merged)).toBeGreaterThan(15);
    expect(manifest(join(tmp, 'tq.shard-1')).params.shard.parts[0]).toMatchObject({ first: 0, count: 10, points: 20 });
  }, 60_000);

  it('switching dot-valve: 2 shards of the diagram and of the torque cut', async () => {
    const { whole, merged } = await shardAndMerge(SWITCHING, tmp, 'sw', 2);
    expect(sameResults(whole, merged)).toBeGreaterThan(15);
    const s2 = manifest(join(tmp, 'sw.shard-2')).params.shard;
    expect(s2.parts.map((p: { key: string; first: number; count: number }) => [p.key, p.first, p.count])).toEqual([['map', 4, 5], ['cut', 1, 2]]);
    expect(manifest(merged).extra.noiseKeying).toMatch(/one Philox key \(the seed\); trajectory t of the diagram/);
  }, 60_000);

  it('figures dot-valve: 2 shards give the same figures directory (every panel)', async () => {
    const { whole, merged } = await shardAndMerge(FIGURES, tmp, 'fig', 2);
    let n = 0;
    for (const d of SUBDIRS) n += sameResults(join(whole, d), join(merged, d));
    expect(n).toBeGreaterThan(40);
    expect(readdirSync(merged)).toEqual(expect.arrayContaining([...SUBDIRS, 'report.html', 'manifest.json']));
    expect(manifest(join(tmp, 'fig.shard-1')).params.shard.parts.map((p: { key: string }) => p.key)).toEqual(['fig4', 'fig4-inset', 'fig2', 'fig3-cut', 'fig2-inset', 'fmr']);
  }, 90_000);
});

describe('resume', () => {
  it('switching dot-valve killed with SIGKILL, then --resume DIR: continues from its saved chunks to the bits of an uninterrupted run', async () => {
    // 48 points × 512 trajectories: 3 chunks of 16 points (≥ 8192 trajectories each), then the torque cut
    const big = ['switching', 'dot-valve', '--sweep', 'eps=-300:300:8', '--sweep', 'V=-150:175:6', '--trajectories', '512', '--time', '0.5', '--average-from', '0.25', '--table', '9', '--backend', 'cpu'];
    const res = join(tmp, 'res'), killed = spawnCli([...big, '--out', res], { child: true });
    await waitFor(() => savedChunks(res) >= 1).then(() => killed.proc.kill('SIGKILL'));
    await killed.done;
    const done = savedChunks(res);
    // stopped part-way: no run directory, some chunks saved, not all
    expect({ dir: existsSync(res), some: done >= 1, all: done === 4 }).toEqual({ dir: false, some: true, all: false });
    const ref = join(tmp, 'ref');
    await ok([...big, '--quiet', '--out', ref]);   // the uninterrupted run
    const again = await ok(['--resume', res]);   // the command recorded with the chunks
    expect(again.err).toMatch(new RegExp(`resuming from .*res\\.partial-chunks: ${done} finished chunks? of 4`));
    expect(sameResults(ref, res)).toBeGreaterThan(15);
    expect(manifest(res).extra.resumedChunks).toBe(done);
    expect(manifest(res).command).toEqual([...big, '--out', res]);
    expect(existsSync(`${res}.partial-chunks`)).toBe(false);
  }, 90_000);
});

describe('--sweep-file is the flags it stands for', () => {
  it('torques and switching dot-valve (axes and fixed flags): the same command in the manifest and the same results', async () => {
    const cases: { name: string; flags: string[]; file: Record<string, unknown> }[] = [
      { name: 'tq', flags: TORQUES, file: { command: 'torques dot-valve', axes: { eps: '-300:300:5', V: { from: -200, to: 200, count: 4 } }, fixed: { theta: '0.01,0.99', table: 9, backend: 'cpu' }, output: { quiet: true } } },
      { name: 'sw', flags: SWITCHING, file: { command: 'switching dot-valve', axes: { eps: '-300:300:3', V: '-150:175:3' }, fixed: { trajectories: 3, time: 20, 'average-from': 10, table: 33, backend: 'cpu' }, output: { quiet: true } } },
    ];
    for (const c of cases) {
      const f = join(tmp, `${c.name}.json`), out = join(tmp, `${c.name}-file`);
      writeFileSync(f, JSON.stringify(c.file));
      await ok([...c.flags.slice(0, 2), '--sweep-file', f, '--out', out]);
      expect(manifest(out).command).toEqual([...c.flags, '--out', out]);
      expect(manifest(out).extra.sweepFile.file).toBe(f);
      expect(sameResults(join(tmp, `${c.name}-whole`), out)).toBeGreaterThan(15);
    }
  }, 60_000);

  it('figures dot-valve: a file of fixed parameters stands for the same flags (the same run identity), an axis is refused', () => {
    const f = join(tmp, 'fig.json');
    writeFileSync(f, JSON.stringify({ command: 'figures dot-valve', fixed: { resolution: 3, trajectories: 2, time: 20, 'average-from': 10, table: 17, 'torque-resolution': 5, 'fmr-trajectories': 2, backend: 'cpu' }, output: { quiet: true } }));
    const p = figuresDotValveFromFlags(['--sweep-file', f]);
    if (p === 'help') throw new Error('help');
    expect(p.argv).toEqual(FIGURES.slice(2));
    expect(p.sweepFile.resolved?.fixed.resolution).toBe(3);
    expect(sweepIdentity(['figures', 'dot-valve', ...p.argv, '--out', 'x'])).toEqual(sweepIdentity([...FIGURES, '--out', 'y']));
    writeFileSync(f, JSON.stringify({ command: 'figures dot-valve', axes: { eps: '0:1:2' } }));
    expect(() => figuresDotValveFromFlags(['--sweep-file', f])).toThrow(/axes.*unknown axis of 'figures dot-valve'/);
  });
});
