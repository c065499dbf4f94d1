// Sweeps that outgrow one run: the points of a sweep are computed in chunks, each chunk saved as soon as it is
// finished in `DIR.partial-chunks/` (with the identity of the run), so an interrupted run (Ctrl-C, kill -9, a
// crash) continues from its finished chunks when the same command is run again with the same --out (or
// `nanospin --resume DIR`); `--shard k/N` computes the k-th of N contiguous, balanced ranges of points into its
// own directory, and `nanospin merge` joins the shards. Every per-point result depends on its point alone
// (LLG noise is keyed by the global trajectory index: LlgProblem.trajectoryOffset), so the final arrays are
// bit-identical however the sweep was cut.
//
// A command that runs several sweeps (a figures command: panels and maps) gives them as the named parts of one
// sweep (SweepParts): each part has its own points, arrays and chunks (`DIR.partial-chunks/<key>/`), and shard
// k/N takes the k-th of N ranges of every part, so every shard gets about 1/N of every part's work.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { decodeNpy, encodeNpy } from '../io/npy.ts';
import { announcePartial, OutputError, pidAlive, removeDeadPidDirs } from '../io/runDir.ts';

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
  /**
   * A check over a computed range (e.g. a convergence probe on its largest points), run once the range's points
   * are done, in the same process; its result (plain JSON) goes with the range (into a shard directory), and the
   * writer combines the results of all ranges (SweepInfo.checks). It must depend on the range's points alone,
   * and the combination must not depend on how the sweep was cut.
   */
  check?(first: number, count: number, data: ChunkData): Promise<unknown>;
}

/** One named sweep of a command that runs several (key: letters, digits, '_' and '-'). */
export interface SweepPart extends Omit<SweepPlan, 'identity'> {
  key: string;
  /** Relative cost of one point (progress only). */
  cost?: number;
}

/** `part` that calls `say` once, when it first computes a chunk (a part already complete from a resume says nothing). */
export function announced<P extends { compute: SweepPlan['compute'] }>(part: P, say: () => void): P {
  let said = false;
  return { ...part, compute: (first, count, progress) => { if (!said) { said = true; say(); } return part.compute(first, count, progress); } };
}

/** Several named sweeps as one run: resumed, sharded and merged together. */
export interface SweepParts {
  identity: SweepPlan['identity'];
  parts: SweepPart[];
}

/** A single plan is the one part with key '' (its chunks directly in DIR.partial-chunks/). */
export function asParts(plan: SweepPlan | SweepParts): SweepParts {
  if ('parts' in plan) {
    const keys = new Set<string>();
    for (const p of plan.parts) {
      if (!/^[A-Za-z0-9_-]+$/.test(p.key)) throw new Error(`sweep part key '${p.key}' must be letters, digits, '_' or '-'`);
      if (keys.has(p.key)) throw new Error(`sweep part '${p.key}' given twice`);
      keys.add(p.key);
    }
    return plan;
  }
  const { identity, ...part } = plan;
  return { identity, parts: [{ ...part, key: '' }] };
}

/** Name of a part's array in the flat data of a sweep of parts ('' : the array's own name). */
export const partArray = (key: string, name: string): string => (key ? `${key}/${name}` : name);

