// `nanospin rerun DIR [--out NEW] [--overwrite]`: run the command recorded in DIR/manifest.json (its
// `command` array: the words and flags after `nanospin`) again, into a new run directory. The recorded
// --out and --overwrite are dropped; --out NEW (or, without it, the command's own default name) is used
// instead, and DIR itself (or a directory that contains it) is never the target. Same flags, same seed,
// same version → the same numbers (counter-based noise); a different nanospin version or commit is
// reported before the run starts.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { parseFlags, helpText, UsageError, type FlagSchema } from './args.ts';
import { findCommand } from './commands.ts';
import { buildManifest, shellQuote } from '../io/manifest.ts';

const FLAGS: FlagSchema = {
  out: { type: 'string', help: 'run directory of the new run (default: the command\'s own default, runs/<command>-<time stamp>)' },
  overwrite: { type: 'bool', help: 'replace --out if it is an earlier complete run (never DIR itself)' },
  help: { type: 'bool', help: 'show this help' },
};
const SUMMARY = 'run the command recorded in a run directory\'s manifest.json again, into a new directory';

interface RecordedManifest { command?: unknown; nanospin?: unknown; gitCommit?: unknown }

/** The recorded command without its --out/--overwrite (they name the old directory). */
export function recordedCommand(command: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < command.length; i++) {
    const a = command[i];
    if (a === '--out') { i++; continue; }
    if (a.startsWith('--out=') || a === '--overwrite' || a.startsWith('--overwrite=')) continue;
    out.push(a);
  }
  return out;
}

function realOrResolved(p: string): string {
  try { return realpathSync(p); } catch { return resolve(p); }
}

/** True when `target` is `dir` or one of its ancestors (replacing it would remove `dir`). */
function covers(target: string, dir: string): boolean {
  const rel = relative(realOrResolved(target), realOrResolved(dir));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export async function rerunCommand(argv: string[]): Promise<number> {
  const positional: string[] = [], flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && i + 1 < argv.length) flags.push(argv[i], argv[++i]);
    else (argv[i].startsWith('--') ? flags : positional).push(argv[i]);
  }
  const { values: v } = parseFlags(flags, FLAGS, 'rerun');
  if (v.help) { process.stdout.write(helpText('rerun DIR', SUMMARY, FLAGS)); return 0; }
  if (positional.length !== 1) throw new UsageError(`rerun: give exactly one run directory (nanospin rerun DIR --out NEW), got ${positional.length ? positional.map(s => `'${s}'`).join(', ') : 'none'}`);
  const dir = positional[0];
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw new UsageError(`rerun ${dir}: no manifest.json there, so it is not a complete nanospin run directory`);
  let m: RecordedManifest;
  try { m = JSON.parse(readFileSync(file, 'utf8')) as RecordedManifest; } catch (e) { throw new UsageError(`rerun ${dir}: manifest.json is not valid JSON (${(e as Error).message})`); }
  if (!Array.isArray(m.command) || m.command.length === 0 || !m.command.every(a => typeof a === 'string')) {
    throw new UsageError(`rerun ${dir}: manifest.json has no command (a list of the words and flags after 'nanospin')`);
  }
  const command = recordedCommand(m.command as string[]);
  const found = findCommand(command);
  if (!found) throw new UsageError(`rerun ${dir}: the recorded command '${(m.command as string[]).slice(0, 2).join(' ')}' is not a command of this nanospin`);
  if (found.entry.path[0] === 'rerun') throw new UsageError(`rerun ${dir}: the recorded command is itself a rerun`);
  const out = v.out as string | undefined;
  if (out !== undefined && covers(out, dir)) {
    throw new UsageError(`rerun: --out ${out} ${realOrResolved(out) === realOrResolved(dir) ? 'is' : 'contains'} the run being repeated (${dir}); choose a new directory`);
  }
  const { version, commit } = currentVersion();
  if (m.nanospin !== undefined && m.nanospin !== version) process.stderr.write(`rerun: ${dir} was written by nanospin ${String(m.nanospin)}, this is ${version}: results may differ\n`);
  else if (typeof m.gitCommit === 'string' && commit && m.gitCommit !== commit) process.stderr.write(`rerun: ${dir} was written at commit ${m.gitCommit}, this checkout is at ${commit}: results may differ\n`);
  if (command.some(a => a === '--sweep-file' || a.startsWith('--sweep-file='))) process.stderr.write(`rerun: the recorded command reads a sweep file again; if it changed since, so does the run\n`);
  const args = [...found.rest, ...(out !== undefined ? ['--out', out] : []), ...(v.overwrite ? ['--overwrite'] : [])];
  process.stderr.write(`rerun: nanospin ${[...found.entry.path, ...args].map(shellQuote).join(' ')}\n`);
  return found.entry.run(args);
}

/** This nanospin's version and commit, as a manifest written now would record them. */
function currentVersion(): { version: string; commit: string | null } {
  const m = buildManifest({ command: [], params: null, backend: '', adapter: '', timings: {} });
  return { version: m.nanospin, commit: m.gitCommit };
}
