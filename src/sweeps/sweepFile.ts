// Sweep files: a sweep command's axes, fixed parameters and output in one JSON file (YAML when the
// `yaml` package is installed), turned into the command-line arguments they stand for, so that every
// command gets a sweep file through its normal flag parsing (same checks, same defaults, same manifest):
//
//   {
//     "command": "switching soc-dimer",                    optional: refused when used with another command
//     "description": "free text",                          optional, ignored
//     "axes": { "V": { "from": -10, "to": 10, "count": 64 }, "muF": "-6:6:128" },   in order, first slowest
//     "fixed": { "trajectories": 512, "reading": "physical", "easy-axis": [0, 0, 1], "self-torque": true },
//     "output": { "out": "runs/map", "overwrite": true }
//   }
//
// → --sweep V=-10:10:64 --sweep muF=-6:6:128 --trajectories 512 --reading physical --easy-axis 0,0,1
//   --self-torque --out runs/map --overwrite
//
// An axis is a `--sweep name=from:to:count` parameter of the command, or one of its axis flags (demo:
// --fields and --temperatures take from:to:count). "axes" may also be a list [{ "name", "from", "to",
// "count" }]. Every field is checked against the command's flag schema (type, unit, range, allowed
// values) by a zod schema, and errors name the field: `sweep.json: fixed.trajectories: must be …, got 0`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { closest, parseFlags, splitSweeps, UsageError, type FlagSchema, type FlagSpec } from '../cli/args.ts';
import { parseWith } from '../io/schema.ts';
import { MAX_AXIS_POINTS } from './grid.ts';

/** `--sweep-file FILE` of every sweep command: the file stands for the flags it holds (expandSweepFile). */
export const SWEEP_FILE_FLAG: FlagSpec = {
  type: 'string',
  help: 'JSON sweep file {axes, fixed, output} standing for the flags it holds (README: Resume, shards and merge); the manifest records the flags and the resolved file',
};

/** What a command tells the loader about itself. */
export interface SweepFileCommand {
  /** The command's words, e.g. 'switching soc-dimer'. */
  command: string;
  /** The command's flags: fixed parameters and output are checked against them. */
  flags: FlagSchema;
  /** Parameters taken by `--sweep name=from:to:count`. */
  sweepable?: readonly string[];
  /** Flags whose value is one axis from:to:count (demo: fields, temperatures). */
  axisFlags?: readonly string[];
}

export interface ResolvedAxis { name: string; from: number; to: number; count: number; via: 'sweep' | 'flag' }

/** The file after validation, normalised (for the manifest: `nanospin rerun` needs nothing but it). */
export interface ResolvedSweepFile {
  command: string;
  axes: ResolvedAxis[];
  fixed: Record<string, unknown>;
  output: Record<string, unknown>;
}

/** Keys of "output" (when the command has the flag). */
const OUTPUT_KEYS = ['out', 'overwrite', 'json', 'quiet'] as const;
/** Flags a sweep file never sets, and why. */
const NOT_IN_FILE: Record<string, string> = {
  help: 'not a parameter',
  sweep: "axes go under \"axes\" (name: {from, to, count})",
  'sweep-file': 'a sweep file cannot include another',
  shard: 'sharding is chosen when the file is run (--shard k/N on the command line)',
  resume: 'resuming is chosen when the file is run (on the command line)',
};

function rangeText(s: FlagSpec): string {
  const lo = s.min === undefined ? '' : `${s.minOpen ? '>' : '≥'} ${s.min}`;
  const hi = s.max === undefined ? '' : `≤ ${s.max}`;
  return [lo, hi].filter(Boolean).join(' and ');
}

