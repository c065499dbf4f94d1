// The in-browser explorer (nanospin web): the build (bundle, page, shaders), the static server, the
// browser-safe .npy and .zip writers, and, in headless Chromium (WebGPU on SwiftShader, flags as in
// test/browser.test.ts), the page itself: it computes a small switching map and a small SOC-dimer map on
// navigator.gpu, offers the CLI's run directory for download, and its numbers agree with the same command
// run in Node on the float64 CPU twin (same seed → same noise); without WebGPU it says so and computes a
// tiny map on the CPU twin, identical to Node's. No console errors anywhere; screenshots go to the temp dir.
// With REQUIRE_BROWSER=1 (CI) a missing Chromium fails instead of skipping.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import { webCommand } from '../src/cli/web.ts';
import { serveStatic } from '../src/web/serve.ts';
import { encodeNpyBytes } from '../src/io/npyEncode.ts';
import { zipStore } from '../src/web/zip.ts';
import { crc32 } from '../src/io/crc32.ts';
import { decodeNpy, encodeNpy, readNpy } from '../src/io/npy.ts';
import { demoCommand } from '../src/cli/demo.ts';
import { socLangevinCommand } from '../src/cli/socDimer.ts';
import { MARKER, BUNDLE } from '../src/web/build.ts';
import { captureOutput } from './cliHarness.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHADERS = new URL('../shaders/', import.meta.url).pathname;
let tmp: string, site: string;


function wgslFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => e.isDirectory() ? wgslFiles(join(dir, e.name), `${prefix}${e.name}/`) : e.name.endsWith('.wgsl') ? [`${prefix}${e.name}`] : []);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'nanospin-web-'));
  site = join(tmp, 'site');
  const r = await captureOutput(() => webCommand(['--out', site, '--json']));
  expect(r.value).toBe(0);
  expect(JSON.parse(r.out).files).toBeGreaterThan(3);
}, 120_000);
afterAll(() => { if (process.env.KEEP_WEB_TEST_DIR !== '1') rmSync(tmp, { recursive: true, force: true }); else console.log(`web test files kept in ${tmp}`); });

describe('browser-safe writers', () => {
  it('.npy bytes are exactly src/io/npy.ts encodeNpy, and decode back', () => {
    const cases: [Float64Array | Float32Array | Int32Array | Uint8Array, number[]][] = [
      [Float64Array.from({ length: 12 }, (_, i) => Math.sin(i) * 1e-300 + i), [3, 4]],
      [Float32Array.from([1.5, -2, NaN, Infinity]), [4]],
      [Int32Array.from([-7, 0, 2 ** 31 - 1]), [3, 1]],
      [Uint8Array.from([0, 1, 255]), [3]],
      [new Float64Array([42]), []],
      [new Float64Array(5 * 2 * 3).map((_, i) => i), [5, 2, 3]],
    ];
    for (const [data, shape] of cases) {
      const ours = encodeNpyBytes(data, shape);
      expect(Buffer.from(ours).equals(encodeNpy(data, shape))).toBe(true);
      const back = decodeNpy(ours);
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
    expect(() => encodeNpyBytes(new Float64Array(5), [2, 3])).toThrow(/shape \[2, 3\] has 6 elements but data has length 5/);
  });

  it('.zip archives hold every file byte for byte (CRC-32 known answer; checked by unzip when installed)', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const files: [string, Uint8Array][] = [['run/a.csv', new TextEncoder().encode('x,y\n1,2\n')], ['run/p.npy', encodeNpyBytes(new Float64Array([1, 2, 3]), [3])], ['run/μ.txt', new Uint8Array(0)]];
    const zip = zipStore(files);
    // walk the local headers: name, stored size, data
    const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let p = 0;
    for (const [name, data] of files) {
      expect(dv.getUint32(p, true)).toBe(0x04034b50);
      const size = dv.getUint32(p + 18, true), nlen = dv.getUint16(p + 26, true);
      expect(new TextDecoder().decode(zip.subarray(p + 30, p + 30 + nlen))).toBe(name);
      expect(dv.getUint32(p + 14, true)).toBe(crc32(data));
      expect(Buffer.from(zip.subarray(p + 30 + nlen, p + 30 + nlen + size)).equals(Buffer.from(data))).toBe(true);
      p += 30 + nlen + size;
    }
    const probe = spawnSync('unzip', ['-v'], { encoding: 'utf8' });
    if (probe.status === 0) {
      const f = join(tmp, 't.zip');
      writeFileSync(f, zip);
      const t = spawnSync('unzip', ['-t', f], { encoding: 'utf8' });
      expect(t.status).toBe(0);
      expect(t.stdout).toContain('No errors detected');
    }
  });
});

