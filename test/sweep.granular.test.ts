// Resume, shards and merge on the seed-002 granular commands: N shards merged equal the unsharded run bit for
// bit (every .npy, the CSV, the figures), and the refined-rule check — points spread over the sweep and the
// point of largest |total| — records the same points and numbers however the sweep is cut (every shard checks
// the spread points it holds and its own largest |total|; the merge keeps the largest of those).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifest, sameResults, shardAndMerge } from './sweepHarness.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-sweep-granular-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('shards of the granular commands merge into the unsharded run', () => {
  it('exchange granular: 3 shards, the same arrays and the same refined-rule check', async () => {
    const args = ['exchange', 'granular', '--sweep', 'hB=100:1500:5', '--sweep', 'Jsd=0:5500:3', '--check-points', '3', '--backend', 'cpu', '--quiet'];
    const { whole, merged } = await shardAndMerge(args, tmp, 'gran', 3);
    sameResults(whole, merged);
    const a = manifest(whole).extra.convergence, b = manifest(merged).extra.convergence;
    expect(a.points).toBeGreaterThanOrEqual(3);
    const { seconds: _a, ...ca } = a, { seconds: _b, ...cb } = b;
    expect(cb).toEqual(ca);
    expect(manifest(merged).extra.checkPoints).toMatch(/sharded, every shard checks the spread points it holds/);
    // the shards checked more points (each its own largest |total|) than the sweep keeps: the merge chose among them
    const held = [1, 2, 3].reduce((n, k) => n + JSON.parse(manifest(join(tmp, `gran.shard-${k}`)).params.shard.checks['']).candidates.length, 0);
    expect(held).toBeGreaterThan(a.points);
  }, 60_000);

  it('figures granular (a part per curve and map, each with its checks): 2 shards give the same figures directory', async () => {
    const args = ['figures', 'granular', '--points', '3', '--resolution', '2', '--check-points', '1', '--backend', 'cpu', '--quiet'];
    const { whole, merged } = await shardAndMerge(args, tmp, 'figg', 2);
    expect(sameResults(whole, merged)).toBeGreaterThan(25);
    expect(manifest(merged).extra.checks).toEqual(manifest(whole).extra.checks);
    expect(manifest(whole).extra.checks.points).toBeGreaterThan(10);
  }, 120_000);
});
