// A sweep command's run, resumable and shardable (src/sweeps/chunked.ts): its points are computed in saved
// chunks; unsharded, the command's own writer then turns the whole sweep's per-point arrays into the run
// directory; with --shard k/N the shard's arrays go into a shard directory that `nanospin merge` (src/cli/merge.ts)
// joins with the others and hands to the same writer, so a merged run equals the unsharded one.
//
// A plan's `check` (a convergence probe, a twin comparison) runs once its range is done; its JSON result is
// passed through the same encoding whether it goes straight to the writer or through a shard directory, so the
// writer sees the same numbers either way (SweepInfo.checks).
import { asParts, finishSweep, partArray, partRanges, runSweepParts, type ChunkData, type Shard, type SweepParts, type SweepPlan } from '../sweeps/chunked.ts';
import { packageVersion } from '../io/manifest.ts';
import { readNpy } from '../io/npy.ts';
import { withRunDir, type OutputTarget } from './output.ts';
import { OutputError, isRunDirectory } from '../io/runDir.ts';
import { manifestExtra, type SweepInfo } from './sweepInfo.ts';
import { existsSync, readFileSync } from 'node:fs';
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

export { SWEEP_TIMINGS_NOTE, manifestExtra, spreadSeconds, sumSeconds, sweepChecks, sweepExtra, sweepRecord, withSweepFile, type SweepInfo } from './sweepInfo.ts';

// ---- runs ------------------------------------------------------------------------------------------

export interface SweepCommandRun {
  plan: SweepPlan | SweepParts;
  target: OutputTarget;
  backend: { name: string; adapter: string };
  onProgress?: (f: number) => void;
  log?: (line: string) => void;
  /**
   * The command's writer: the run directory of the whole sweep from its per-point arrays (for a sweep of parts,
   * array `name` of part `key` is data['key/name']: partArray, partData).
   */
  write(target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string>;
}

/** Non-finite numbers survive JSON (NaN, ±Infinity as {"nonFinite": "NaN"}); used for every check result. */
const encodeJson = (x: unknown) => JSON.stringify(x, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? { nonFinite: String(v) } : v));
const decodeJson = (s: string): unknown => JSON.parse(s, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof v.nonFinite === 'string' ? Number(v.nonFinite) : v));

/** Resume or start, compute, and write either the run directory or (with --shard) the shard directory. */
export async function runSweepCommand(r: SweepCommandRun): Promise<{ dir: string; shard?: Shard; data: ChunkData; info: SweepInfo }> {
  const shard = sweepShard();
  const s = asParts(r.plan);
  let seconds = 0;
  const timed: SweepParts = {
    identity: s.identity,
    parts: s.parts.map(p => ({
      ...p,
      compute: async (first, count, progress) => { const t = performance.now(); const d = await p.compute(first, count, progress); seconds += (performance.now() - t) / 1000; return d; },
    })),
  };
  const run = await runSweepParts(timed, { out: r.target.out, shard, onProgress: r.onProgress, log: r.log });
  const checks: Record<string, string> = {};
  for (const [i, p] of s.parts.entries()) {
    if (!p.check || run.ranges[i].count === 0) continue;
    const t = performance.now();
    checks[p.key] = encodeJson(await p.check(run.ranges[i].first, run.ranges[i].count, run.data[p.key]) ?? null);
    seconds += (performance.now() - t) / 1000;
  }
  const info: SweepInfo = {
    backend: r.backend.name, adapter: r.backend.adapter, seconds, resumedChunks: run.resumedChunks, shards: [],
    checks: Object.fromEntries(Object.entries(checks).map(([k, c]) => [k, [decodeJson(c)]])),
  };
  const flat: ChunkData = {};
  for (const p of s.parts) for (const [name, a] of Object.entries(run.data[p.key])) flat[partArray(p.key, name)] = a;
  const dir = shard ? await writeShardDir(r.target, s, shard, run.data, checks, info) : await r.write(r.target, flat, info);
  finishSweep(r.target.out);
  return { dir, shard, data: flat, info };
}

/** What a sharded run prints: one JSON object (--json) or two lines. */
export function reportShard(o: { command: string; shard: Shard; dir: string; info: SweepInfo; json: boolean }): void {
  const { shard, dir, info } = o;
  if (o.json) process.stdout.write(JSON.stringify({ shard, out: dir, backend: info.backend, adapter: info.adapter, seconds: info.seconds, resumedChunks: info.resumedChunks }) + '\n');
  else process.stdout.write(`shard ${shard.k}/${shard.N} of ${o.command} on ${info.backend} (${info.adapter}) in ${info.seconds.toFixed(2)} s\nshard directory: ${dir} (join the shards with nanospin merge)\n`);
}

const shardFile = (key: string) => (key ? `shard-${key}.npy` : 'shard.npy');

/** A shard's record of one part: its range of the part's points. */
export interface ShardPartRecord { key: string; first: number; count: number; points: number; widths: Record<string, number> }
interface ShardRecord { k: number; N: number; identity: SweepPlan['identity']; parts: ShardPartRecord[]; checks: Record<string, string> }

