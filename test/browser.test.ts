// The same WGSL and host code in a browser: the engine bundled for the web, served from 127.0.0.1,
// run in headless Chromium's WebGPU (SwiftShader) through navigator.gpu. With REQUIRE_BROWSER=1 (CI)
// a missing Chromium fails instead of skipping.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('../', import.meta.url));

async function serve(bundle: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><script type="module" src="/web/app/bundle.js"></script>');
    } else if (path === '/web/app/bundle.js') {
      res.setHeader('content-type', 'text/javascript');
      res.end(bundle);
    } else if (/^\/shaders\/[\w/]+\.wgsl$/.test(path) && existsSync(root + path.slice(1))) {
      res.setHeader('content-type', 'text/plain');
      res.end(readFileSync(root + path.slice(1)));
    } else {
      res.statusCode = 404; res.end();
    }
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` };
}

describe('browser (navigator.gpu)', () => {
  it('Philox known answers and LLG CPU-twin agreement in headless Chromium', async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install chromium)`);
      return ctx.skip();
    }
    const out = await build({
      entryPoints: [root + 'test/browser/entry.ts'], bundle: true, format: 'esm', platform: 'browser', write: false,
      external: ['webgpu', 'node:*'], target: 'es2022', logLevel: 'silent',
    });
    const { server, url } = await serve(out.outputFiles[0].text);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan',
        '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', e => errors.push(e.message));
      await page.goto(url);
      await page.waitForFunction(() => 'runChecks' in globalThis, undefined, { timeout: 30_000 });
      const r = await page.evaluate(() => (globalThis as unknown as { runChecks: () => Promise<{ adapter: string; backend: string; katWords: number[]; maxDiff: number; normalDiff: number }> }).runChecks());
      expect(errors).toEqual([]);
      expect(r.backend).toBe('webgpu');
      expect(r.katWords).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd,
        0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]);
      // Gaussian variates: own sin/cos and log near 1 make them adapter-independent (SwiftShader's
      // built-ins alone gave 7e-4); measured 3e-7.
      expect(r.normalDiff).toBeLessThan(5e-6);
      // float32 kernel vs float64 twin, same Philox noise, 300 steps of a thermal dimer: measured 1e-6
      expect(r.maxDiff).toBeLessThan(2e-5);
      console.log(`browser adapter: ${r.adapter}; normals |Δ| ${r.normalDiff.toExponential(2)}; LLG max |Δm| vs CPU twin ${r.maxDiff.toExponential(2)}`);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
