// Shared by the sweep tests (test/sweep.*.test.ts): the CLI in its own process (for SIGKILL), waiting for saved
// chunks, and the bit-for-bit comparison of two run directories.
import { expect } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from './cliHarness.ts';

const BIN = fileURLToPath(new URL('../bin/nanospin.js', import.meta.url));

/** The CLI in its own process (the bare child with child: true, so SIGKILL hits the computing process). */
export function spawnCli(args: string[], o: { child?: boolean } = {}): { proc: ReturnType<typeof spawn>; done: Promise<{ code: number | null; err: string; out: string }> } {
  const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(o.child ? { NANOSPIN_CLI_CHILD: '1' } : {}) } });
  let err = '', out = '';
  proc.stderr!.on('data', d => { err += String(d); });
  proc.stdout!.on('data', d => { out += String(d); });
  return { proc, done: new Promise(resolve => proc.on('close', code => resolve({ code, err, out }))) };
}

/** Saved chunk files under DIR.partial-chunks (every part). */
export function savedChunks(out: string): number {
  const dir = `${out}.partial-chunks`;
  if (!existsSync(dir)) return 0;
  let n = 0;
  const walk = (d: string) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else if (/^chunk-\d+\.npy$/.test(f)) n++; } };
  try { walk(dir); } catch { /* removed while walking: the run finished */ }
  return n;
}

export function waitFor(cond: () => boolean, ms = 10): Promise<void> {
  return new Promise(resolve => { const t = setInterval(() => { if (cond()) { clearInterval(t); resolve(); } }, ms); });
}

/** Start `args` as the bare CLI child, SIGKILL it once `out` has at least `chunks` saved chunks; the chunks saved then. */
export async function killAfterChunks(args: string[], out: string, chunks: number): Promise<number> {
  const run = spawnCli(args, { child: true });
  await waitFor(() => savedChunks(out) >= chunks);
  run.proc.kill('SIGKILL');
  await run.done;
  return savedChunks(out);
}

/** Run the CLI in-process; fails the test with its stderr unless it exits 0. */
export async function ok(args: string[]): Promise<{ out: string; err: string }> {
  const r = await cli(args);
  expect(r.code, `nanospin ${args.join(' ')}\n${r.err}`).toBe(0);
  return r;
}

const RESULT = /\.(npy|csv|svg)$/;
/** An SVG without the numbers of its element ids (a per-process counter: `cbar-6` in one run is `cbar-13` in the next of the same process). */
const svgText = (p: string) => readFileSync(p, 'utf8').replace(/(id="|url\(#|href="#)([A-Za-z_-]+?)-?\d+/g, '$1$2-N');
/** Every result file (.npy, .csv byte for byte, .svg up to element ids) of `b` is that of `a`, and both hold the same ones. */
export function sameResults(a: string, b: string, o: { svg?: boolean } = {}): number {
  const files = (d: string) => readdirSync(d).filter(f => RESULT.test(f) && (o.svg !== false || !f.endsWith('.svg'))).sort();
  expect(files(b)).toEqual(files(a));
  for (const f of files(a)) {
    if (f.endsWith('.svg')) expect(svgText(join(b, f)) === svgText(join(a, f)), `${f} differs between ${a} and ${b}`).toBe(true);
    else expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), `${f} differs between ${a} and ${b}`).toBe(true);
  }
  return files(a).length;
}

export const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

/** Run `args` unsharded into `whole` and as N shards (in-process) merged into `merged`; returns the merged manifest. */
export async function shardAndMerge(args: string[], tmp: string, name: string, N: number): Promise<{ whole: string; merged: string }> {
  const whole = join(tmp, `${name}-whole`), merged = join(tmp, name);
  await ok([...args, '--out', whole]);
  for (let k = 1; k <= N; k++) await ok(['--shard', `${k}/${N}`, ...args, '--out', join(tmp, `${name}.shard-${k}`)]);
  await ok(['merge', ...Array.from({ length: N }, (_, k) => join(tmp, `${name}.shard-${k + 1}`)), '--out', merged, '--quiet']);
  expect(manifest(merged).extra.mergedShards).toHaveLength(N);
  return { whole, merged };
}
