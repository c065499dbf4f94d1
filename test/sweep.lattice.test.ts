// Resume, shards and merge on the lattice commands (`lattice`, `ordering granular`) and `llg vibronic`: N shards
// merged equal the unsharded run bit for bit (every .npy, the CSV, the figures up to element ids), a lattice run
// killed with SIGKILL and run again continues from its saved chunks to the same bits (a chunk of temperatures is
// one kernel run of its replicas at replica offset first·R, so it draws what the whole sweep draws), and a
// sweep file is the flags it stands for.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAfterChunks, manifest, ok, sameResults, shardAndMerge, spawnCli } from './sweepHarness.ts';
import { webgpuBackend } from './gpu.ts';
import { CpuBackend, type Backend } from '../src/backends/index.ts';
import { latticeFromFlags } from '../src/cli/lattice.ts';
import { latticeChunkPoints, latticePlan } from '../src/runs/lattice.ts';
import { readNpy } from '../src/io/npy.ts';
import { vibronicLangevinFromFlags } from '../src/cli/vibronicLangevin.ts';
import { runVibronicLangevin } from '../src/runs/vibronicLangevin.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-sweep-lattice-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// 8³ grains × 8 replicas = 4096 grains per temperature: one temperature per chunk (CHUNK_GRAINS.min), so the
// T = 0 point is a chunk of its own (the noise is still drawn, as in the whole sweep: σ = 0 adds exactly 0)
const LAT_FIXED = ['--L', '8', '--J', '1', '--K', '0.2', '--field', '0,0,0.1', '--replicas', '8', '--dt', '0.05', '--equilibrate', '1', '--sample', '3', '--sample-every', '0.25', '--init', 'random'];
const LAT = ['lattice', '--sweep', 'temperature=0:20:6', ...LAT_FIXED, '--backend', 'cpu'];
const ORD = ['ordering', 'granular', '--hB', '200', '--Jsd', '5000', '--sizes', '3,4', '--points', '4', '--from', '0.9', '--to', '1.2', '--replicas', '4', '--equilibrate', '2', '--sample', '8', '--backend', 'cpu', '--quiet'];
const VIB = ['llg', 'vibronic', '--sweep', 'T=4:20:4', '--trajectories', '16', '--time', '10', '--average-from', '4', '--backend', 'cpu', '--quiet'];

describe('shards of the lattice commands and llg vibronic merge into the unsharded run', () => {
  // [name, command, result files (.npy, .csv, .svg), webgpu only, further checks on the run directories]
  const CASES: [string, string[], number, boolean, ((whole: string) => Promise<void>)?][] = [
    ['lattice with 3 replicas (blocking errors, two temperatures per chunk)',
      ['lattice', '--sweep', 'temperature=2:20:5', ...LAT_FIXED.map((a, i) => (LAT_FIXED[i - 1] === '--replicas' ? '3' : a)), '--backend', 'cpu', '--quiet'], 6, false],
    ['lattice on webgpu (when an adapter exists)', ['lattice', '--sweep', 'temperature=0:20:4', ...LAT_FIXED, '--backend', 'webgpu', '--quiet'], 6, true],
    ['ordering granular (a part per size), the Binder crossing recomputed by the merge', ORD, 7, false, async () => {
      expect(manifest(join(tmp, 'ord.shard-1')).params.shard.parts.map((p: { key: string }) => p.key)).toEqual(['L3', 'L4']);
      expect(existsSync(join(tmp, 'ord.shard-2', 'shard-L4.npy'))).toBe(true);
    }],
    ['llg vibronic (trajectory offset first·M); one chunk per temperature equals one LLG problem of the whole sweep', VIB, 15, false, async whole => {
      const parsed = vibronicLangevinFromFlags(VIB.slice(2));
      if (parsed === 'help') throw new Error('help');
      const one = await runVibronicLangevin(new CpuBackend(), parsed.job);
      for (const k of ['Q', 'QStderr', 'moment', 'momentStderr'] as const) expect(Array.from(readNpy(join(whole, `${k}.npy`)).data), k).toEqual(one.points.map(p => p[k]));
    }],
  ];
  const NAMES = ['lat', 'latgpu', 'ord', 'vib'];
  CASES.forEach(([title, args, files, gpuOnly, also], c) => it(`${title}: 2 shards`, async () => {
    if (gpuOnly && !(await webgpuBackend())) return;
    const { whole, merged } = await shardAndMerge(args, tmp, NAMES[c], 2);
    expect(sameResults(whole, merged)).toBe(files);
    await also?.(whole);
  }, 30_000));
});

