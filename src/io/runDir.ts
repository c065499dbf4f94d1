// Run-directory writer: everything goes into `${out}.partial-${pid}` and only appears at
// `out` on commit() (one rename), so a crashed or interrupted run never leaves a
// half-written result directory that looks complete.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeCsv, type CsvColumn } from './csv.ts';
import { writeNpy, type NpyArray } from './npy.ts';

export interface RunDirOptions {
  /** Replace an existing `out` (removed only when commit() succeeds). */
  overwrite?: boolean;
}

type State = 'open' | 'committed' | 'aborted';

/** The output location cannot be used (exists, not a directory, not writable, …): a usage error. */
export class OutputError extends Error {}

export class RunDir {
  /** Final directory (absolute). */
  readonly out: string;
  /** Temporary sibling directory receiving writes until commit (absolute). */
  readonly partial: string;
  readonly overwrite: boolean;
  private state: State = 'open';
  private written: string[] = [];

  private constructor(out: string, partial: string, overwrite: boolean) {
    this.out = out;
    this.partial = partial;
    this.overwrite = overwrite;
  }

  /** Throws OutputError now if `out` could not be created (or replaced) at commit. */
  static check(out: string, overwrite: boolean): string {
    const abs = resolve(out);
    if (existsSync(abs)) {
      if (!overwrite) throw new OutputError(`--out ${out}: the directory already exists; pass --overwrite to replace it or choose another --out`);
      refuseDangerousOverwrite(abs, out);
    }
    return abs;
  }

  static async create(out: string, opts: RunDirOptions = {}): Promise<RunDir> {
    const overwrite = opts.overwrite ?? false;
    const abs = RunDir.check(out, overwrite);
    const partial = `${abs}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true }); // stale leftover from an earlier crash with the same pid
    mkdirSync(partial, { recursive: true });
    return new RunDir(abs, partial, overwrite);
  }

  /** Where `name` lives now: inside the partial dir while open, inside `out` after commit. */
  path(name: string): string {
    const rel = checkName(name);
    return join(this.state === 'committed' ? this.out : this.partial, rel);
  }

  writeText(name: string, s: string): string {
    return this.write(name, (p) => writeFileSync(p, s));
  }

  writeJson(name: string, obj: unknown): string {
    return this.write(name, (p) => writeFileSync(p, JSON.stringify(obj, jsonReplacer, 2) + '\n'));
  }

  writeNpy(name: string, data: NpyArray, shape: number[]): string {
    return this.write(name, (p) => writeNpy(p, data, shape));
  }

  writeCsv(name: string, columns: Record<string, CsvColumn>): string {
    return this.write(name, (p) => writeCsv(p, columns));
  }

  /**
   * Names (relative, '/'-separated) written so far, in write order, followed by any other
   * files found in the directory (e.g. written by third parties through path()).
   */
  files(): string[] {
    const root = this.state === 'committed' ? this.out : this.partial;
    const seen = new Set(this.written);
    const extra = existsSync(root) ? listFiles(root).filter((f) => !seen.has(f)).sort() : [];
    return [...this.written, ...extra];
  }

  /** Move the partial dir to `out`; returns `out`. */
  commit(): string {
    this.assertOpen('commit');
    let old: string | null = null;
    if (existsSync(this.out)) {
      if (!this.overwrite) {
        throw new OutputError(`--out ${this.out}: the directory already exists; pass --overwrite to replace it or choose another --out`);
      }
      // Move the old dir aside first so `out` is never missing for longer than two renames.
      old = `${this.out}.old-${process.pid}`;
      rmSync(old, { recursive: true, force: true });
      renameSync(this.out, old);
    }
    try {
      renameSync(this.partial, this.out);
    } catch (e) {
      if (old !== null) renameSync(old, this.out); // put the previous result back
      throw e;
    }
    this.state = 'committed';
    if (old !== null) rmSync(old, { recursive: true, force: true });
    return this.out;
  }

  /** Discard everything written (idempotent; no-op after commit). */
  abort(): void {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    rmSync(this.partial, { recursive: true, force: true });
  }

  get committed(): boolean {
    return this.state === 'committed';
  }

  private write(name: string, fn: (p: string) => void): string {
    this.assertOpen(`write ${name}`);
    const rel = checkName(name);
    const p = join(this.partial, rel);
    mkdirSync(dirname(p), { recursive: true });
    fn(p);
    const key = rel.split(sep).join('/');
    if (!this.written.includes(key)) this.written.push(key);
    return p;
  }

  private assertOpen(what: string): void {
    if (this.state !== 'open') throw new Error(`RunDir: cannot ${what}: run directory already ${this.state}`);
  }
}

/** Names must stay inside the run dir. */
function checkName(name: string): string {
  if (name === '' || isAbsolute(name)) throw new Error(`RunDir: invalid file name ${JSON.stringify(name)}`);
  const rel = relative('.', join('.', name));
  if (rel === '' || rel === '..' || rel.startsWith('..' + sep)) {
    throw new Error(`RunDir: file name ${JSON.stringify(name)} escapes the run directory`);
  }
  return rel;
}

/** --overwrite deletes `out` recursively: refuse for /, $HOME, the cwd or its ancestors, and plain files. */
function refuseDangerousOverwrite(abs: string, out: string): void {
  const cwd = process.cwd();
  const rel = relative(abs, cwd);
  const isAncestorOfCwd = rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  if (abs === resolve('/') || abs === resolve(homedir()) || isAncestorOfCwd) {
    throw new OutputError(`--out ${out}: refusing to overwrite the filesystem root, home or current directory (or one containing it); choose another --out`);
  }
  if (!statSync(abs).isDirectory()) {
    throw new OutputError(`--out ${out}: refusing to overwrite: it exists and is not a directory; choose another --out`);
  }
}

function listFiles(root: string, prefix = ''): string[] {
  const outp: string[] = [];
  for (const e of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) outp.push(...listFiles(root, rel));
    else outp.push(rel);
  }
  return outp;
}

// Typed arrays would otherwise serialise as {"0":..,"1":..}; bigint would throw.
function jsonReplacer(_k: string, v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  if (typeof v === 'bigint') return v.toString();
  return v;
}
