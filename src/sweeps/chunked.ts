// Sweeps that outgrow one run: the points of a sweep are computed in chunks, each chunk saved as soon as it is
// finished in `DIR.partial-chunks/` (with the identity of the run), so an interrupted run (Ctrl-C, kill -9, a
// crash) continues from its finished chunks when the same command is run again with the same --out (or
// `nanospin --resume DIR`); `--shard k/N` computes the k-th of N contiguous, balanced ranges of points into its
// own directory, and `nanospin merge` joins the shards. Every per-point result depends on its point alone
// (LLG noise is keyed by the global trajectory index: LlgProblem.trajectoryOffset), so the final arrays are
// bit-identical however the sweep was cut.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { decodeNpy, encodeNpy } from '../io/npy.ts';
import { OutputError } from '../io/runDir.ts';

/** Per-point results of a range of points: each array holds count × width floats, point-major. */
export type ChunkData = Record<string, Float64Array>;

export interface SweepPlan {
  /** What makes two runs the same run: the command words (without --out, --overwrite, --shard, --resume) and the version. */
  identity: { command: string[]; version: string };
  /** Points of the whole sweep. */
  points: number;
  /** Points per chunk (the unit of saving and resuming); default: about 1/32 of the range, at least 1. */
  chunkPoints?: number;
  /** Floats per point of each per-point array. */
  widths: Record<string, number>;
  /** Compute points [first, first + count) (global indices); `progress` takes the fraction of this chunk done. */
  compute(first: number, count: number, progress?: (fraction: number) => void): Promise<ChunkData>;
}

export interface Shard { k: number; N: number }

/** The k-th (1-based) of N contiguous, balanced ranges of `points` points. */
export function shardRange(points: number, s: Shard): { first: number; count: number } {
  const first = Math.floor(((s.k - 1) * points) / s.N), end = Math.floor((s.k * points) / s.N);
  return { first, count: end - first };
}

export function parseShard(spec: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  const k = m ? Number(m[1]) : NaN, N = m ? Number(m[2]) : NaN;
  if (!m || !(N >= 1)) throw new RangeError(`--shard must be k/N with integers N ≥ 1 and 1 ≤ k ≤ N, got '${spec}'`);
  if (!(k >= 1 && k <= N)) throw new RangeError(`--shard ${spec}: k must be in [1, ${N}]`);
  return { k, N };
}

const CHUNKS = '.partial-chunks';
export const chunkDir = (out: string) => `${resolve(out)}${CHUNKS}`;

interface SweepState { identity: SweepPlan['identity']; points: number; first: number; count: number; chunkPoints: number; widths: Record<string, number>; shard: Shard | null }

