// Provenance record written next to every run's results.
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface ManifestInput {
  /** CLI arguments after the program name (e.g. process.argv.slice(2)). */
  command: string[];
  params: unknown;
  backend: string;
  adapter: string;
  seed?: number;
  timings: Record<string, number>;
  tolerances?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

export interface Manifest extends ManifestInput {
  nanospin: string;
  gitCommit: string | null;
  createdAt: string;
  node: string;
  platform: string;
  arch: string;
  cpus: { count: number; model: string };
  commandLine: string;
}

const PKG_URL = new URL('../../package.json', import.meta.url);
const PKG_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function packageVersion(): string {
  try {
    return String((JSON.parse(readFileSync(PKG_URL, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

function git(args: string[]): string {
  return execFileSync('git', args, {
    cwd: PKG_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 5000,
  }).trim();
}

/** HEAD of nanospin's own checkout (+ '-dirty'), or null when not a git checkout / no git. */
export function gitCommit(): string | null {
  try {
    // Only trust git if the repo root IS the package root: an installed copy inside
    // someone else's repo (node_modules) must not report their commit.
    const top = git(['rev-parse', '--show-toplevel']);
    if (realpathSync(top) !== realpathSync(PKG_ROOT)) return null;
    const head = git(['rev-parse', 'HEAD']);
    if (!/^[0-9a-f]{40,64}$/.test(head)) return null;
    const dirty = git(['status', '--porcelain']) !== '';
    return dirty ? `${head}-dirty` : head;
  } catch {
    return null;
  }
}

/** POSIX-shell quoting: bare when safe, otherwise single quotes ('\'' for embedded quotes). */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function buildManifest(input: ManifestInput): Manifest {
  const cpuList = cpus();
  const m: Manifest = {
    nanospin: packageVersion(),
    gitCommit: gitCommit(),
    createdAt: new Date().toISOString(),
    node: process.version,
    platform: platform(),
    arch: arch(),
    cpus: { count: cpuList.length, model: cpuList[0]?.model?.trim() ?? 'unknown' },
    commandLine: ['nanospin', ...input.command].map(shellQuote).join(' '),
    command: [...input.command],
    params: input.params,
    backend: input.backend,
    adapter: input.adapter,
    timings: input.timings,
  };
  if (input.seed !== undefined) m.seed = input.seed;
  if (input.tolerances !== undefined) m.tolerances = input.tolerances;
  if (input.extra !== undefined) m.extra = input.extra;
  return m;
}