/** The zod schema of one flag's value in a sweep file. */
function valueSchema(spec: FlagSpec): z.ZodType {
  const unit = spec.unit ? ` (${spec.unit})` : '';
  switch (spec.type) {
    case 'number': case 'int': {
      const what = `must be ${spec.type === 'int' ? 'an integer' : 'a finite number'}${rangeText(spec) ? ` ${rangeText(spec)}` : ''}${unit}`;
      return z.number({ error: what }).refine(x => Number.isFinite(x) && (spec.type !== 'int' || Number.isInteger(x))
        && (spec.min === undefined || (spec.minOpen ? x > spec.min : x >= spec.min)) && (spec.max === undefined || x <= spec.max), { error: what });
    }
    case 'vec3': {
      const what = `must be three finite numbers [x, y, z]${unit}`;
      return z.array(z.number({ error: what }).refine(Number.isFinite, { error: what }), { error: what }).length(3, { error: what });
    }
    case 'bool': return z.boolean({ error: 'must be true or false' });
    case 'enum': return z.string({ error: `must be one of ${spec.values!.join(', ')}` }).refine(s => spec.values!.includes(s), { error: `must be one of ${spec.values!.join(', ')}` });
    case 'list': {
      const what = `must be a list of ${spec.values ? spec.values.join(', ') : 'strings'} (an array, or one comma-separated string)`;
      const item = z.string({ error: what }).refine(s => s !== '' && !s.includes(',') && (!spec.values || spec.values.includes(s)), { error: what });
      return z.preprocess(v => (typeof v === 'string' ? v.split(',') : v), z.array(item, { error: what }).min(1, { error: what }));
    }
    default: return z.string({ error: 'must be a string' });
  }
}

/** 'from:to:count' as an object (left as given when it is not of that form: the object schema then says what is expected). */
function axisFromString(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const p = v.split(':');
  if (p.length !== 3 || p.some(s => s.trim() === '')) return v;
  return { from: Number(p[0]), to: Number(p[1]), count: Number(p[2]) };
}

const finite = (what: string) => z.number({ error: `must be a finite number (${what})` }).refine(Number.isFinite, { error: `must be a finite number (${what})` });
const axisBody = {
  from: finite('first value of the axis'),
  to: finite('last value of the axis'),
  count: z.number({ error: `must be an integer in [1, ${MAX_AXIS_POINTS}] (points on the axis)` })
    .refine(n => Number.isInteger(n) && n >= 1 && n <= MAX_AXIS_POINTS, { error: `must be an integer in [1, ${MAX_AXIS_POINTS}] (points on the axis)` }),
};
const AXIS_SHAPE = "must be {\"from\": a, \"to\": b, \"count\": n} or the string 'from:to:count'";