/** A shard directory: per part its range's arrays (shard[-key].npy, [count, Σ widths]) and the manifest that names the sweep. */
function writeShardDir(target: OutputTarget, s: SweepParts, shard: Shard, data: Record<string, ChunkData>, checks: Record<string, string>, info: SweepInfo): Promise<string> {
  const ranges = partRanges(s, shard);
  return withRunDir(target, dir => {
    const parts: ShardPartRecord[] = [];
    s.parts.forEach((p, i) => {
      const { first, count } = ranges[i];
      parts.push({ key: p.key, first, count, points: p.points, widths: p.widths });
      if (count === 0) return;
      const W = Object.values(p.widths).reduce((a, b) => a + b, 0), flat = new Float64Array(count * W), d = data[p.key];
      let off = 0;
      for (const [k, w] of Object.entries(p.widths)) {
        if (d[k].length !== count * w) throw new Error(`shard ${shard.k}/${shard.N}: ${d[k].length / w} points of '${k}' computed, ${count} expected`);
        for (let q = 0; q < count; q++) for (let j = 0; j < w; j++) flat[q * W + off + j] = d[k][q * w + j];
        off += w;
      }
      dir.writeNpy(shardFile(p.key), flat, [count, W]);
    });
    const record: ShardRecord = { k: shard.k, N: shard.N, identity: s.identity, parts, checks };
    const cmd = `nanospin ${s.identity.command.join(' ')}`;
    const what = parts.map(p => `${p.key ? `${p.key}: ` : ''}points [${p.first}, ${p.first + p.count}) of ${p.points}`).join('; ');
    return {
      manifest: {
        params: { shard: record },
        backend: info.backend, adapter: info.adapter, timings: { integrationSeconds: info.seconds },
        extra: { note: `shard ${shard.k}/${shard.N} of '${cmd}': ${what}; join the shards with 'nanospin merge'`, resumedChunks: info.resumedChunks, ...manifestExtra(target) },
      },
      report: {
        title: `nanospin shard ${shard.k}/${shard.N}${parts.length === 1 ? `: points ${parts[0].first}…${parts[0].first + parts[0].count - 1} of ${parts[0].points}` : ` of ${parts.length} sweeps`}`,
        summary: { command: cmd, shard: `${shard.k}/${shard.N}`, points: what, backend: info.backend, adapter: info.adapter, 'integration time (s)': info.seconds },
        figures: [],
      },
    };
  });
}

/** A complete shard directory, as merge reads it. */
export interface ShardDir {
  dir: string;
  k: number; N: number;
  identity: { command: string[]; version: string };
  parts: (ShardPartRecord & { data: Float64Array })[];
  backend: string; adapter: string; seconds: number;
  /** The check results of its ranges, by part key (decoded). */
  checks: Record<string, unknown>;
  /** The sweep file the shard was started from (manifest extra.sweepFile), if any. */
  sweepFile?: { file: string; resolved: import('../sweeps/sweepFile.ts').ResolvedSweepFile };
}

export function readShardDir(dir: string): ShardDir {
  if (!isRunDirectory(dir)) throw new OutputError(`merge: ${dir} is not a complete nanospin run directory (no manifest.json: an unfinished or foreign shard)`);
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { params?: { shard?: ShardRecord }; backend: string; adapter: string; timings?: { integrationSeconds?: number }; extra?: { sweepFile?: ShardDir['sweepFile'] } };
  const s = m.params?.shard;
  if (!s) throw new OutputError(`merge: ${dir} is a run directory but not a shard (it was not run with --shard k/N)`);
  if (!Array.isArray(s.parts)) throw new OutputError(`merge: ${dir} is a shard in an older format (no parts); run the shards again with this nanospin`);
  const parts = s.parts.map(p => {
    const W = Object.values(p.widths).reduce((a, b) => a + b, 0), file = join(dir, shardFile(p.key));
    if (p.count === 0) return { ...p, data: new Float64Array(0) };
    if (!existsSync(file)) throw new OutputError(`merge: ${dir}: ${shardFile(p.key)} is missing`);
    let f;
    try { f = readNpy(file); } catch (e) { throw new OutputError(`merge: ${dir}: ${shardFile(p.key)} is damaged (${(e as Error).message})`); }
    if (f.shape[0] !== p.count || f.shape[1] !== W) throw new OutputError(`merge: ${dir}: ${shardFile(p.key)} holds [${f.shape.join(', ')}], its manifest says [${p.count}, ${W}]`);
    return { ...p, data: f.data as Float64Array };
  });
  const checks = Object.fromEntries(Object.entries(s.checks ?? {}).map(([k, c]) => [k, decodeJson(c)]));
  return { dir, k: s.k, N: s.N, identity: s.identity, parts, backend: m.backend, adapter: m.adapter, seconds: m.timings?.integrationSeconds ?? 0, checks, ...(m.extra?.sweepFile ? { sweepFile: m.extra.sweepFile } : {}) };
}
