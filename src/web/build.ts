// Builds the in-browser explorer (src/web/app.ts) into a static directory:
//   OUT/index.html               the page
//   OUT/assets/js/explorer.js    the engine and the page, one ES module (esbuild)
//   OUT/shaders/**.wgsl          the same WGSL the CLI runs (src/backends/shaders.ts fetches ../../shaders/ relative to the bundle)
//   OUT/nanospin-web.json        what was built, from which version and commit (marks OUT as an explorer build)
// The bundle is the engine's own modules, unchanged, with two kinds of stand-ins (the plugin below):
//  - src/runs/output.ts → src/web/shims/output.ts: the commands' writers fill an in-memory run directory;
//  - the few node: built-ins that bundled modules import statically (manifest.ts's provenance, csv.ts's
//    writer) → src/web/shims/node/*.ts, and `process.version` (buildManifest's `node` field) → 'none (browser)'
//    (every other use of `process` is behind a typeof check or on a Node-only branch). Any other static node: import is a build error naming the module,
//    so a change that would break the page breaks the build instead. Dynamic node: imports (the Node-only
//    branches of shaders.ts and webgpu.ts, never taken in a browser) stay external, as does 'webgpu' (Dawn).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { buildManifest } from '../io/manifest.ts';
import { UsageError } from '../cli/args.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const here = (p: string) => resolve(ROOT, p);

/** Modules replaced in the browser bundle (absolute path → stand-in). */
const SUBSTITUTES: Record<string, string> = { [here('src/runs/output.ts')]: here('src/web/shims/output.ts') };
/** Node built-ins the bundle may import statically, and their stand-ins. */
const NODE_SHIMS: Record<string, string> = {
  'node:fs': here('src/web/shims/node/fs.ts'),
  'node:os': here('src/web/shims/node/os.ts'),
  'node:url': here('src/web/shims/node/url.ts'),
  'node:child_process': here('src/web/shims/node/child_process.ts'),
};

export const MARKER = 'nanospin-web.json';
export const BUNDLE = 'assets/js/explorer.js';

/** The esbuild plugin that keeps the bundle browser-safe (see the header). */
export function browserSafe(): Plugin {
  return {
    name: 'nanospin-browser-safe',
    setup(b) {
      b.onResolve({ filter: /^(node:|webgpu$)/ }, args => {
        if (args.kind === 'dynamic-import') return { path: args.path, external: true };
        const shim = NODE_SHIMS[args.path];
        if (shim) return { path: shim };
        return { errors: [{ text: `${relative(ROOT, args.importer)} imports ${args.path}, which a browser does not have; the explorer can stand in only for ${Object.keys(NODE_SHIMS).join(', ')} (src/web/build.ts)` }] };
      });
      b.onResolve({ filter: /\.ts$/ }, args => {
        if (!args.importer) return undefined;
        const target = SUBSTITUTES[resolve(args.resolveDir, args.path)];
        return target && args.importer !== target ? { path: target } : undefined;
      });
    },
  };
}

export interface BuildInfo { version: string; commit: string | null; builtAt: string }

/** Bundle the explorer's entry; the JavaScript text. */
export async function bundleExplorer(info: BuildInfo, opts: { debug?: boolean } = {}): Promise<string> {
  const { build } = await import('esbuild');
  try {
    const r = await build({
      entryPoints: [here('src/web/app.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false,
      plugins: [browserSafe()], define: { NANOSPIN_BUILD: JSON.stringify(info), 'process.version': JSON.stringify('none (browser)') }, minify: !opts.debug,
      sourcemap: opts.debug ? 'inline' : false, legalComments: 'none', logLevel: 'silent', charset: 'utf8',
    });
    return r.outputFiles[0].text;
  } catch (e) {
    const errs = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    if (errs?.length) throw new Error(`nanospin web: the explorer did not build:\n${errs.map(x => `  ${x.location ? `${x.location.file}:${x.location.line}: ` : ''}${x.text}`).join('\n')}`);
    throw e;
  }
}

function copyWgsl(from: string, to: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, e.name), dst = join(to, e.name);
    if (e.isDirectory()) out.push(...copyWgsl(src, dst).map(f => `${e.name}/${f}`));
    else if (e.name.endsWith('.wgsl')) { mkdirSync(to, { recursive: true }); writeFileSync(dst, readFileSync(src)); out.push(e.name); }
  }
  return out;
}

/** Refuse an --out that holds something other than an earlier explorer build (that one is replaced). */
export function checkWebOut(out: string): void {
  if (out.trim() === '') throw new UsageError('--out must name a directory (got an empty path)');
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out}: a file (not a directory) is in the way; choose another --out`);
  if (readdirSync(out).length > 0 && !existsSync(join(out, MARKER))) {
    throw new UsageError(`--out ${out}: the directory exists and is not an explorer build (no ${MARKER}); choose another --out or empty it`);
  }
}

export interface WebBuild { out: string; files: string[]; bytes: number; info: BuildInfo }

/** Build the explorer into `out` (replacing an earlier explorer build there, atomically). */
export async function buildExplorer(out: string, opts: { debug?: boolean } = {}): Promise<WebBuild> {
  checkWebOut(out);
  const m = buildManifest({ command: [], params: null, backend: '', adapter: '', timings: {} });
  const info: BuildInfo = { version: m.nanospin, commit: m.gitCommit, builtAt: new Date().toISOString() };
  const js = await bundleExplorer(info, opts);
  const abs = resolve(out), partial = `${abs}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    mkdirSync(join(partial, dirname(BUNDLE)), { recursive: true });
    writeFileSync(join(partial, BUNDLE), js);
    const html = readFileSync(here('src/web/index.html'), 'utf8').replace('%BUNDLE%', BUNDLE).replace(/%VERSION%/g, info.version);
    writeFileSync(join(partial, 'index.html'), html);
    const shaders = copyWgsl(here('shaders'), join(partial, 'shaders')).map(f => `shaders/${f}`);
    const files = ['index.html', BUNDLE, ...shaders, MARKER];
    writeFileSync(join(partial, MARKER), JSON.stringify({ ...info, files }, null, 2) + '\n');
    const bytes = files.reduce((s, f) => s + statSync(join(partial, f)).size, 0);
    if (existsSync(abs)) {
      const old = `${abs}.old-${process.pid}`;
      renameSync(abs, old);
      renameSync(partial, abs);
      rmSync(old, { recursive: true, force: true });
    } else {
      mkdirSync(dirname(abs), { recursive: true });
      renameSync(partial, abs);
    }
    return { out: abs, files, bytes, info };
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
}
