// Column-oriented CSV (RFC 4180 quoting, '\n' line endings).
import { writeFileSync } from 'node:fs';

export type CsvColumn = ArrayLike<number> | string[];

/** Quote a field only when it needs it (comma, quote, CR/LF, or edge whitespace). */
function field(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// String(x) is the shortest string that round-trips a float64, so no precision is lost.
// NaN/Infinity come out as "NaN"/"Infinity"/"-Infinity", which numpy and pandas both parse.
function cell(v: unknown): string {
  return typeof v === 'string' ? field(v) : String(v);
}

export function toCsv(columns: Record<string, CsvColumn>): string {
  const names = Object.keys(columns);
  if (names.length === 0) return '';
  const n = columns[names[0]].length;
  for (const name of names) {
    if (columns[name].length !== n) {
      const lens = names.map((k) => `${k}=${columns[k].length}`).join(', ');
      throw new Error(`toCsv: all columns must have equal length (got ${lens})`);
    }
  }
  const cols = names.map((k) => columns[k]);
  const lines: string[] = [names.map(field).join(',')];
  for (let i = 0; i < n; i++) {
    lines.push(cols.map((c) => cell(c[i])).join(','));
  }
  return lines.join('\n') + '\n';
}

export function writeCsv(path: string, columns: Record<string, CsvColumn>): void {
  writeFileSync(path, toCsv(columns));
}
