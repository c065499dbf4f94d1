// The run-directory epilogue every command shares: the output location is checked before any work
// starts (outputTarget), the command's writer puts its tables, arrays and figures into the directory,
// and withRunDir adds manifest.json (provenance, with the command line), summary.json and report.html,
// then commits the directory in one rename (or removes it if anything failed).
import { RunDir } from '../io/runDir.ts';
import { buildManifest, type ManifestInput } from '../io/manifest.ts';
import { reportHtml, type ReportOptions } from '../plots/report.ts';

/** A run that finished but whose results cannot be presented (e.g. non-finite observables): one line, exit 1. */
export class RunFailure extends Error {}

export interface OutputTarget {
  /** The run directory as the user gave it (or the default name). */
  readonly out: string;
  readonly overwrite: boolean;
  /** The CLI words after `nanospin` (recorded in the manifest). */
  readonly command: string[];
}

/** `nanospin --dry-run <command> …`: everything is parsed and checked, nothing is computed or written. */
export class DryRun extends Error {}
let dryRun = false;
export function setDryRun(on: boolean): void { dryRun = on; }

/**
 * Where a run will be written: checked now, before any computation, so a long run cannot lose its work to it.
 * Every command calls it once its flags are parsed and checked, so a dry run stops here (DryRun).
 */
export function outputTarget(out: string | undefined, overwrite: boolean, defaultName: string, command: string[]): OutputTarget {
  const dir = out ?? `runs/${defaultName}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  RunDir.check(dir, overwrite);
  if (dryRun) throw new DryRun(`dry run: 'nanospin ${command.join(' ')}' is valid; it would write ${dir} (nothing was computed)`);
  return { out: dir, overwrite, command: [...command] };
}

export interface RunRecord {
  /** Everything the manifest records but the command line (taken from the target). */
  manifest: Omit<ManifestInput, 'command'>;
  /** Written as summary.json when given. */
  summary?: unknown;
  /** report.html (the file list and the command line are added here). */
  report?: Omit<ReportOptions, 'files' | 'commandLine'>;
}

/** Create the run directory, let `write` fill it, add manifest/summary/report and commit; returns the directory. */
export async function withRunDir(target: OutputTarget, write: (dir: RunDir) => RunRecord | Promise<RunRecord>): Promise<string> {
  const dir = await RunDir.create(target.out, { overwrite: target.overwrite });
  try {
    const rec = await write(dir);
    const manifest = buildManifest({ command: target.command, ...rec.manifest });
    dir.writeJson('manifest.json', manifest);
    if (rec.summary !== undefined) dir.writeJson('summary.json', rec.summary);
    if (rec.report) dir.writeText('report.html', reportHtml({ ...rec.report, commandLine: manifest.commandLine, files: [...dir.files(), 'report.html'] }));
    return dir.commit();
  } catch (e) {
    dir.abort();
    throw e;
  }
}

/**
 * The `--json` summary of a sweep as one object with its `points` last, streamed in pieces of `per` points, so
 * a map of millions of points never has to exist as one string.
 */
export function writePointsJson(write: (s: string) => void, head: Record<string, unknown>, count: number, point: (i: number) => unknown, per = 4096): void {
  write(JSON.stringify(head).slice(0, -1) + ',"points":[');
  for (let first = 0; first < count; first += per) {
    const parts: string[] = [];
    for (let i = first; i < Math.min(count, first + per); i++) parts.push(JSON.stringify(point(i)));
    write((first > 0 ? ',' : '') + parts.join(','));
  }
  write(']}\n');
}