function sameState(a: SweepState, b: SweepState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Announce the resumable state to the launcher (bin/nanospin.js), which reports it on Ctrl-C. */
function announce(dir: string, done: number, total: number, command: string[]): void {
  if (typeof process.send === 'function' && process.connected) process.send({ nanospinResumable: dir, done, total, command });
}

export interface SweepRunOptions {
  out: string;
  shard?: Shard;
  onProgress?: (fraction: number) => void;
  /** One line per resumed run on stderr (unless quiet). */
  log?: (line: string) => void;
}

/**
 * Run the plan's points (the shard's range, or all), resuming from the chunks a previous run with the same
 * identity left in `out.partial-chunks/`; returns the per-point arrays of the range. The chunk directory stays
 * until finishSweep (call it once the run directory is committed).
 */
export async function runSweep(plan: SweepPlan, o: SweepRunOptions): Promise<ChunkData> {
  const { first, count } = o.shard ? shardRange(plan.points, o.shard) : { first: 0, count: plan.points };
  if (count === 0) throw new RangeError(`--shard ${o.shard!.k}/${o.shard!.N}: the sweep has only ${plan.points} points, so this shard is empty; use fewer shards`);
  const chunkPoints = Math.max(1, plan.chunkPoints ?? Math.ceil(count / 32));
  const state: SweepState = { identity: plan.identity, points: plan.points, first, count, chunkPoints, widths: plan.widths, shard: o.shard ?? null };
  const dir = chunkDir(o.out);
  const have = new Map<number, ChunkData>();
  if (existsSync(dir)) {
    let old: SweepState | undefined;
    try { old = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as SweepState; } catch { /* unreadable: treated as foreign */ }
    if (!old || !sameState(old, state)) {
      throw new OutputError(`--out ${o.out}: ${dir} holds the unfinished chunks of a different run (${old ? `nanospin ${old.identity.command.join(' ')}` : 'unreadable'}); resume it with 'nanospin --resume ${o.out}', or remove it, or choose another --out`);
    }
    const owner = Number(readFileSync(join(dir, 'owner'), 'utf8').trim() || 0);
    if (owner && owner !== process.pid && pidAlive(owner)) throw new OutputError(`--out ${o.out}: another nanospin run (process ${owner}) is computing into ${dir}; wait for it or choose another --out`);
    for (const name of readdirSync(dir)) {
      const m = /^chunk-(\d+)\.npy$/.exec(name);
      if (!m) continue;
      const f = decodeNpy(readFileSync(join(dir, name)), name);
      have.set(Number(m[1]), splitChunk(f.data as Float64Array, plan.widths, f.shape[0]));
    }
    o.log?.(`resuming from ${dir}: ${have.size} finished chunk${have.size === 1 ? '' : 's'} of ${Math.ceil(count / chunkPoints)}`);
  } else {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(state, null, 2) + '\n');
  }
  writeFileSync(join(dir, 'owner'), String(process.pid));
  const total = Math.ceil(count / chunkPoints);
  announce(dir, have.size, total, plan.identity.command);
  for (let c = 0; c < total; c++) {
    const a = first + c * chunkPoints, n = Math.min(chunkPoints, first + count - a);
    if (!have.has(a)) {
      const data = await plan.compute(a, n, f => o.onProgress?.((c + f) / total));
      const flat = joinChunk(data, plan.widths, n);
      const tmp = join(dir, `.chunk-${a}.npy.tmp`);
      writeFileSync(tmp, encodeNpy(flat, [n, flat.length / n]));
      renameSync(tmp, join(dir, `chunk-${a}.npy`));   // a chunk file exists only once it is complete
      have.set(a, data);
      announce(dir, have.size, total, plan.identity.command);
    }
    o.onProgress?.((c + 1) / total);
  }
  const out: ChunkData = {};
  for (const [k, w] of Object.entries(plan.widths)) {
    const a = new Float64Array(count * w);
    for (const [start, data] of have) a.set(data[k], (start - first) * w);
    out[k] = a;
  }
  return out;
}

/** Remove the chunks once the run directory they fed is committed. */
export function finishSweep(out: string): void {
  rmSync(chunkDir(out), { recursive: true, force: true });
  announce(chunkDir(out), -1, -1, []);
}

/** The recorded command of an unfinished run (for --resume DIR). */
export function unfinishedCommand(out: string): string[] {
  const dir = chunkDir(out);
  let s: SweepState;
  try { s = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as SweepState; } catch {
    throw new OutputError(`--resume ${out}: no unfinished run there (no ${basename(dir)}/sweep.json); run the command with --out ${out} instead`);
  }
  return [...s.identity.command, ...(s.shard ? ['--shard', `${s.shard.k}/${s.shard.N}`] : [])];
}

function joinChunk(data: ChunkData, widths: Record<string, number>, n: number): Float64Array {
  const W = Object.values(widths).reduce((a, b) => a + b, 0), flat = new Float64Array(n * W);
  let off = 0;
  for (const [k, w] of Object.entries(widths)) {
    const a = data[k];
    if (!a || a.length !== n * w) throw new Error(`sweep chunk: array '${k}' has ${a?.length} values, expected ${n} × ${w}`);
    for (let p = 0; p < n; p++) for (let j = 0; j < w; j++) flat[p * W + off + j] = a[p * w + j];
    off += w;
  }
  return flat;
}

function splitChunk(flat: Float64Array, widths: Record<string, number>, n: number): ChunkData {
  const W = Object.values(widths).reduce((a, b) => a + b, 0), out: ChunkData = {};
  let off = 0;
  for (const [k, w] of Object.entries(widths)) {
    const a = new Float64Array(n * w);
    for (let p = 0; p < n; p++) for (let j = 0; j < w; j++) a[p * w + j] = flat[p * W + off + j];
    out[k] = a;
    off += w;
  }
  return out;
}

export { joinChunk, splitChunk };