describe('nanospin web: build and serve', () => {
  it('writes the page, the bundle and every shader, and marks the directory as an explorer build', () => {
    for (const f of ['index.html', BUNDLE, MARKER]) expect(existsSync(join(site, f))).toBe(true);
    for (const f of wgslFiles(SHADERS)) expect(readFileSync(join(site, 'shaders', f), 'utf8')).toBe(readFileSync(join(SHADERS, f), 'utf8'));
    const html = readFileSync(join(site, 'index.html'), 'utf8');
    expect(html).toContain(`src="${BUNDLE}"`);
    // the bundle is two folders deep, so src/backends/shaders.ts's ../../shaders/ is the copied folder
    expect(BUNDLE.split('/').length).toBe(3);
    const js = readFileSync(join(site, BUNDLE), 'utf8');
    expect(js).not.toMatch(/from\s*"node:/);            // no static node: import reaches the browser
    const marker = JSON.parse(readFileSync(join(site, MARKER), 'utf8'));
    expect(marker.files).toContain(BUNDLE);
  });

  it('rebuilds over an earlier build, and refuses a directory or file that is not one', async () => {
    expect((await captureOutput(() => webCommand(['--out', site]))).value).toBe(0);
    const other = join(tmp, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    await expect(captureOutput(() => webCommand(['--out', other]))).rejects.toThrow(/not an explorer build/);
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('mine');
    writeFileSync(join(tmp, 'afile'), '');
    await expect(captureOutput(() => webCommand(['--out', join(tmp, 'afile')]))).rejects.toThrow(/a file \(not a directory\) is in the way/);
    await expect(captureOutput(() => webCommand(['--port', '70000']))).rejects.toThrow(/--port must be ≥ 0 and ≤ 65535/);
  });

  it('serves the directory on 127.0.0.1 and nothing outside it', async () => {
    const s = await serveStatic(site, 0);
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const index = await fetch(s.url);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toContain('text/html');
      const wgsl = await fetch(new URL('shaders/llg/heun.wgsl', s.url));
      expect(wgsl.status).toBe(200);
      expect(await wgsl.text()).toBe(readFileSync(join(SHADERS, 'llg/heun.wgsl'), 'utf8'));
      // raw paths (fetch would normalise '..' away): nothing outside the directory is served
      const raw = (path: string) => new Promise<number>((ok, fail) => get({ host: '127.0.0.1', port: s.port, path }, r => { r.resume(); ok(r.statusCode ?? 0); }).on('error', fail));
      expect(await raw('/index.html')).toBe(200);
      for (const bad of ['/../afile', '/%2e%2e/afile', '/..%2fafile', '/nothing.js']) expect(await raw(bad)).toBe(404);
      expect((await fetch(s.url, { method: 'POST' })).status).toBe(405);
    } finally { await s.close(); }
  });

  it('--serve prints the URL, serves, and stops by itself after --serve-for', async () => {
    let out = '';
    const wo = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
    let code: number;
    try {
      const run = webCommand(['--out', site, '--serve', '--port', '0', '--serve-for', '3']);
      for (let i = 0; i < 200 && !/http:\/\/127\.0\.0\.1:\d+\//.test(out); i++) await new Promise(r => setTimeout(r, 50));
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)?.[0];
      expect(url).toBeDefined();
      expect((await fetch(url!)).status).toBe(200);
      code = await run;
    } finally { process.stdout.write = wo; }
    expect(code).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------
// In headless Chromium

type Page = import('playwright-core').Page;
type Browser = import('playwright-core').Browser;

async function fillMap(page: Page, map: string, values: Record<string, string>): Promise<void> {
  await page.selectOption('#map', map);
  for (const [name, v] of Object.entries(values)) await page.fill(`[name="${name}"]`, v);
}

async function computeOnPage(page: Page): Promise<void> {
  await page.click('#run');
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), undefined, { timeout: 120_000 });
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== 'done') throw new Error(`the page did not compute the map: ${await page.textContent('#status')}`);
}

async function downloadFile(page: Page, selector: string, dir: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(dir, dl.suggestedFilename());
  await dl.saveAs(path);
  return path;
}

/** The page's command, re-run in Node on the CPU twin into `out`. */
async function cliTwin(page: Page, out: string): Promise<string[]> {
  const argv: string[] = JSON.parse((await page.getAttribute('#command', 'data-argv'))!);
  const b = argv.indexOf('--backend');
  expect(argv[b + 1]).toBe(await page.evaluate(() => document.body.dataset.backend));
  const args = [...argv.slice(0, b), ...argv.slice(b + 2), '--backend', 'cpu', '--out', out, '--quiet'];
  const code = (await captureOutput(() => args[0] === 'demo' ? demoCommand(args.slice(1)) : socLangevinCommand('switching', args.slice(2)))).value;
  expect(code).toBe(0);
  return argv;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    d = Math.max(d, Math.abs(a[i] - b[i]));
    if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) d = Infinity;
  }
  return d;
}