/** The arrays of one part out of the flat data of a run (see partArray). */
export function partData(data: ChunkData, key: string): ChunkData {
  if (!key) return data;
  const out: ChunkData = {}, pre = `${key}/`;
  for (const [k, a] of Object.entries(data)) if (k.startsWith(pre)) out[k.slice(pre.length)] = a;
  return out;
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

/** A part's range and chunking as recorded in sweep.json. */
export interface PartState { key: string; points: number; first: number; count: number; chunkPoints: number; widths: Record<string, number> }
interface SweepState { identity: SweepPlan['identity']; shard: Shard | null; parts: PartState[] }

function sameState(a: SweepState, b: SweepState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
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

/** Each part's range: the shard's k-th of N ranges of its points, or all of them. */
export function partRanges(s: SweepParts, shard?: Shard): { first: number; count: number }[] {
  return s.parts.map(p => (shard ? shardRange(p.points, shard) : { first: 0, count: p.points }));
}

/**
 * Run the plan's points (the shard's range, or all), resuming from the chunks a previous run with the same
 * identity left in `out.partial-chunks/`; returns the per-point arrays of the range. The chunk directory stays
 * until finishSweep (call it once the run directory is committed).
 */
export async function runSweep(plan: SweepPlan, o: SweepRunOptions): Promise<ChunkData> {
  return (await runSweepParts(asParts(plan), o)).data[''];
}

/**
 * Every part's range (see runSweep), resumed from the saved chunks; the arrays of each part's range by key, and
 * how many chunks came from an earlier run.
 */
export async function runSweepParts(s: SweepParts, o: SweepRunOptions): Promise<{ data: Record<string, ChunkData>; ranges: { first: number; count: number }[]; resumedChunks: number }> {
  const ranges = partRanges(s, o.shard);
  if (ranges.every(r => r.count === 0)) {
    const most = Math.max(...s.parts.map(p => p.points));
    throw new RangeError(`--shard ${o.shard!.k}/${o.shard!.N}: the sweep has only ${most} points${s.parts.length > 1 ? ' in its largest part' : ''}, so this shard is empty; use fewer shards`);
  }
  const parts: PartState[] = s.parts.map((p, i) => ({
    key: p.key, points: p.points, first: ranges[i].first, count: ranges[i].count,
    chunkPoints: Math.max(1, p.chunkPoints ?? Math.ceil(ranges[i].count / 32)), widths: p.widths,
  }));
  const state: SweepState = { identity: s.identity, shard: o.shard ?? null, parts };
  const dir = chunkDir(o.out);
  const partDir = (key: string) => (key ? join(dir, key) : dir);
  const have = parts.map(() => new Map<number, ChunkData>());
  const chunks = parts.map(p => (p.count ? Math.ceil(p.count / p.chunkPoints) : 0)), total = chunks.reduce((a, b) => a + b, 0);
  let resumed = 0;
  // a chunk directory without a finished chunk whose run is gone holds nothing to lose: start afresh
  if (existsSync(dir) && !savedAny(dir) && !ownerAlive(dir)) rmSync(dir, { recursive: true, force: true });
  if (existsSync(dir)) {
    let old: SweepState | undefined;
    try { old = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as SweepState; } catch { /* unreadable: treated as foreign */ }
    if (old && old.identity && JSON.stringify(old.identity.command) === JSON.stringify(state.identity.command) && old.identity.version !== state.identity.version) {
      throw new OutputError(`--out ${o.out}: ${dir} holds the unfinished chunks of this run written by nanospin ${old.identity.version}, and this is nanospin ${state.identity.version}: chunks of another version are not mixed in (their numbers may differ); remove ${dir} to start again, or finish it with nanospin ${old.identity.version}`);
    }
    if (!old || !Array.isArray(old.parts) || !sameState(old, state)) {
      throw new OutputError(`--out ${o.out}: ${dir} holds the unfinished chunks of a different run (${old?.identity ? `nanospin ${old.identity.command.join(' ')}${old.shard ? ` --shard ${old.shard.k}/${old.shard.N}` : ''}` : 'unreadable'}); resume it with 'nanospin --resume ${o.out}', or remove it, or choose another --out`);
    }
    if (ownerAlive(dir)) throw new OutputError(`--out ${o.out}: another nanospin run (process ${owner(dir)}) is computing into ${dir}; wait for it or choose another --out`);
    parts.forEach((p, i) => {
      if (!existsSync(partDir(p.key))) return;
      for (const name of readdirSync(partDir(p.key))) {
        const m = /^chunk-(\d+)\.npy$/.exec(name);
        if (!m) continue;
        const f = decodeNpy(readFileSync(join(partDir(p.key), name)), name);
        have[i].set(Number(m[1]), splitChunk(f.data as Float64Array, p.widths, f.shape[0]));
      }
    });
    resumed = have.reduce((a, h) => a + h.size, 0);
    o.log?.(`resuming from ${dir}: ${resumed} finished chunk${resumed === 1 ? '' : 's'} of ${total}`);
    writeFileSync(join(dir, 'owner'), String(process.pid));
  } else {
    createChunkDir(dir, state, total);
  }
  // progress in units of point cost over every part
  const weight = s.parts.map((p, i) => parts[i].count * (p.cost ?? 1)), W = weight.reduce((a, b) => a + b, 0) || 1;
  let doneWeight = 0, doneChunks = resumed;
  announce(dir, doneChunks, total, s.identity.command);
  for (const [i, p] of parts.entries()) {
    const plan = s.parts[i], per = p.count ? weight[i] / p.count : 0;
    if (p.key && p.count) mkdirSync(partDir(p.key), { recursive: true });
    for (let c = 0; c < chunks[i]; c++) {
      const a = p.first + c * p.chunkPoints, n = Math.min(p.chunkPoints, p.first + p.count - a);
      if (!have[i].has(a)) {
        const data = await plan.compute(a, n, f => o.onProgress?.((doneWeight + f * n * per) / W));
        const flat = joinChunk(data, p.widths, n);
        const tmp = join(partDir(p.key), `.chunk-${a}.npy.tmp`);
        writeFileSync(tmp, encodeNpy(flat, [n, flat.length / n]));
        renameSync(tmp, join(partDir(p.key), `chunk-${a}.npy`));   // a chunk file exists only once it is complete
        have[i].set(a, data);
        announce(dir, ++doneChunks, total, s.identity.command);
      }
      doneWeight += n * per;
      o.onProgress?.(doneWeight / W);
    }
  }
  const data: Record<string, ChunkData> = {};
  parts.forEach((p, i) => {
    const out: ChunkData = {};
    for (const [k, w] of Object.entries(p.widths)) {
      const a = new Float64Array(p.count * w);
      for (const [start, d] of have[i]) a.set(d[k], (start - p.first) * w);
      out[k] = a;
    }
    data[p.key] = out;
  });
  return { data, ranges, resumedChunks: resumed };
}

const savedAny = (dir: string) => readdirSync(dir, { recursive: true }).some(f => /(^|\/)chunk-\d+\.npy$/.test(String(f)));
function owner(dir: string): number {
  try { return Number(readFileSync(join(dir, 'owner'), 'utf8').trim() || 0); } catch { return 0; }
}
/** Another live process is computing into this chunk directory. */
const ownerAlive = (dir: string) => { const pid = owner(dir); return pid > 0 && pid !== process.pid && pidAlive(pid); };

/**
 * The chunk directory appears whole or not at all: sweep.json and owner are written into a directory named for
 * this process and renamed into place, so a run killed at any moment never leaves a chunk directory without the
 * state that says which run it belongs to (which would block the next run as "a different run").
 */
function createChunkDir(dir: string, state: SweepState, total: number): void {
  const tmp = `${dir}.new-${process.pid}`;
  // told to the launcher first, so that a Ctrl-C at any point in here leaves neither directory behind
  announcePartial(tmp, true);
  announce(dir, 0, total, state.identity.command);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'sweep.json'), JSON.stringify(state, null, 2) + '\n');
  writeFileSync(join(tmp, 'owner'), String(process.pid));
  try { renameSync(tmp, dir); } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir)) throw e;
    throw new OutputError(`--out ${dir.slice(0, -CHUNKS.length)}: another nanospin run (process ${owner(dir) || 'unknown'}) started computing into ${dir} at the same time; wait for it or choose another --out`);
  } finally { announcePartial(tmp, false); }
  removeDeadPidDirs(`${dir}.new-`);   // left by runs killed between mkdir and rename: nothing of value
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
