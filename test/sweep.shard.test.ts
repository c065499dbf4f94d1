// Sweeps that outgrow one run (src/sweeps/chunked.ts, src/runs/sweepRun.ts, src/cli/merge.ts), on the demo map:
// 4 shards run as parallel processes and merged equal the unsharded run bit for bit; a run killed with SIGKILL
// and run again continues from its saved chunks to the same bits; Ctrl-C leaves the saved chunks and says how
// to continue; merging refuses incomplete, overlapping and mismatched shards; --shard and --resume check input.
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from './cliHarness.ts';
import { shardRange } from '../src/sweeps/chunked.ts';

const BIN = fileURLToPath(new URL('../bin/nanospin.js', import.meta.url));
const MAP = ['demo', '--backend', 'cpu', '--fields', '0:3:10', '--temperatures', '0:6:5', '--trajectories', '16', '--time', '8', '--quiet'];
let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-shard-')); });

/** The CLI in its own process (through the launcher, or as the bare child with child: true). */
function run(args: string[], o: { child?: boolean } = {}): { proc: ReturnType<typeof spawn>; done: Promise<{ code: number | null; err: string }> } {
  const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(o.child ? { NANOSPIN_CLI_CHILD: '1' } : {}) } });
  let err = '';
  proc.stderr!.on('data', d => { err += String(d); });
  return { proc, done: new Promise(resolve => proc.on('close', code => resolve({ code, err }))) };
}

const npys = (dir: string) => readdirSync(dir).filter(f => f.endsWith('.npy')).sort();
function sameArrays(a: string, b: string): void {
  expect(npys(b)).toEqual(npys(a));
  for (const f of npys(a)) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
}

