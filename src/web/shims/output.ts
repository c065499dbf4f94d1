// Browser stand-in for src/runs/output.ts, put in its place by the explorer's build (src/web/build.ts), so
// that the commands' own writers (writeSwitchingMap, writeSocLangevin, …) run unchanged in the page: the
// same tables, arrays, figures, manifest.json and report.html, in memory instead of on disk. A run is
// registered in `memoryRuns` only once its writer returned (nothing half-written is ever presented).
// It exports what src/runs/output.ts exports; a new export there that a bundled module imports makes the
// build fail ("No matching export"), never the page.
import { buildManifest } from '../../io/manifest.ts';
import { reportHtml } from '../../plots/report.ts';
import { toCsv, type CsvColumn } from '../../io/csv.ts';
import { encodeNpyBytes, type NpyArray } from '../../io/npyEncode.ts';
import { BUILD_INFO } from '../buildInfo.ts';
import type { OutputTarget, RunRecord } from '../../runs/output.ts';
import type { RunDir } from '../../io/runDir.ts';

export type { OutputTarget, RunRecord } from '../../runs/output.ts';

export class RunFailure extends Error {}
export class DryRun extends Error {}
export function setDryRun(_on: boolean): void { /* the page never dry-runs */ }

/** A finished run directory, in memory: file name → contents, in the order written. */
export interface MemoryRun {
  out: string;
  files: Map<string, Uint8Array>;
  manifest: Record<string, unknown>;
}

export const memoryRuns = new Map<string, MemoryRun>();

const text = new TextEncoder();

/** The RunDir methods the writers use, keeping the bytes. */
export class MemoryRunDir {
  readonly files = new Map<string, Uint8Array>();
  constructor(readonly out: string) {}
  private put(name: string, bytes: Uint8Array): string {
    if (name === '' || name.startsWith('/') || name.split('/').includes('..')) throw new Error(`RunDir: invalid file name ${JSON.stringify(name)}`);
    if (this.files.has(name)) throw new Error(`RunDir: ${name} written twice`);
    this.files.set(name, bytes);
    return `${this.out}/${name}`;
  }
  path(name: string): string { return `${this.out}/${name}`; }
  writeText(name: string, s: string): string { return this.put(name, text.encode(s)); }
  writeJson(name: string, obj: unknown): string { return this.writeText(name, JSON.stringify(obj, null, 2) + '\n'); }
  writeNpy(name: string, data: NpyArray, shape: number[]): string { return this.put(name, encodeNpyBytes(data, shape)); }
  writeCsv(name: string, columns: Record<string, CsvColumn>): string { return this.writeText(name, toCsv(columns)); }
}

/** No file system to check: the target is only named (the page's runs never collide: see memoryRuns). */
export function outputTarget(out: string | undefined, overwrite: boolean, defaultName: string, command: string[]): OutputTarget {
  return { out: out ?? `${defaultName}-${new Date().toISOString().replace(/[:.]/g, '-')}`, overwrite, command: [...command] };
}

/** src/runs/output.ts withRunDir, in memory: the writer's files, then manifest.json, summary.json and report.html. */
export async function withRunDir(target: OutputTarget, write: (dir: RunDir) => RunRecord | Promise<RunRecord>): Promise<string> {
  const dir = new MemoryRunDir(target.out);
  const rec = await write(runDirView(dir));
  const manifest = buildManifest({ command: target.command, ...rec.manifest }) as unknown as Record<string, unknown>;
  // no git in a page: the commit the explorer was built from, and where it ran
  manifest.gitCommit = BUILD_INFO.commit;
  manifest.browser = { userAgent: (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? 'unknown', explorerBuiltAt: BUILD_INFO.builtAt };
  dir.writeJson('manifest.json', manifest);
  if (rec.summary !== undefined) dir.writeJson('summary.json', rec.summary);
  if (rec.report) dir.writeText('report.html', reportHtml({ ...rec.report, commandLine: String(manifest.commandLine), files: [...dir.files.keys(), 'report.html'] }));
  memoryRuns.set(target.out, { out: target.out, files: dir.files, manifest });
  return target.out;
}

/** The object handed to a writer: RunDir's file methods (files() lists the names written so far); a writer calling any other RunDir method fails loudly. */
function runDirView(dir: MemoryRunDir): RunDir {
  const view = {
    out: dir.out,
    path: (n: string) => dir.path(n),
    writeText: (n: string, s: string) => dir.writeText(n, s),
    writeJson: (n: string, o: unknown) => dir.writeJson(n, o),
    writeNpy: (n: string, d: NpyArray, s: number[]) => dir.writeNpy(n, d, s),
    writeCsv: (n: string, c: Record<string, CsvColumn>) => dir.writeCsv(n, c),
    files: () => [...dir.files.keys()],
  };
  return view as unknown as RunDir;
}
