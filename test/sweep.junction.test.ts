// Resume, shards and merge on the seed-000 junction commands: N shards merged equal the unsharded run bit for
// bit (every .npy, the CSV, the figures), and the keldysh convergence probe — the 3 largest points of the
// whole sweep re-run with the step doubled and the window halved — comes out the same however the sweep is
// cut: every shard probes its own 3 largest points and the merge keeps the sweep's 3 largest of them.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifest, ok, sameResults, shardAndMerge } from './sweepHarness.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-sweep-junction-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('shards of the junction commands merge into the unsharded run', () => {
  it('exchange junction, keldysh with its convergence probe: 4 shards, the same arrays and the same probe', async () => {
    // the largest points sit in the middle of the μ sweep: the 3 largest fall into different shards
    const args = ['exchange', 'junction', '--sweep', 'mu=-3:3:9', '--window', '10', '--backend', 'cpu', '--quiet'];
    const { whole, merged } = await shardAndMerge(args, tmp, 'exk', 4);
    expect(sameResults(whole, merged)).toBeGreaterThan(10);
    const a = manifest(whole).extra, b = manifest(merged).extra;
    expect(a.convergence.probes).toBe(3);
    expect(a.convergence.stepDoubled).toBeGreaterThan(0);
    expect(b.convergence).toEqual(a.convergence);
    expect(b.imaginaryResidual).toBe(a.imaginaryResidual);
    expect(b.convergenceProbe).toMatch(/every shard probes its own 3 largest points/);
    // each shard probed its own 3 largest, and the sweep's 3 largest lie in more than one shard (the combination matters)
    const cands = [1, 2, 3, 4].flatMap(k => (JSON.parse(manifest(join(tmp, `exk.shard-${k}`)).params.shard.checks['']) as { index: number; key: number }[]).map(c => ({ ...c, k })));
    expect(cands).toHaveLength(9);
    const top = cands.sort((x, y) => y.key - x.key || x.index - y.index).slice(0, 3);
    expect(new Set(top.map(c => c.k)).size).toBeGreaterThan(1);
  }, 60_000);

  it('exchange junction, closed forms over a 2D map: 2 shards', async () => {
    const { whole, merged } = await shardAndMerge(['exchange', 'junction', '--sweep', 'mu=-3:3:7', '--sweep', 'V=-2:2:3', '--method', 'closed', '--quiet'], tmp, 'exc', 2);
    sameResults(whole, merged);
  }, 60_000);

  it('llg junction (exchange fields and the LLG ensemble per point; noise keyed by the global trajectory): 2 shards', async () => {
    const { whole, merged } = await shardAndMerge(['llg', 'junction', '--sweep', 'V=-4:4:5', '--systems', '8', '--time', '20', '--method', 'closed', '--backend', 'cpu', '--quiet'], tmp, 'llgj', 2);
    expect(sameResults(whole, merged)).toBeGreaterThan(12);
  }, 60_000);

  it('figures junction (closed and keldysh runs, maps; one probe per keldysh run): 2 shards give the same figures directory', async () => {
    const args = ['figures', 'junction', '--quick', '--points', '4', '--map-points', '4x3', '--backend', 'cpu', '--quiet'];
    const { whole, merged } = await shardAndMerge(args, tmp, 'figj', 2);
    expect(sameResults(whole, merged)).toBeGreaterThan(30);
    const a = manifest(whole).extra, b = manifest(merged).extra;
    expect(b.keldyshRuns.map((r: { convergence: unknown }) => r.convergence)).toEqual(a.keldyshRuns.map((r: { convergence: unknown }) => r.convergence));
    expect(b.panels).toEqual(a.panels);
    await ok(['--dry-run', '--shard', '2/2', ...args, '--out', join(tmp, 'dry')]);
  }, 90_000);
});
