// A sweep command's run, resumable and shardable (src/sweeps/chunked.ts): its points are computed in saved
// chunks; unsharded, the command's own writer then turns the whole sweep's per-point arrays into the run
// directory; with --shard k/N the shard's arrays go into a shard directory that `nanospin merge` (src/cli/merge.ts)
// joins with the others and hands to the same writer, so a merged run equals the unsharded one.
import { finishSweep, runSweep, shardRange, type ChunkData, type Shard, type SweepPlan } from '../sweeps/chunked.ts';
import { packageVersion } from '../io/manifest.ts';
import { readNpy } from '../io/npy.ts';
import { withRunDir, type OutputTarget } from './output.ts';
import { OutputError, isRunDirectory } from '../io/runDir.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let currentShard: Shard | undefined;
/** Set by src/cli.ts from `--shard k/N` (a sweep command reads it through sweepShard). */
export function setShard(s: Shard | undefined): void { currentShard = s; }
export function sweepShard(): Shard | undefined { return currentShard; }

/** Flags that change where and how a run reports, not what it computes (left out of a run's identity). */
const OUTPUT_FLAGS = new Set(['--out', '--overwrite', '--json', '--quiet', '--shard', '--resume']);
const VALUED = new Set(['--out', '--shard', '--resume']);

/** The command words that identify a run: everything but the output flags. */
export function sweepIdentity(command: string[]): { command: string[]; version: string } {
  const out: string[] = [];
  for (let i = 0; i < command.length; i++) {
    const a = command[i], name = a.split('=')[0];
    if (OUTPUT_FLAGS.has(name)) { if (!a.includes('=') && VALUED.has(name)) i++; continue; }
    out.push(a);
  }
  return { command: out, version: packageVersion() };
}

/** What the writer of a sweep needs besides the arrays: the run's backend and how long it took. */
export interface SweepInfo {
  backend: string;
  adapter: string;
  /** Integration seconds of the chunks computed by this process (or, merged, by every shard). */
  seconds: number;
  /** Chunks that came from an earlier, interrupted run. */
  resumedChunks: number;
  /** Shards merged into this run (empty when unsharded). */
  shards: { k: number; N: number; dir: string; backend: string; adapter: string }[];
}

export interface SweepCommandRun {
  plan: SweepPlan;
  target: OutputTarget;
  backend: { name: string; adapter: string };
  onProgress?: (f: number) => void;
  log?: (line: string) => void;
  /** The command's writer: the run directory of the whole sweep from its per-point arrays. */
  write(target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string>;
}

/** Resume or start, compute, and write either the run directory or (with --shard) the shard directory. */
export async function runSweepCommand(r: SweepCommandRun): Promise<{ dir: string; shard?: Shard; data: ChunkData; info: SweepInfo }> {
  const shard = sweepShard();
  let seconds = 0, resumed = 0;
  const plan: SweepPlan = {
    ...r.plan,
    compute: async (first, count, progress) => { const t = performance.now(); const d = await r.plan.compute(first, count, progress); seconds += (performance.now() - t) / 1000; return d; },
  };
  const data = await runSweep(plan, { out: r.target.out, shard, onProgress: r.onProgress, log: line => { resumed = Number(/: (\d+) finished/.exec(line)?.[1] ?? 0); r.log?.(line); } });
  const info: SweepInfo = { backend: r.backend.name, adapter: r.backend.adapter, seconds, resumedChunks: resumed, shards: [] };
  const dir = shard ? await writeShardDir(r.target, r.plan, shard, data, info) : await r.write(r.target, data, info);
  finishSweep(r.target.out);
  return { dir, shard, data, info };
}

/** A shard directory: its range's per-point arrays (shard.npy, [count, Σ widths]) and the manifest that names the sweep. */
function writeShardDir(target: OutputTarget, plan: SweepPlan, shard: Shard, data: ChunkData, info: SweepInfo): Promise<string> {
  return withRunDir(target, dir => {
    const widths = plan.widths, n = Object.values(data)[0].length / Object.values(widths)[0];
    const W = Object.values(widths).reduce((a, b) => a + b, 0), flat = new Float64Array(n * W);
    let off = 0;
    for (const [k, w] of Object.entries(widths)) { for (let p = 0; p < n; p++) for (let j = 0; j < w; j++) flat[p * W + off + j] = data[k][p * w + j]; off += w; }
    dir.writeNpy('shard.npy', flat, [n, W]);
    const { first, count } = shardRange(plan.points, shard);
    if (count !== n) throw new Error(`shard ${shard.k}/${shard.N}: ${n} points computed, ${count} expected`);
    return {
      manifest: {
        params: { shard: { ...shard, first, count, points: plan.points, widths, identity: plan.identity } },
        backend: info.backend, adapter: info.adapter, timings: { integrationSeconds: info.seconds },
        extra: { note: `shard ${shard.k}/${shard.N} of 'nanospin ${plan.identity.command.join(' ')}': points [${first}, ${first + count}) of ${plan.points}; join the shards with 'nanospin merge'` },
      },
      report: {
        title: `nanospin shard ${shard.k}/${shard.N}: points ${first}…${first + count - 1} of ${plan.points}`,
        summary: { command: `nanospin ${plan.identity.command.join(' ')}`, shard: `${shard.k}/${shard.N}`, points: `${first} … ${first + count - 1} of ${plan.points}`, backend: info.backend, adapter: info.adapter, 'integration time (s)': info.seconds },
        figures: [],
      },
    };
  });
}

/** A complete shard directory, as merge reads it. */
export interface ShardDir {
  dir: string;
  k: number; N: number; first: number; count: number; points: number;
  widths: Record<string, number>;
  identity: { command: string[]; version: string };
  backend: string; adapter: string; seconds: number;
  data: Float64Array;
}

export function readShardDir(dir: string): ShardDir {
  if (!isRunDirectory(dir)) throw new OutputError(`merge: ${dir} is not a complete nanospin run directory (no manifest.json: an unfinished or foreign shard)`);
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { params?: { shard?: Omit<ShardDir, 'dir' | 'data' | 'backend' | 'adapter' | 'seconds'> }; backend: string; adapter: string; timings?: { integrationSeconds?: number } };
  const s = m.params?.shard;
  if (!s) throw new OutputError(`merge: ${dir} is a run directory but not a shard (it was not run with --shard k/N)`);
  let f;
  try { f = readNpy(join(dir, 'shard.npy')); } catch (e) { throw new OutputError(`merge: ${dir}: shard.npy is missing or damaged (${(e as Error).message})`); }
  const W = Object.values(s.widths).reduce((a, b) => a + b, 0);
  if (f.shape[0] !== s.count || f.shape[1] !== W) throw new OutputError(`merge: ${dir}: shard.npy holds [${f.shape.join(', ')}], its manifest says [${s.count}, ${W}]`);
  return { ...s, dir, backend: m.backend, adapter: m.adapter, seconds: m.timings?.integrationSeconds ?? 0, data: f.data as Float64Array };
}
