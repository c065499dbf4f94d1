// Run-directory writer: everything goes into `${out}.partial-${pid}` and only appears at
// `out` on commit() (one rename), so a crashed or interrupted run never leaves a
// half-written result directory that looks complete.
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeCsv, type CsvColumn } from './csv.ts';
import { writeNpy, type NpyArray } from './npy.ts';

export interface RunDirOptions {
  /** Replace an existing `out` (removed only when commit() succeeds). */
  overwrite?: boolean;
}

type State = 'open' | 'committed' | 'aborted';

/** The output location cannot be used (exists, not a directory, not writable, …): a usage error. */
export class OutputError extends Error {}

/**
 * Partial directories being written are announced to a supervising launcher (bin/nanospin.js runs the CLI
 * as a child with an IPC channel): if the run is interrupted or killed, the launcher removes them, so
 * nothing half-written is left behind even when the process dies mid-write.
 */
export function announcePartial(partial: string, open: boolean): void {
  if (typeof process.send === 'function' && process.connected) process.send({ nanospinPartial: partial, open });
}

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

  /**
   * Throws OutputError now (one line naming --out and what to do) if `out` could not be created, or
   * replaced, at commit: empty, a file in the way, an existing directory without --overwrite, a
   * directory that is not a complete nanospin run (--overwrite replaces nothing else), a parent that is
   * a file or not writable, a special file system. Removes partial directories that dead runs to the
   * same `out` left behind (and says so on stderr). Touches nothing else.
   */
  static check(out: string, overwrite: boolean): string {
    if (typeof out !== 'string' || out.trim() === '') throw new OutputError('--out must name a directory (got an empty path)');
    const abs = resolve(out);
    const special = specialFileSystem(abs);
    if (special) throw new OutputError(`--out ${out}: ${special} is a special file system, not a place for results; choose a directory on disk`);
    if (existsSync(abs) || isSymlink(abs)) {
      if (!statSafe(abs)?.isDirectory()) throw new OutputError(`--out ${out}: a file (not a directory) is in the way; remove it or choose another --out`);
      if (!overwrite) throw new OutputError(`--out ${out}: the directory already exists; pass --overwrite to replace it or choose another --out`);
      refuseDangerousOverwrite(abs, out);
    }
    // the nearest existing ancestor must be a directory we can write in
    let parent = dirname(abs);
    while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
    if (!statSafe(parent)?.isDirectory()) throw new OutputError(`--out ${out}: ${parent} is a file, not a directory; choose another --out`);
    try { accessSync(parent, constants.W_OK | constants.X_OK); } catch { throw new OutputError(`--out ${out}: cannot write in ${parent} (permission denied); choose another --out`); }
    removeDeadPidDirs(`${abs}.partial-`);
    return abs;
  }

  static async create(out: string, opts: RunDirOptions = {}): Promise<RunDir> {
    const overwrite = opts.overwrite ?? false;
    const abs = RunDir.check(out, overwrite);
    const partial = `${abs}.partial-${process.pid}`;
    announcePartial(partial, true);                     // before it exists: a kill at any moment after leaves nothing
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
      refuseDangerousOverwrite(this.out, this.out);
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
    announcePartial(this.partial, false);
    if (old !== null) rmSync(old, { recursive: true, force: true });
    return this.out;
  }

  /** Discard everything written (idempotent; no-op after commit). */
  abort(): void {
    if (this.state !== 'open') return;
    announcePartial(this.partial, false);
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

/**
 * --overwrite deletes `out` recursively, so it only ever replaces a complete nanospin run directory (one
 * with our manifest.json): refuse /, $HOME, the cwd or its ancestors, and any other directory.
 */
function refuseDangerousOverwrite(abs: string, out: string): void {
  const cwd = process.cwd();
  const rel = relative(abs, cwd);
  const isAncestorOfCwd = rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  if (abs === resolve('/') || abs === resolve(homedir()) || isAncestorOfCwd) {
    throw new OutputError(`--out ${out}: refusing to overwrite the filesystem root, home or current directory (or one containing it); choose another --out`);
  }
  if (!isRunDirectory(abs)) {
    throw new OutputError(`--out ${out}: refusing to overwrite: it is not a nanospin run directory (no nanospin manifest.json), so --overwrite leaves it alone; choose another --out`);
  }
}

/** A complete run written by nanospin: a manifest.json whose `nanospin` field names the version. */
export function isRunDirectory(dir: string): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { nanospin?: unknown; commandLine?: unknown };
    return typeof m.nanospin === 'string' && typeof m.commandLine === 'string';
  } catch {
    return false;
  }
}

function statSafe(p: string): ReturnType<typeof statSync> | undefined {
  try { return statSync(p); } catch { return undefined; }
}

function isSymlink(p: string): boolean {
  try { return lstatSync(p).isSymbolicLink(); } catch { return false; }
}

/** /proc, /sys, /dev (or a path resolving into one): pseudo file systems where writes hang or fail oddly. */
function specialFileSystem(abs: string): string | undefined {
  let p = abs;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  let real = p;
  try { real = realpathSync(p); } catch { /* keep p */ }
  for (const root of ['/proc', '/sys', '/dev']) if (real === root || real.startsWith(`${root}/`) || abs === root || abs.startsWith(`${root}/`)) return root;
  return undefined;
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/**
 * `${stem}<pid>` directories whose process is gone (killed mid-write; here `${out}.partial-<pid>`, for the sweep
 * engine `${out}.partial-chunks.new-<pid>`): removed, one line each on stderr.
 */
export function removeDeadPidDirs(stem: string): void {
  const dir = dirname(stem), base = basename(stem);
  let names: string[];
  try { names = readdirSync(dir); } catch { return; }
  for (const name of names) {
    if (!name.startsWith(base)) continue;
    const pid = Number(name.slice(base.length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || pidAlive(pid)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    process.stderr.write(`nanospin: removed ${join(dir, name)}, left by an interrupted run (process ${pid} is gone)\n`);
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
