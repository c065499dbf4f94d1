// Resume, shards and merge on the seed-003 commands: N shards merged equal the unsharded run bit for bit
// (every .npy, the CSV, the figures), and a figures command takes a sweep file of fixed parameters only
// (the same command in the manifest as the flags, the same figures; `nanospin rerun` repeats it).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifest, ok, sameResults, shardAndMerge } from './sweepHarness.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-sweep-vibronic-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FIGS = ['figures', 'vibronic', '--quick', '--resolution', '6', '--fig4-points', '5x4', '--fig5-temperatures', '4', '--fig5-kgrid', '4', '--backend', 'cpu', '--quiet'];

describe('shards of the vibronic commands merge into the unsharded run', () => {
  it('moment vibronic with spectra: 3 shards', async () => {
    const args = ['moment', 'vibronic', '--S', '1', '--sweep', 'J=-2:2:6', '--sweep', 'alpha=-2:2:5', '--spectrum', '--backend', 'cpu', '--quiet'];
    const { whole, merged } = await shardAndMerge(args, tmp, 'mom', 3);
    expect(sameResults(whole, merged)).toBeGreaterThan(5);
  }, 60_000);

  it('figures vibronic (a part per panel of Figs. 2, 4, 5): 2 shards give the same figures directory', async () => {
    const { whole, merged } = await shardAndMerge(FIGS, tmp, 'figv', 2);
    expect(sameResults(whole, merged)).toBeGreaterThan(30);
    expect(manifest(merged).extra.checks).toEqual(manifest(whole).extra.checks);
  }, 60_000);

  it('a sweep file of fixed parameters is the flags; rerun repeats it', async () => {
    const f = join(tmp, 'figs.json');
    writeFileSync(f, JSON.stringify({ command: 'figures vibronic', fixed: { quick: true, resolution: 6, 'fig4-points': '5x4', 'fig5-temperatures': 4, 'fig5-kgrid': 4, backend: 'cpu' }, output: { quiet: true } }));
    const a = join(tmp, 'figfile'), c = join(tmp, 'figrerun');
    await ok(['figures', 'vibronic', '--sweep-file', f, '--out', a]);
    expect(manifest(a).command).toEqual([...FIGS, '--out', a]);
    expect(manifest(a).extra.sweepFile.resolved.fixed.resolution).toBe(6);
    sameResults(join(tmp, 'figv-whole'), a);
    await ok(['rerun', a, '--out', c]);
    sameResults(a, c);
  }, 60_000);
});
