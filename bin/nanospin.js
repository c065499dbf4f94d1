#!/usr/bin/env node
// Entry point: load the TypeScript sources through tsx (no build step), then run the CLI.
//
// Dawn's OpenGL ES backend (Mesa llvmpipe) prints two native warnings on every adapter request
// ("maxDynamic…BuffersPerPipelineLayout artificially reduced …") straight to file descriptor 2, which
// JavaScript cannot redirect. So the CLI runs in a child process whose stderr passes through here
// with those two lines dropped (everything else, progress included, is forwarded as it arrives).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DAWN_NOISE = /^Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.$/;

if (process.env.NANOSPIN_CLI_CHILD === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  const { main, onInterrupt } = await import('../src/cli.ts');
  process.on('SIGINT', () => { onInterrupt(); process.exit(130); });
  process.exitCode = await main(process.argv.slice(2));
} else {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'pipe'], env: { ...process.env, NANOSPIN_CLI_CHILD: '1' },
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
    process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
  });
}
