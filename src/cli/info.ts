// `nanospin info`: what WebGPU adapters exist here and what `--backend auto` will use.
import { parseFlags, helpText, type FlagSchema } from './args.ts';
import { listAdapters } from '../backends/webgpu.ts';
import { openBackend } from '../backends/index.ts';

const FLAGS: FlagSchema = {
  json: { type: 'bool', help: 'print JSON' },
  help: { type: 'bool', help: 'show this help' },
};

export async function infoCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, 'info');
  if (values.help) { process.stdout.write(helpText('info', 'list WebGPU adapters', FLAGS)); return 0; }
  const adapters = await listAdapters();
  const auto = await openBackend('auto');
  const picked = { backend: auto.name, adapter: auto.adapter };
  auto.close();
  if (values.json) { process.stdout.write(JSON.stringify({ adapters, auto: picked }, null, 2) + '\n'); return 0; }
  if (adapters.length === 0) process.stdout.write('No WebGPU adapter found (no GPU, and no Mesa llvmpipe through OpenGL ES).\n');
  for (const a of adapters) {
    process.stdout.write(`${a.kind} adapter: ${a.description}\n  limits: ${Object.entries(a.limits).map(([k, v]) => `${k}=${v}`).join(', ')}\n  features: ${a.features.join(', ') || '(none)'}\n`);
  }
  process.stdout.write(`--backend auto → ${picked.backend} (${picked.adapter})\n`);
  return 0;
}