describe('resume', () => {
  it('lattice killed with SIGKILL continues from its saved chunks to the bits of an uninterrupted run', async () => {
    const ref = join(tmp, 'latref'), res = join(tmp, 'latres');
    await ok([...LAT, '--quiet', '--out', ref]);
    const done = await killAfterChunks([...LAT, '--out', res], res, 2);
    expect([existsSync(res), done >= 2 && done < 6]).toEqual([false, true]);
    const again = await spawnCli([...LAT, '--out', res]).done;
    expect(again.err).toMatch(new RegExp(`resuming from .*latres\\.partial-chunks: ${done} finished chunks of 6`));
    expect(again.code, again.err).toBe(0);
    expect(sameResults(ref, res)).toBe(6);
    expect(manifest(res).extra.resumedChunks).toBe(done);
    expect(existsSync(`${res}.partial-chunks`)).toBe(false);
  }, 30_000);
});

describe('chunks of temperatures', () => {
  /** samples.npy of a chunked run against one kernel run of every replica of the sweep (the run before chunking). */
  async function asOneRun(args: string[], dir: string, backend: Backend): Promise<void> {
    const parsed = latticeFromFlags(args.slice(1));
    if (parsed === 'help') throw new Error('help');
    expect(latticeChunkPoints(parsed.job)).toBe(1);
    const plan = latticePlan(backend, parsed.job, { command: [], version: '' });
    const d = await plan.compute(0, plan.points);
    expect(Array.from(readNpy(join(dir, 'samples.npy')).data)).toEqual(Array.from(Float32Array.from(d.series)));
  }

  it('a run cut into one chunk per temperature (the T = 0 one too) samples what one kernel run of the whole sweep samples: twin and webgpu', async () => {
    await asOneRun(LAT, join(tmp, 'latref'), new CpuBackend());
    const gpu = await webgpuBackend();
    if (gpu) await asOneRun(['lattice', '--sweep', 'temperature=0:20:4', ...LAT_FIXED, '--backend', 'webgpu'], join(tmp, 'latgpu-whole'), gpu);
  }, 30_000);
});

describe('--sweep-file is the flags it stands for (same command in the manifest, same results)', () => {
  const file = (name: string, body: unknown) => { const f = join(tmp, name); writeFileSync(f, JSON.stringify(body)); return f; };

  it('lattice: the temperature axis and the fixed parameters', async () => {
    const f = file('lat.json', {
      command: 'lattice', axes: { temperature: { from: 0, to: 20, count: 6 } },
      fixed: { L: 8, J: 1, K: 0.2, field: [0, 0, 0.1], replicas: 8, dt: 0.05, equilibrate: 1, sample: 3, 'sample-every': 0.25, init: 'random', backend: 'cpu' },
      output: { quiet: true },
    });
    const a = join(tmp, 'latfile');
    await ok(['lattice', '--sweep-file', f, '--out', a]);
    expect(manifest(a).command).toEqual([...LAT, '--quiet', '--out', a]);
    expect(manifest(a).extra.sweepFile.resolved.axes.map((x: { name: string }) => x.name)).toEqual(['temperature']);
    sameResults(join(tmp, 'latref'), a);
  }, 30_000);

  it('ordering granular (fixed parameters only) and llg vibronic (the T axis)', async () => {
    const o = file('ord.json', {
      command: 'ordering granular',
      fixed: { hB: 200, Jsd: 5000, sizes: '3,4', points: 4, from: 0.9, to: 1.2, replicas: 4, equilibrate: 2, sample: 8, backend: 'cpu' }, output: { quiet: true },
    });
    const a = join(tmp, 'ordfile');
    await ok(['ordering', 'granular', '--sweep-file', o, '--out', a]);
    expect(manifest(a).command).toEqual([...ORD, '--out', a]);
    sameResults(join(tmp, 'ord-whole'), a);
    const v = file('vib.json', { command: 'llg vibronic', axes: { T: '4:20:4' }, fixed: { trajectories: 16, time: 10, 'average-from': 4, backend: 'cpu' }, output: { quiet: true } });
    const b = join(tmp, 'vibfile');
    await ok(['llg', 'vibronic', '--sweep-file', v, '--out', b]);
    expect(manifest(b).command).toEqual([...VIB, '--out', b]);
    sameResults(join(tmp, 'vib-whole'), b);
  }, 30_000);
});
