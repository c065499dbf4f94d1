// What a sweep's writer and plan share that needs nothing of Node (so the in-browser explorer bundles the
// commands' writers with it): SweepInfo, the per-point timing columns, the manifest's sweep record and sweep
// file. The run itself (chunks on disk, shard directories) is src/runs/sweepRun.ts.
import type { OutputTarget } from './output.ts';
import type { ResolvedSweepFile } from '../sweeps/sweepFile.ts';

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
  /**
   * Results of the plan's `check` per computed range, by part key ('' for a single plan): one entry unsharded,
   * one per merged shard that holds points of the part (in shard order). Absent keys: no check.
   */
  checks?: Record<string, unknown[]>;
}

/** The checks of a single plan (or of part `key`): [] when the plan has none. */
export const sweepChecks = <T>(info: SweepInfo, key = ''): T[] => (info.checks?.[key] ?? []) as T[];

// ---- per-point timing ------------------------------------------------------------------------------

/**
 * Per-point timing columns: a chunk's seconds per phase, spread evenly over its points (width = phases). The
 * one per-point array that depends on how the sweep was cut (and on the machine): writers sum it with
 * sumSeconds for their timings (every chunk counted, also those of an interrupted earlier run or of other
 * shards) and never write it as a result.
 */
export function spreadSeconds(count: number, phases: number[]): Float64Array {
  const a = new Float64Array(count * phases.length);
  for (let p = 0; p < count; p++) phases.forEach((s, j) => { a[p * phases.length + j] = s / count; });
  return a;
}

export function sumSeconds(a: Float64Array | undefined, phases: number): number[] {
  const out = new Array<number>(phases).fill(0);
  if (a) for (let i = 0; i < a.length; i++) out[i % phases] += a[i];
  return out;
}

// ---- sweep files in the manifest -------------------------------------------------------------------

const SWEEP_FILE = Symbol('sweepFile');
type WithSweepFile = OutputTarget & { [SWEEP_FILE]?: { file: string; resolved: ResolvedSweepFile } };

/** Record the sweep file a run was started from (its manifest's extra.sweepFile, see manifestExtra). */
export function withSweepFile(target: OutputTarget, s: { file?: string; resolved?: ResolvedSweepFile }): OutputTarget {
  if (!s.file || !s.resolved) return target;
  return Object.assign({ ...target }, { [SWEEP_FILE]: { file: s.file, resolved: s.resolved } });
}

/** What every sweep writer adds to its manifest's `extra`: `sweepFile: {file, resolved}` for a run from a sweep file. */
export function manifestExtra(target: OutputTarget): Record<string, unknown> {
  const s = (target as WithSweepFile)[SWEEP_FILE];
  return s ? { sweepFile: s } : {};
}

/** How the timings of a chunked run are counted (recorded in the manifest). */
export const SWEEP_TIMINGS_NOTE = 'timings are summed over every chunk of the sweep (also the chunks an interrupted earlier run computed, and, merged, those of every shard); they are the only outputs that differ between runs of the same command however it was cut';

/** The manifest `extra` of a sweep run: chunks resumed, shards merged, how timings count, the sweep file. */
export function sweepExtra(target: OutputTarget, run?: { resumedChunks: number; mergedShards: SweepInfo['shards'] }): Record<string, unknown> {
  return { ...(run ? { resumedChunks: run.resumedChunks, mergedShards: run.mergedShards, timingsNote: SWEEP_TIMINGS_NOTE } : {}), ...manifestExtra(target) };
}

/** The run record a writer keeps from SweepInfo. */
export const sweepRecord = (info: SweepInfo) => ({ resumedChunks: info.resumedChunks, mergedShards: info.shards });

