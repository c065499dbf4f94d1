// Sweeps over named model parameters: the cartesian product of axes, first axis slowest.
import { linspace, parseAxisSpec, type AxisSpec } from './grid.ts';

export interface SweepAxis { name: string; values: Float64Array }

/** Parse and check `name=from:to:count` without building the axis. */
export function parseSweepSpec(spec: string, allowed: readonly string[]): { name: string } & AxisSpec {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new RangeError(`--sweep must be name=from:to:count (e.g. mu=-3:3:241), got '${spec}'`);
  const name = spec.slice(0, eq);
  if (!allowed.includes(name)) throw new RangeError(`--sweep: unknown parameter '${name}'; sweepable: ${allowed.join(', ')}`);
  return { name, ...parseAxisSpec(spec.slice(eq + 1), `--sweep ${name}`) };
}

/** Parse `name=from:to:count` (one --sweep flag). */
export function parseSweep(spec: string, allowed: readonly string[]): SweepAxis {
  const a = parseSweepSpec(spec, allowed);
  return { name: a.name, values: linspace(a.from, a.to, a.count, `--sweep ${a.name}`) };
}

/**
 * Parse every --sweep, refusing (from the specs alone, before anything is allocated) repeated names and
 * grids of more than `maxPoints` points (the product of the axes), naming the axes.
 */
export function parseSweeps(specs: readonly string[], allowed: readonly string[], maxPoints: number): SweepAxis[] {
  const parsed = specs.map(s => parseSweepSpec(s, allowed));
  const seen = new Set<string>();
  for (const a of parsed) { if (seen.has(a.name)) throw new RangeError(`--sweep ${a.name} given twice`); seen.add(a.name); }
  const total = parsed.reduce((n, a) => n * a.count, 1);
  if (total > maxPoints) throw new RangeError(`--sweep: ${parsed.map(a => `${a.name} ${a.count}`).join(' × ')} = ${total} points, more than the ${maxPoints} one run takes; lower the counts or split the grid`);
  return parsed.map(a => ({ name: a.name, values: linspace(a.from, a.to, a.count, `--sweep ${a.name}`) }));
}

/** Every combination of the axes' values, first axis slowest; [] axes → one empty assignment. */
export function sweepGrid(axes: SweepAxis[]): Record<string, number>[] {
  const names = new Set<string>();
  for (const a of axes) {
    if (names.has(a.name)) throw new RangeError(`--sweep ${a.name} given twice`);
    names.add(a.name);
  }
  let out: Record<string, number>[] = [{}];
  for (const a of axes) out = out.flatMap(o => Array.from(a.values, v => ({ ...o, [a.name]: v })));
  return out;
}

/** Points per axis of a cartesian sweep, first axis slowest. */
export const gridShape = (axes: readonly SweepAxis[]): number[] => axes.map(a => a.values.length);
/** Points of a cartesian sweep (1 for no axes). */
export const gridPoints = (axes: readonly SweepAxis[]): number => axes.reduce((n, a) => n * a.values.length, 1);

/** The swept values of point i of a cartesian sweep (first axis slowest, as sweepGrid). */
export function gridCoordinates(axes: readonly SweepAxis[], i: number): Record<string, number> {
  const c: Record<string, number> = {};
  for (let k = axes.length - 1; k >= 0; k--) {
    const a = axes[k], n = a.values.length;
    c[a.name] = a.values[i % n];
    i = Math.floor(i / n);
  }
  return c;
}

/**
 * Points per chunk of an LLG sweep: about 1/32 of the sweep (so ~30 saved chunks), at most `maxTrajectories`
 * trajectories (one device batch; bounded host memory). Fixed by the whole sweep, never by a shard's range, so
 * every chunk can dispatch as a full one (LlgRunOptions.dispatchTrajectories = chunkPoints · trajectories).
 */
export function llgChunkPoints(points: number, trajectoriesPerPoint: number, maxTrajectories = 2 ** 19): number {
  return Math.max(1, Math.min(Math.ceil(points / 32), Math.floor(maxTrajectories / trajectoriesPerPoint)));
}
