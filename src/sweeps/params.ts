// Sweeps over named model parameters: the cartesian product of axes, first axis slowest.
import { parseAxis } from './grid.ts';

export interface SweepAxis { name: string; values: Float64Array }

/** Parse `name=from:to:count` (one --sweep flag). */
export function parseSweep(spec: string, allowed: readonly string[]): SweepAxis {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new RangeError(`--sweep must be name=from:to:count (e.g. mu=-3:3:241), got '${spec}'`);
  const name = spec.slice(0, eq);
  if (!allowed.includes(name)) throw new RangeError(`--sweep: unknown parameter '${name}'; sweepable: ${allowed.join(', ')}`);
  const values = parseAxis(spec.slice(eq + 1), `--sweep ${name}`);
  return { name, values };
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