function schemaFor(cmd: SweepFileCommand, axesAsList: boolean) {
  const sweepable = cmd.sweepable ?? [], axisFlags = (cmd.axisFlags ?? []).filter(f => f in cmd.flags);
  const axisNames = [...sweepable, ...axisFlags];
  const outputKeys = OUTPUT_KEYS.filter(k => k in cmd.flags);
  const fixedKeys = Object.keys(cmd.flags).filter(k => !(k in NOT_IN_FILE) && !outputKeys.includes(k as typeof OUTPUT_KEYS[number]) && !axisFlags.includes(k));
  const axisList = axisNames.length ? axisNames.join(', ') : 'none: this command has no sweep axes';

  const unknownKeys = (allowed: string[], reason: (k: string) => string) => (o: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const k of Object.keys(o)) {
      if (allowed.includes(k)) continue;
      ctx.addIssue({ code: 'custom', path: [k], message: reason(k), input: o[k] });
    }
  };
  const near = (k: string, names: string[]) => { const n = closest(k, names); return n ? ` (did you mean '${n}'?)` : ''; };

  const axisValue = z.preprocess(axisFromString, z.strictObject(axisBody, { error: AXIS_SHAPE }));
  const axes = axesAsList
    ? z.array(z.strictObject({
      name: z.string({ error: `must be one of the axes of '${cmd.command}': ${axisList}` }).refine(n => axisNames.includes(n), { error: `must be one of the axes of '${cmd.command}': ${axisList}` }),
      ...axisBody,
    }, { error: 'must be {"name": …, "from": a, "to": b, "count": n}' }), { error: 'must be a list of axes' }).min(1, { error: 'needs at least one axis' })
    : z.record(z.string(), axisValue, { error: 'must be an object {name: axis, …} or a list [{name, from, to, count}, …]' })
      .superRefine(unknownKeys(axisNames, k => `unknown axis of '${cmd.command}'${near(k, axisNames)}; axes: ${axisList}`));

  const fixedShape: Record<string, z.ZodType> = {};
  for (const k of fixedKeys) fixedShape[k] = valueSchema(cmd.flags[k]).optional();
  const fixed = z.looseObject(fixedShape, { error: 'must be an object {flag: value, …}' }).superRefine(unknownKeys(fixedKeys, k =>
    k in NOT_IN_FILE ? `not allowed here: ${NOT_IN_FILE[k]}`
      : outputKeys.includes(k as typeof OUTPUT_KEYS[number]) ? `belongs under "output"`
        : axisFlags.includes(k) ? `'${k}' is an axis: give it under "axes"`
          : `unknown parameter of '${cmd.command}'${near(k, fixedKeys)}`));

  const outputShape: Record<string, z.ZodType> = {};
  for (const k of outputKeys) outputShape[k] = valueSchema(cmd.flags[k]).optional();
  const output = z.looseObject(outputShape, { error: 'must be an object {"out": DIR, "overwrite": true, …}' })
    .superRefine(unknownKeys([...outputKeys], k => `unknown output setting${near(k, [...outputKeys])}; settings: ${outputKeys.join(', ')}`));

  return z.strictObject({
    nanospin: z.literal('sweep/1', { error: "must be 'sweep/1' (the sweep file format) when given" }).optional(),
    command: z.string({ error: 'must be the command\'s words, e.g. "switching soc-dimer"' })
      .refine(c => c.trim().split(/\s+/).join(' ') === cmd.command, { error: `this file is for another command; it is being run with '${cmd.command}'` }).optional(),
    description: z.string({ error: 'must be a string' }).optional(),
    axes: axes.optional(),
    fixed: fixed.optional(),
    output: output.optional(),
  }).superRefine((f, ctx) => {
    // a parameter swept on an axis cannot also be fixed
    const names = Array.isArray(f.axes) ? f.axes.map(a => (a as { name: string }).name) : Object.keys(f.axes ?? {});
    const seen = new Set<string>();
    names.forEach((n, i) => {
      if (seen.has(n)) ctx.addIssue({ code: 'custom', path: ['axes', i, 'name'], message: `axis '${n}' given twice`, input: n });
      seen.add(n);
      if (f.fixed && n in f.fixed) ctx.addIssue({ code: 'custom', path: ['fixed', n], message: `'${n}' is also an axis; give it in one place`, input: (f.fixed as Record<string, unknown>)[n] });
    });
  });
}