describe('the explorer in headless Chromium', () => {
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install chromium)`);
      return;
    }
    server = await serveStatic(site, 0);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan',
        '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  }, 60_000);
  afterAll(async () => { await browser?.close(); await server?.close(); });

  async function open(opts: { noWebGpu?: boolean } = {}): Promise<Page> {
    const ctx = await browser!.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    if (opts.noWebGpu) await ctx.addInitScript(() => { Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true }); });
    const page = await ctx.newPage();
    page.on('console', m => { if (m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url})`); });
    page.on('pageerror', e => consoleErrors.push(e.message));
    await page.goto(server!.url);
    await page.waitForFunction(() => document.body.dataset.state !== 'loading', undefined, { timeout: 30_000 });
    return page;
  }

  it('computes a switching map on WebGPU that agrees with the CPU twin run in Node', async (ctx) => {
    if (!browser) return ctx.skip();
    const page = await open();
    expect(await page.evaluate(() => document.body.dataset.backend)).toBe('webgpu');
    expect(await page.isVisible('#nogpu')).toBe(false);
    await fillMap(page, 'switching', {
      'fields.from': '0', 'fields.to': '3', 'fields.count': '4', 'temperatures.from': '0.5', 'temperatures.to': '4', 'temperatures.count': '3',
      trajectories: '32', time: '20', dt: '0.01', seed: '7',
    });
    await computeOnPage(page);
    const dir = join(tmp, 'dl-switching');
    mkdirSync(dir);
    const csv = await downloadFile(page, '#dl-csv', dir), npy = await downloadFile(page, '#dl-npy', dir);
    expect(csv.endsWith('switching.csv')).toBe(true);
    await page.screenshot({ path: join(tmp, 'explorer-switching.png'), fullPage: true });
    const svg = await page.innerHTML('#figure-view');
    expect(svg).toContain('reversing field B (meV)');
    expect(svg).toContain('switching probability');
    const cli = join(tmp, 'cli-switching');
    await cliTwin(page, cli);
    const gpu = decodeNpy(readFileSync(npy)), cpu = readNpy(join(cli, 'p_switch.npy'));
    expect(gpu.shape).toEqual([3, 4]);
    expect(cpu.shape).toEqual([3, 4]);
    // the CSV holds the same columns as the CLI's, and p_switch equals the .npy
    const rows = readFileSync(csv, 'utf8').trim().split('\n'), cliRows = readFileSync(join(cli, 'switching.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe(cliRows[0]);
    expect(rows.length).toBe(cliRows.length);
    const col = rows[0].split(',').indexOf('p_switch');
    expect(rows.slice(1).map(r => Number(r.split(',')[col]))).toEqual(Array.from(gpu.data));
    // float32 trajectories vs float64 twin with the same Philox noise: p is a count over 32 trajectories, so a
    // trajectory that ends within rounding of m_z = 0 may land on the other side: at most one per point
    const dp = maxAbsDiff(gpu.data, cpu.data);
    console.log(`switching map: max |Δp_switch| page (WebGPU) vs Node CPU twin ${dp} (one trajectory = ${1 / 32})`);
    expect(dp).toBeLessThanOrEqual(1 / 32 + 1e-12);
    // mean first-crossing times, over the trajectories that crossed (the same ones here: Δp = 0): a crossing
    // found one step apart in float32 moves a mean by ≤ dt
    await page.click('#output summary');
    const tPage = decodeNpy(readFileSync(await downloadFile(page, 'a[data-file="mean_first_crossing_ps.npy"]', dir))).data;
    const dt = maxAbsDiff(tPage, readNpy(join(cli, 'mean_first_crossing_ps.npy')).data);
    console.log(`switching map: max |Δ mean first-crossing time| ${dt} ps (time step 0.01 ps)`);
    expect(dt).toBeLessThanOrEqual(0.01 + 1e-9);
    await page.context().close();
  });

  it('computes a SOC-dimer orientation map on WebGPU that agrees with the CPU twin run in Node', async (ctx) => {
    if (!browser) return ctx.skip();
    const page = await open();
    await fillMap(page, 'soc', {
      'muF.from': '-4', 'muF.to': '4', 'muF.count': '3', 'V.from': '-6', 'V.to': '6', 'V.count': '3',
      trajectories: '16', time: '10', 'average-from': '2', dt: '0.02', seed: '3',
    });
    await computeOnPage(page);
    const dir = join(tmp, 'dl-soc');
    mkdirSync(dir);
    const npy = await downloadFile(page, '#dl-npy', dir), zip = await downloadFile(page, '#dl-zip', dir);
    await page.selectOption('#figure', 'langevin_mz.svg');
    expect(await page.innerHTML('#figure-view')).toContain('Fermi level μ_F (meV)');
    await page.screenshot({ path: join(tmp, 'explorer-soc.png'), fullPage: true });
    const cli = join(tmp, 'cli-soc');
    await cliTwin(page, cli);
    const m = decodeNpy(readFileSync(npy)), mc = readNpy(join(cli, 'langevin_m.npy'));
    expect(m.shape).toEqual([3, 3, 3]);
    // the run directory as one .zip: the CLI's files, the page's numbers
    const unz = spawnSync('unzip', ['-o', '-q', zip, '-d', join(dir, 'unzipped')]);
    if (unz.status === 0) {
      const runDir = join(dir, 'unzipped', readdirSync(join(dir, 'unzipped'))[0]);
      for (const f of readdirSync(cli)) expect(existsSync(join(runDir, f))).toBe(true);
      expect(Buffer.from(readFileSync(join(runDir, 'langevin_m.npy'))).equals(readFileSync(npy))).toBe(true);
      const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
      expect(manifest.backend).toBe('webgpu');
      expect(manifest.command.slice(0, 2)).toEqual(['switching', 'soc-dimer']);
    }
    await page.click('#output summary');   // every file of the run directory
    const pageFile = async (name: string) => decodeNpy(readFileSync(await downloadFile(page, `a[data-file="${name}"]`, dir))).data;
    // couplings: the kernel's documented tolerance, 2e-5 of each quantity's largest value over the map
    const cg = await pageFile('couplings.npy'), cc = readNpy(join(cli, 'couplings.npy')).data, stride = cc.length / 9;
    let worstCoupling = 0;
    for (let k = 0; k < stride; k++) {
      let scale = 0, worst = 0;
      for (let i = 0; i < 9; i++) { scale = Math.max(scale, Math.abs(cc[i * stride + k])); worst = Math.max(worst, Math.abs(cg[i * stride + k] - cc[i * stride + k])); }
      expect(worst, `couplings slot ${k}`).toBeLessThanOrEqual(2e-5 * scale);
      worstCoupling = Math.max(worstCoupling, scale > 0 ? worst / scale : 0);
    }
    const dfp = maxAbsDiff(await pageFile('fokker_planck_m.npy'), readNpy(join(cli, 'fokker_planck_m.npy')).data);
    const dm = maxAbsDiff(m.data, mc.data);
    console.log(`SOC map, page (WebGPU) vs Node CPU twin: max |Δ⟨m⟩| Langevin ${dm.toExponential(2)}, Fokker–Planck ${dfp.toExponential(2)}; couplings ${worstCoupling.toExponential(2)} of each slot's largest value`);
    // float32 Heun steps vs float64, same Philox noise, 500 steps of 16 trajectories (measured ~1e-6); the
    // Fokker–Planck mean inherits the couplings' float32 error (measured ~7e-7)
    expect(dm).toBeLessThan(1e-4);
    expect(dfp).toBeLessThan(1e-4);
    await page.context().close();
  });

  it('without WebGPU says so, and computes a tiny map on the CPU twin exactly as Node does', async (ctx) => {
    if (!browser) return ctx.skip();
    const page = await open({ noWebGpu: true });
    expect(await page.isVisible('#nogpu')).toBe(true);
    expect(await page.textContent('#nogpu')).toContain('no WebGPU');
    expect(await page.evaluate(() => document.body.dataset.backend)).toBe('cpu');
    // a map over the CPU twin's page limit cannot be started
    await fillMap(page, 'switching', { 'fields.count': '31', 'temperatures.count': '13', trajectories: '128' });
    expect(await page.isDisabled('#run')).toBe(true);
    expect(await page.textContent('#cost')).toContain('CPU twin');
    // a slider sets its number box (and the cost follows)
    await page.locator('label.row', { hasText: '--trajectories' }).locator('input[type=range]').fill('64');
    expect(await page.inputValue('[name="trajectories"]')).toBe('64');
    expect(await page.textContent('#cost')).toContain(`${(31 * 13 * 64 * 10000).toExponential(2)} spin-steps`);
    await fillMap(page, 'switching', {
      'fields.from': '0', 'fields.to': '3', 'fields.count': '3', 'temperatures.from': '1', 'temperatures.to': '2', 'temperatures.count': '2',
      trajectories: '8', time: '5', dt: '0.01', seed: '5',
    });
    await computeOnPage(page);
    await page.screenshot({ path: join(tmp, 'explorer-cpu.png'), fullPage: true });
    const dir = join(tmp, 'dl-cpu');
    mkdirSync(dir);
    const npy = await downloadFile(page, '#dl-npy', dir);
    const cli = join(tmp, 'cli-cpu');
    await cliTwin(page, cli);
    // float64 in both JavaScript engines, the same code and noise: the same bits
    expect(Buffer.from(readFileSync(npy)).equals(readFileSync(join(cli, 'p_switch.npy')))).toBe(true);
    await page.context().close();
  });

  it('logged no console errors and took the screenshots', (ctx) => {
    if (!browser) return ctx.skip();
    expect(consoleErrors).toEqual([]);
    for (const f of ['explorer-switching.png', 'explorer-soc.png', 'explorer-cpu.png']) expect(statSync(join(tmp, f)).size).toBeGreaterThan(10_000);
  });
});
