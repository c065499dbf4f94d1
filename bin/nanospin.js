#!/usr/bin/env node
// Entry point: the CLI runs in a child process (TypeScript through tsx, no build step) under this small
// launcher, which
//  - drops Dawn's two native adapter warnings from stderr ("maxDynamic…BuffersPerPipelineLayout
//    artificially reduced …", printed by the OpenGL ES backend straight to file descriptor 2, which JavaScript
//    cannot redirect); everything else, progress included, is forwarded as it arrives;
//  - handles Ctrl-C and kill: the child dies at once (even inside a long CPU loop), and the launcher removes
//    the partial run directories the child announced (src/io/runDir.ts), says in one line what was lost and
//    exits 130 (SIGINT) or 128 + the signal's number.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const DAWN_NOISE = /^Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.$/;

if (process.env.NANOSPIN_CLI_CHILD === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli.ts');
  process.exitCode = await main(process.argv.slice(2));
  process.disconnect?.();
} else {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'pipe', 'ipc'], env: { ...process.env, NANOSPIN_CLI_CHILD: '1' },
  });
  const partials = new Set(), resumable = new Map();
  child.on('message', m => {
    if (m && typeof m.nanospinPartial === 'string') (m.open ? partials.add(m.nanospinPartial) : partials.delete(m.nanospinPartial));
    // a sweep's saved chunks (src/sweeps/chunked.ts): kept on interruption, reported with how to continue
    if (m && typeof m.nanospinResumable === 'string') (m.done >= 0 ? resumable.set(m.nanospinResumable, m) : resumable.delete(m.nanospinResumable));
  });
  let pending = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', chunk => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    const keep = lines.filter(l => !DAWN_NOISE.test(l));
    if (keep.length) process.stderr.write(keep.map(l => `${l}\n`).join(''));
  });
  // a terminal's Ctrl-C reaches both processes; a signal sent to this one alone is passed on
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('close', (code, signal) => {
    if (pending && !DAWN_NOISE.test(pending)) process.stderr.write(pending);
    if (signal) {
      for (const p of partials) rmSync(p, { recursive: true, force: true });
      const what = signal === 'SIGINT' ? 'interrupted' : `stopped by ${signal}`;
      const saved = [...resumable.values()].filter(r => r.done > 0);
      if (saved.length) {
        for (const r of saved) {
          const out = r.nanospinResumable.replace(/\.partial-chunks$/, '');
          process.stderr.write(`\nnanospin: ${what}; ${r.done} of ${r.total} chunks are saved in ${r.nanospinResumable}: continue with 'nanospin --resume ${out}' (or the same command and --out)\n`);
        }
      } else {
        for (const r of resumable.keys()) rmSync(r, { recursive: true, force: true });
        process.stderr.write(`\nnanospin: ${what}; nothing was written${partials.size ? ` (removed the unfinished ${[...partials].join(', ')})` : ''}\n`);
      }
      process.exitCode = 128 + (constants.signals[signal] ?? 0);
    } else {
      process.exitCode = code ?? 1;
    }
  });
}