/** Read a sweep file (JSON; YAML if the `yaml` package is installed). */
export function readSweepFile(path: string): unknown {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) {
    throw new UsageError(`--sweep-file ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (/\.ya?ml$/i.test(path)) {
    let yaml: { parse(s: string): unknown };
    try { yaml = createRequire(import.meta.url)('yaml'); } catch {
      throw new UsageError(`--sweep-file ${path}: YAML sweep files need the 'yaml' package, which is not installed; write the file as JSON (the same structure; JSON is also valid YAML) or install it`);
    }
    try { return yaml.parse(text); } catch (e) { throw new RangeError(`${path}: not valid YAML: ${(e as Error).message.split('\n')[0]}`); }
  }
  try { return JSON.parse(text); } catch (e) { throw new RangeError(`${path}: not valid JSON: ${(e as Error).message}`); }
}

const num = (x: number) => String(x);
const flagArg = (k: string, value: string) => (value.startsWith('--') ? [`--${k}=${value}`] : [`--${k}`, value]);

function valueArgs(k: string, spec: FlagSpec, value: unknown): string[] {
  switch (spec.type) {
    case 'bool': return value ? [`--${k}`] : spec.default === true ? [`--${k}=false`] : [];
    case 'number': case 'int': return flagArg(k, num(value as number));
    case 'vec3': return flagArg(k, (value as number[]).map(num).join(','));
    case 'list': return flagArg(k, (value as string[]).join(','));
    default: return flagArg(k, value as string);
  }
}

/** Validate a parsed sweep file for a command; the normalised file and the arguments it stands for. */
export function resolveSweepFile(raw: unknown, cmd: SweepFileCommand, source: string): { argv: string[]; resolved: ResolvedSweepFile } {
  const asList = !!raw && typeof raw === 'object' && Array.isArray((raw as { axes?: unknown }).axes);
  const f = parseWith(schemaFor(cmd, asList), raw, source) as { axes?: unknown; fixed?: Record<string, unknown>; output?: Record<string, unknown> };
  const axisFlags = cmd.axisFlags ?? [];
  const entries = Array.isArray(f.axes)
    ? (f.axes as { name: string; from: number; to: number; count: number }[]).map(a => [a.name, a] as const)
    : Object.entries((f.axes ?? {}) as Record<string, { from: number; to: number; count: number }>);
  const axes: ResolvedAxis[] = entries.map(([name, a]) => ({ name, from: a.from, to: a.to, count: a.count, via: axisFlags.includes(name) ? 'flag' : 'sweep' }));
  const argv: string[] = [];
  for (const a of axes) {
    const spec = `${num(a.from)}:${num(a.to)}:${a.count}`;
    argv.push(...(a.via === 'sweep' ? ['--sweep', `${a.name}=${spec}`] : flagArg(a.name, spec)));
  }
  // in the file's order (the validated objects follow the schema's)
  const inFileOrder = (section: 'fixed' | 'output', checked: Record<string, unknown> = {}) =>
    Object.fromEntries(Object.keys((raw as Record<string, Record<string, unknown>>)[section] ?? {}).map(k => [k, checked[k]]));
  const fixed = inFileOrder('fixed', f.fixed), output = inFileOrder('output', f.output);
  for (const [k, value] of Object.entries(fixed)) argv.push(...valueArgs(k, cmd.flags[k], value));
  for (const [k, value] of Object.entries(output)) argv.push(...valueArgs(k, cmd.flags[k], value));
  // the command's own parser has the last word (the same checks as typed flags)
  try { parseFlags(splitSweeps(argv).rest, cmd.flags, cmd.command); } catch (e) { throw new RangeError(`${source}: ${(e as Error).message}`); }
  return { argv, resolved: { command: cmd.command, axes, fixed, output } };
}

/** The argv fragment a sweep file stands for (see the header): `--sweep name=from:to:count …` and `--flag value …`. */
export function loadSweepFile(path: string, cmd: SweepFileCommand): string[] {
  return resolveSweepFile(readSweepFile(path), cmd, path).argv;
}

/**
 * Replace `--sweep-file FILE` (or `--sweep-file=FILE`) in a command's argv by the file's arguments, in place,
 * so that the command parses one argv; a flag given both in the file and on the command line is then
 * refused by the parser as given twice. Returns the argv unchanged (and no file) without --sweep-file.
 */
export function expandSweepFile(argv: string[], cmd: SweepFileCommand): { argv: string[]; file?: string; resolved?: ResolvedSweepFile } {
  const at = argv.findIndex(a => a === '--sweep-file' || a.startsWith('--sweep-file='));
  if (at < 0) return { argv };
  const inline = argv[at].startsWith('--sweep-file=');
  const file = inline ? argv[at].slice('--sweep-file='.length) : argv[at + 1];
  if (file === undefined || file === '' || (!inline && file.startsWith('--'))) throw new UsageError('--sweep-file needs a value (a JSON file)');
  const rest = [...argv.slice(0, at), ...argv.slice(at + (inline ? 1 : 2))];
  if (rest.some(a => a === '--sweep-file' || a.startsWith('--sweep-file='))) throw new UsageError('--sweep-file given twice; keep one');
  const { argv: fragment, resolved } = resolveSweepFile(readSweepFile(file), cmd, file);
  return { argv: [...rest.slice(0, at), ...fragment, ...rest.slice(at)], file, resolved };
}
