// Strict command-line flags: every flag is declared with its type, unit and allowed range, so a bad
// value is rejected with a message that names the flag, the range and what was given.

export type FlagValue = number | string | boolean | [number, number, number] | undefined;

export interface FlagSpec {
  type: 'number' | 'int' | 'vec3' | 'string' | 'bool' | 'enum' | 'list';
  help: string;
  unit?: string;
  default?: FlagValue;
  min?: number;
  max?: number;
  /** Exclude `min` itself (strictly greater). */
  minOpen?: boolean;
  values?: readonly string[];
}

export type FlagSchema = Record<string, FlagSpec>;

export class UsageError extends Error {}

/** The flags every run-directory command shares: --out, --overwrite, --json, --quiet, --help. */
export function runDirFlags(name: string, json: string): FlagSchema {
  return {
    out: { type: 'string', help: `run directory (default: runs/${name}-<time stamp>)` },
    overwrite: { type: 'bool', help: 'replace --out if it exists' },
    json: { type: 'bool', help: json },
    quiet: { type: 'bool', help: 'no progress on stderr' },
    help: { type: 'bool', help: 'show this help' },
  };
}

function rangeText(s: FlagSpec): string {
  const lo = s.min === undefined ? '' : `${s.minOpen ? '>' : '≥'} ${s.min}`;
  const hi = s.max === undefined ? '' : `≤ ${s.max}`;
  return [lo, hi].filter(Boolean).join(' and ');
}

function parseValue(name: string, spec: FlagSpec, raw: string): FlagValue {
  const unit = spec.unit ? ` (${spec.unit})` : '';
  const checkRange = (x: number) => {
    if ((spec.min !== undefined && (x < spec.min || (spec.minOpen && x === spec.min))) || (spec.max !== undefined && x > spec.max)) {
      throw new UsageError(`--${name} must be ${rangeText(spec)}${unit}, got ${raw}`);
    }
    return x;
  };
  switch (spec.type) {
    case 'number': case 'int': {
      const x = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(x)) throw new UsageError(`--${name} must be a finite number${unit}, got '${raw}'`);
      if (spec.type === 'int' && !Number.isInteger(x)) throw new UsageError(`--${name} must be an integer, got '${raw}'`);
      return checkRange(x);
    }
    case 'vec3': {
      const parts = raw.split(',').map(s => (s.trim() === '' ? NaN : Number(s)));
      if (parts.length !== 3 || parts.some(x => !Number.isFinite(x))) throw new UsageError(`--${name} must be three finite numbers x,y,z${unit}, got '${raw}'`);
      return parts as [number, number, number];
    }
    case 'enum':
      if (!spec.values!.includes(raw)) throw new UsageError(`--${name} must be one of ${spec.values!.join(', ')}, got '${raw}'`);
      return raw;
    case 'list':
      for (const v of raw.split(',')) if (spec.values && !spec.values.includes(v)) throw new UsageError(`--${name} takes a comma-separated list of ${spec.values.join(', ')}; '${v}' is not one of them`);
      return raw;
    case 'bool':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new UsageError(`--${name} is a switch (true/false), got '${raw}'`);
    default:
      return raw;
  }
}

/** The name within edit distance 2 of `name`, if any (for "did you mean"). */
export function closest(name: string, names: string[]): string | undefined {
  const dist = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    return d[a.length][b.length];
  };
  let best: string | undefined, bd = 3;
  for (const n of names) { const x = dist(name, n); if (x < bd) { bd = x; best = n; } }
  return best;
}

/** Parse `--flag value`, `--flag=value` and bare switches; positional arguments are refused. */
export function parseFlags(argv: string[], schema: FlagSchema, command: string): { values: Record<string, FlagValue>; given: Set<string> } {
  const values: Record<string, FlagValue> = {};
  const given = new Set<string>();
  for (const [k, s] of Object.entries(schema)) values[k] = s.default;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new UsageError(`${command}: unexpected argument '${a}' (flags start with --; see 'nanospin ${command} --help')`);
    let name = a.slice(2), raw: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) { raw = name.slice(eq + 1); name = name.slice(0, eq); }
    const spec = schema[name];
    if (!spec) {
      const near = closest(name, Object.keys(schema));
      throw new UsageError(`${command}: unknown flag --${name}${near ? ` (did you mean --${near}?)` : ''}; see 'nanospin ${command} --help'`);
    }
    if (spec.type === 'bool' && raw === undefined) {
      if (given.has(name)) throw new UsageError(`--${name} given twice`);
      values[name] = true; given.add(name); continue;
    }
    if (raw === undefined) {
      raw = argv[++i];
      if (raw === undefined || (raw.startsWith('--') && !/^--?\d/.test(raw))) throw new UsageError(`--${name} needs a value${spec.unit ? ` (${spec.unit})` : ''}${given.has(name) ? ` (and is given twice)` : ''}`);
    }
    if (given.has(name)) throw new UsageError(`--${name} given twice (${JSON.stringify(String(values[name]))} and ${JSON.stringify(raw)}); keep one`);
    values[name] = parseValue(name, spec, raw);
    given.add(name);
  }
  return { values, given };
}

export function helpText(command: string, summary: string, schema: FlagSchema): string {
  const rows = Object.entries(schema).map(([k, s]) => {
    const kind = s.type === 'enum' ? s.values!.join('|') : s.type === 'bool' ? '' : s.type === 'vec3' ? 'x,y,z' : s.type;
    const extra = [s.unit, rangeText(s), s.default !== undefined && s.type !== 'bool' ? `default ${Array.isArray(s.default) ? s.default.join(',') : s.default}` : ''].filter(Boolean).join('; ');
    return `  --${k}${kind ? ` <${kind}>` : ''}\n      ${s.help}${extra ? ` [${extra}]` : ''}`;
  });
  return `nanospin ${command}: ${summary}\n\nFlags:\n${rows.join('\n')}\n`;
}

/** Pull every `--sweep V` / `--sweep=V` out of argv (the flag is repeatable: one per grid axis). */
export function splitSweeps(argv: string[]): { sweeps: string[]; rest: string[] } {
  const sweeps: string[] = [], rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sweep') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError('--sweep needs a value name=from:to:count');
      sweeps.push(v);
    } else if (a.startsWith('--sweep=')) sweeps.push(a.slice(8));
    else rest.push(a);
  }
  return { sweeps, rest };
}
