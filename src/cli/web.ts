// `nanospin web [--out DIR] [--serve [--port P] [--serve-for S]]`: build the in-browser explorer (a static
// page that runs the engine's WGSL kernels through navigator.gpu: src/web/) into DIR, and optionally serve
// it on 127.0.0.1.
import { parseFlags, helpText, type FlagSchema } from './args.ts';
import { buildExplorer, checkWebOut } from '../web/build.ts';
import { serveStatic } from '../web/serve.ts';

const FLAGS: FlagSchema = {
  out: { type: 'string', help: 'directory of the static page (an earlier explorer build there is replaced)', default: 'web-explorer' },
  serve: { type: 'bool', help: 'serve the page on 127.0.0.1 after building it (Ctrl-C stops)' },
  port: { type: 'int', help: 'port of --serve (0: any free port)', min: 0, max: 65535, default: 0 },
  'serve-for': { type: 'number', unit: 's', help: 'stop serving after this long (0: until Ctrl-C)', min: 0, default: 0 },
  debug: { type: 'bool', help: 'unminified bundle with an inline source map' },
  json: { type: 'bool', help: 'print {out, files, bytes, url?} as one JSON object on stdout' },
  help: { type: 'bool', help: 'show this help' },
};
const SUMMARY = 'build the in-browser explorer (switching and SOC-dimer maps on WebGPU, CSV/.npy downloads) and optionally serve it on 127.0.0.1';

export async function webCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, FLAGS, 'web');
  if (v.help) { process.stdout.write(helpText('web', SUMMARY, FLAGS)); return 0; }
  const out = v.out as string;
  checkWebOut(out);
  const b = await buildExplorer(out, { debug: !!v.debug });
  const summary: Record<string, unknown> = { out: b.out, files: b.files.length, bytes: b.bytes, version: b.info.version, commit: b.info.commit };
  if (!v.serve) {
    if (v.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else process.stdout.write(`explorer built in ${b.out} (${b.files.length} files, ${(b.bytes / 1e6).toFixed(2)} MB); serve the directory over HTTP (nanospin web --serve), a file:// page cannot fetch its shaders\n`);
    return 0;
  }
  const server = await serveStatic(b.out, v.port as number);
  if (v.json) process.stdout.write(JSON.stringify({ ...summary, url: server.url }) + '\n');
  else process.stdout.write(`explorer: ${server.url}  (serving ${b.out}${(v['serve-for'] as number) > 0 ? ` for ${v['serve-for']} s` : '; Ctrl-C stops'})\n`);
  await new Promise<void>(done => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); clearTimeout(timer); done(); };
    const seconds = v['serve-for'] as number;
    const timer = seconds > 0 ? setTimeout(stop, seconds * 1000) : undefined;
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