describe('shards and merge', () => {
  it('shard ranges are contiguous, disjoint, balanced and cover the sweep', () => {
    for (const [P, N] of [[50, 4], [7, 7], [10, 3], [1000, 64]]) {
      let next = 0;
      for (let k = 1; k <= N; k++) {
        const r = shardRange(P, { k, N });
        expect(r.first).toBe(next);
        expect(Math.abs(r.count - P / N)).toBeLessThan(1);
        next += r.count;
      }
      expect(next).toBe(P);
    }
  });

  it('4 shards as parallel processes, merged, equal the unsharded run bit for bit (arrays and CSV)', async () => {
    const whole = join(tmp, 'whole');
    expect((await run([...MAP, '--out', whole]).done).code).toBe(0);
    const procs = [1, 2, 3, 4].map(k => run(['--shard', `${k}/4`, ...MAP, '--out', join(tmp, `map.shard-${k}`)]));
    for (const p of procs) expect((await p.done).code).toBe(0);
    const merged = join(tmp, 'merged');
    const m = await cli(['merge', ...[1, 2, 3, 4].map(k => join(tmp, `map.shard-${k}`)), '--out', merged, '--quiet']);
    expect(m.code, m.err).toBe(0);
    sameArrays(whole, merged);
    expect(readFileSync(join(merged, 'switching.csv'), 'utf8')).toBe(readFileSync(join(whole, 'switching.csv'), 'utf8'));
    const man = JSON.parse(readFileSync(join(merged, 'manifest.json'), 'utf8'));
    expect(man.extra.mergedShards).toHaveLength(4);
    expect(existsSync(join(merged, 'report.html'))).toBe(true);
  });

  it('merge refuses incomplete, overlapping and mismatched shards', async () => {
    const s = (k: number) => join(tmp, `map.shard-${k}`);
    let r = await cli(['merge', s(1), s(2), s(3), '--out', join(tmp, 'm1')]);
    expect(r.code).toBe(2); expect(r.err).toMatch(/shard 4 of 4 missing \(incomplete sweep/);
    r = await cli(['merge', s(1), s(2), s(3), s(4), s(4), '--out', join(tmp, 'm2')]);
    expect(r.code).toBe(2); expect(r.err).toMatch(/are both shard 4\/4 \(overlapping shards\)/);
    const other = join(tmp, 'other.shard-1');
    expect((await cli(['--shard', '1/4', ...MAP.map(a => (a === '16' ? '8' : a)), '--out', other])).code).toBe(0);
    r = await cli(['merge', other, s(2), s(3), s(4), '--out', join(tmp, 'm3')]);
    expect(r.code).toBe(2); expect(r.err).toMatch(/shards of different commands do not merge/);
    r = await cli(['merge', join(tmp, 'whole'), '--out', join(tmp, 'm4')]);
    expect(r.code).toBe(2); expect(r.err).toMatch(/not a shard \(it was not run with --shard k\/N\)/);
    expect(existsSync(join(tmp, 'm1')) || existsSync(join(tmp, 'm2')) || existsSync(join(tmp, 'm3'))).toBe(false);
  });

  it('--shard checks its value and the command', async () => {
    for (const [spec, msg] of [['5/4', /k must be in \[1, 4\]/], ['0/0', /N ≥ 1/], ['x', /--shard must be k\/N/]] as const) {
      const r = await cli(['--shard', spec, ...MAP, '--out', join(tmp, 'bad')]);
      expect(r.code).toBe(2); expect(r.err).toMatch(msg);
    }
    const r = await cli(['--shard', '1/2', 'llg', '--out', join(tmp, 'bad')]);
    expect(r.code).toBe(2); expect(r.err).toMatch(/'nanospin llg' is not a resumable sweep command/);
  });
});

describe('resume', () => {
  it('a run killed with SIGKILL continues from its saved chunks to the bits of an uninterrupted run', async () => {
    const big = ['demo', '--backend', 'cpu', '--fields', '0:3:10', '--temperatures', '0:6:5', '--trajectories', '48', '--time', '8'];
    const ref = join(tmp, 'ref'), res = join(tmp, 'res');
    expect((await run([...big, '--quiet', '--out', ref]).done).code).toBe(0);
    const first = run([...big, '--out', res], { child: true });
    // wait for some chunks, then kill without warning
    await new Promise<void>(resolve => { const t = setInterval(() => { if (existsSync(`${res}.partial-chunks`) && readdirSync(`${res}.partial-chunks`).filter(f => f.startsWith('chunk-')).length >= 3) { clearInterval(t); resolve(); } }, 20); });
    first.proc.kill('SIGKILL');
    await first.done;
    expect(existsSync(res)).toBe(false);
    const again = await run([...big, '--out', res]).done;
    expect(again.code, again.err).toBe(0);
    expect(again.err).toMatch(/resuming from .*res\.partial-chunks: \d+ finished chunks? of \d+/);
    sameArrays(ref, res);
    expect(existsSync(`${res}.partial-chunks`)).toBe(false);
  });

  it('Ctrl-C keeps the saved chunks and says how to continue; --resume DIR continues', async () => {
    const out = join(tmp, 'ctrlc');
    const r = run([...MAP.filter(a => a !== '--quiet'), '--out', out]);
    await new Promise<void>(resolve => { const t = setInterval(() => { if (existsSync(`${out}.partial-chunks`) && readdirSync(`${out}.partial-chunks`).some(f => f.startsWith('chunk-'))) { clearInterval(t); resolve(); } }, 10); });
    r.proc.kill('SIGINT');
    const d = await r.done;
    expect(d.code).toBe(130);
    expect(d.err).toMatch(/interrupted; \d+ of \d+ chunks are saved in .*ctrlc\.partial-chunks: continue with 'nanospin --resume .*ctrlc'/);
    const again = await run(['--resume', out]).done;
    expect(again.code, again.err).toBe(0);
    sameArrays(join(tmp, 'whole'), out);
  });

  it('a chunk directory appears with its state or not at all; one without a finished chunk, of a run that is gone, does not block the next run', async () => {
    const out = join(tmp, 'leftover');
    mkdirSync(`${out}.partial-chunks`);                        // what an older nanospin killed between mkdir and write left
    writeFileSync(`${out}.partial-chunks/sweep.json`, '{"identity": {"command": ["demo", "--time", "3"]}, "parts": []}');
    writeFileSync(`${out}.partial-chunks/owner`, '2147483646');  // no such process
    mkdirSync(`${out}.partial-chunks.new-2147483646`);          // a run killed before its rename (no such process)
    const r = await run([...MAP, '--out', out]).done;
    expect(r.code, r.err).toBe(0);
    sameArrays(join(tmp, 'whole'), out);
    expect(readdirSync(tmp).filter(f => f.startsWith('leftover.'))).toEqual([]);
  });

  it('refuses a different command on the chunks of another, and --resume where nothing is unfinished', async () => {
    const out = join(tmp, 'foreign');
    const a = run([...MAP, '--out', out], { child: true });
    await new Promise<void>(resolve => { const t = setInterval(() => { if (existsSync(`${out}.partial-chunks`) && readdirSync(`${out}.partial-chunks`).some(f => f.startsWith('chunk-'))) { clearInterval(t); resolve(); } }, 5); });
    a.proc.kill('SIGKILL');
    await a.done;
    const r = await cli([...MAP.map(a => (a === '8' ? '9' : a)), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds the unfinished chunks of a different run \(nanospin demo .*--time 8.*\); resume it with 'nanospin --resume/);
    const n = await cli(['--resume', join(tmp, 'nothing-here')]);
    expect(n.code).toBe(2); expect(n.err).toMatch(/--resume .*nothing-here: no unfinished run there/);
  });
});
