// Validation of JSON inputs (configs, sweep files) by zod schemas, with messages that name the field
// (as a path: couplings[0].j), the value given and what is allowed.
import type { z } from 'zod';

function pathText(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s;
}

function valueText(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** One line per problem: `field: what is allowed, got value`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map(i => {
    const where = pathText(i.path);
    if (i.code === 'unrecognized_keys') return `${where ? `${where}: ` : ''}unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map(k => `'${k}'`).join(', ')}`;
    const got = 'input' in i ? `, got ${valueText(i.input)}` : '';
    return `${where || '(top level)'}: ${i.message}${got}`;
  }).join('; ');
}

/** Parse `value` with `schema`; a RangeError naming `source` and every problem otherwise. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, source: string): z.output<S> {
  const r = schema.safeParse(value, { reportInput: true });
  if (!r.success) throw new RangeError(`${source}: ${formatIssues(r.error.issues)}`);
  return r.data;
}
