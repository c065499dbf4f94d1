// Reports a physicist can read: two real run directories (the demo map and a small SOC-dimer switching map)
// opened in headless Chromium. Every SVG figure is laid out by the browser and checked: no text (titles
// included) leaves the figure, every axis and colour scale has a label with a unit in parentheses; each
// report loads without console errors, shows every figure with a caption, and is screenshotted.
// With REQUIRE_BROWSER=1 (CI) a missing Chromium fails instead of skipping.
import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli } from './cliHarness.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('reports in a browser', () => {
  it('demo and switching soc-dimer: no text outside its figure, labelled axes with units, captions, no console errors', async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install chromium)`);
      return ctx.skip();
    }
    const tmp = mkdtempSync(join(tmpdir(), 'nanospin-reports-'));
    const runs = [
      ['demo', '--backend', 'cpu', '--fields', '0:3:7', '--temperatures', '0:6:5', '--trajectories', '8', '--time', '5', '--quiet', '--out', join(tmp, 'demo')],
      ['switching', 'soc-dimer', '--backend', 'cpu', '--sweep', 'muF=-6:6:6', '--sweep', 'V=-10:10:5', '--trajectories', '2', '--time', '0.4', '--average-from', '0.2', '--quiet', '--out', join(tmp, 'soc')],
    ];
    for (const args of runs) { const r = await cli(args); expect(r.code, r.err).toBe(0); }
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    try {
      for (const name of ['demo', 'soc']) {
        const dir = join(tmp, name);
        const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
        const errors: string[] = [];
        page.on('pageerror', e => errors.push(e.message));
        page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
        // each figure on its own: the browser's layout of every text element against the figure's box
        for (const svg of readdirSync(dir).filter(f => f.endsWith('.svg'))) {
          await page.goto(pathToFileURL(join(dir, svg)).href);
          const check = await page.evaluate(() => {
            const root = document.querySelector('svg')!;
            const W = Number(root.getAttribute('width')), H = Number(root.getAttribute('height'));
            const outside: string[] = [];
            for (const t of Array.from(root.querySelectorAll('text'))) {
              const b = (t as SVGGraphicsElement).getBBox();
              // rotated labels: the bbox is in the text's own frame, so test its transformed corners
              const m = (t as SVGGraphicsElement).getCTM()!;
              for (const [x, y] of [[b.x, b.y], [b.x + b.width, b.y + b.height]]) {
                const px = m.a * x + m.c * y + m.e, py = m.b * x + m.d * y + m.f;
                if (px < -0.5 || px > W + 0.5 || py < -0.5 || py > H + 0.5) { outside.push(t.textContent ?? ''); break; }
              }
            }
            const label = (c: string) => Array.from(root.querySelectorAll(`text.${c}`)).map(t => t.textContent ?? '');
            return {
              outside, x: label('x-label'), y: label('y-label'), color: label('color-label'), title: root.querySelector('text.figure-title')?.textContent ?? '',
              isMap: root.querySelector('g.colorbar') !== null, categories: root.querySelector('g.categories') !== null,
            };
          });
          expect(check.outside, `${name}/${svg}: text outside the figure`).toEqual([]);
          expect(check.title.length, `${name}/${svg}: title`).toBeGreaterThan(5);
          for (const l of [...check.x, ...check.y, ...check.color]) expect(l, `${name}/${svg}: axis label '${l}' has no unit`).toMatch(/\(.+\)/);
          expect(check.x.length + check.y.length, `${name}/${svg}: axis labels`).toBe(2);
          // a map's colour scale is labelled (a categorical map has a legend of named categories instead)
          if (check.isMap && !check.categories) expect(check.color, `${name}/${svg}: colour scale label`).toHaveLength(1);
        }
        await page.goto(pathToFileURL(join(dir, 'report.html')).href);
        const report = await page.evaluate(() => ({
          figures: document.querySelectorAll('figure img').length,
          captions: Array.from(document.querySelectorAll('figcaption')).map(c => c.textContent ?? ''),
          widths: Array.from(document.querySelectorAll('figure img')).map(i => (i as HTMLImageElement).getBoundingClientRect().width),
          loaded: Array.from(document.querySelectorAll('figure img')).every(i => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
        }));
        expect(report.figures).toBeGreaterThan(1);
        expect(report.loaded).toBe(true);
        for (const c of report.captions) expect(c.length, `caption '${c}'`).toBeGreaterThan(40);
        // figures use the page's width (the report body is ~1000 px wide)
        for (const w of report.widths) expect(w).toBeGreaterThan(700);
        await page.screenshot({ path: join(tmp, `${name}-report.png`), fullPage: true });
        expect(existsSync(join(tmp, `${name}-report.png`))).toBe(true);
        expect(errors).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
