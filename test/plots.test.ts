import { describe, it, expect } from 'vitest';
import { heatmap, lineChart, NAN_COLOR } from '../src/plots/svg.ts';
import { reportHtml } from '../src/plots/report.ts';

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

/** Text must not hold '<' and '&' only as a well-formed entity reference. */
function checkText(s: string, where: string): void {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '<') throw new Error(`raw '<' in ${where}`);
    if (s[i] === '&') {
      ENTITY.lastIndex = i;
      if (!ENTITY.test(s)) throw new Error(`bad entity in ${where}: ${s.slice(i, i + 12)}`);
    }
  }
}

/**
 * Minimal XML well-formedness check: prolog, comments, balanced tags, quoted unique
 * attributes, escaped text, a single root element. Returns the root tag name.
 */
function checkXml(xml: string): string {
  let i = 0;
  const stack: string[] = [];
  let root: string | null = null;
  let rootClosed = false;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated prolog');
    i = end + 2;
  }
  const NAME = /[A-Za-z_:][\w:.-]*/y;
  const ATTR = /\s+([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if ((stack.length === 0) && text.trim() !== '') throw new Error(`text outside root: ${text.slice(0, 30)}`);
    checkText(text, 'text');
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
      continue;
    }
    const closing = xml[lt + 1] === '/';
    NAME.lastIndex = lt + (closing ? 2 : 1);
    const m = NAME.exec(xml);
    if (!m) throw new Error(`bad tag at ${lt}: ${xml.slice(lt, lt + 20)}`);
    const name = m[0];
    let j = NAME.lastIndex;
    if (closing) {
      while (/\s/.test(xml[j])) j++;
      if (xml[j] !== '>') throw new Error(`bad closing tag ${name}`);
      const open = stack.pop();
      if (open !== name) throw new Error(`mismatched </${name}>, open <${open}>`);
      if (stack.length === 0) rootClosed = true;
      i = j + 1;
      continue;
    }
    if (rootClosed || (stack.length === 0 && root !== null)) throw new Error('more than one root element');
    if (root === null) root = name;
    const seen = new Set<string>();
    for (;;) {
      ATTR.lastIndex = j;
      const a = ATTR.exec(xml);
      if (!a) break;
      if (seen.has(a[1])) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
      seen.add(a[1]);
      checkText(a[3] ?? a[4], `attribute ${a[1]} of <${name}>`);
      j = ATTR.lastIndex;
    }
    while (/\s/.test(xml[j])) j++;
    if (xml.startsWith('/>', j)) {
      i = j + 2;
      if (stack.length === 0) rootClosed = true;
    } else if (xml[j] === '>') {
      stack.push(name);
      i = j + 1;
    } else {
      throw new Error(`malformed tag <${name}> near: ${xml.slice(j, j + 30)}`);
    }
  }
  if (stack.length) throw new Error(`unclosed tags: ${stack.join(' > ')}`);
  if (root === null) throw new Error('no root element');
  return root;
}

/** Every url(#id) / href="#id" reference must resolve inside the document. */
function checkIds(svg: string): void {
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  for (const m of svg.matchAll(/url\(#([^)]+)\)/g)) expect(ids.has(m[1])).toBe(true);
}

describe('xml checker', () => {
  it('rejects malformed documents', () => {
    expect(() => checkXml('<a><b></a></b>')).toThrow();
    expect(() => checkXml('<a>x & y</a>')).toThrow();
    expect(() => checkXml('<a x="1" x="2"/>')).toThrow();
    expect(() => checkXml('<a/><b/>')).toThrow();
    expect(() => checkXml('<a x=1/>')).toThrow();
    expect(checkXml('<?xml version="1.0"?>\n<a k="&lt;&amp;"><b/>t &#8722; &gt;</a>\n')).toBe('a');
  });
});

describe('lineChart', () => {
  const t = Float64Array.from({ length: 200 }, (_, i) => i * 0.05);
  const mz = t.map((v) => Math.cos(v));
  const my = t.map((v, i) => (i === 50 ? NaN : Math.sin(v)));

  const svg = lineChart({
    title: 'Relaxation <m> & friends',
    xLabel: 'time t (ps)',
    yLabel: 'magnetisation m_z (1)',
    series: [
      { name: 'm_z', x: t, y: mz },
      { name: 'm_y "quoted" <&>', x: t, y: my },
      { name: 'all-NaN', x: [0, 1], y: [NaN, NaN] },
    ],
  });

  it('is a well-formed standalone SVG', () => {
    expect(checkXml(svg)).toBe('svg');
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    checkIds(svg);
  });

  it('contains title, axis labels, legend and escapes text', () => {
    expect(svg).toContain('Relaxation &lt;m&gt; &amp; friends');
    expect(svg).not.toContain('<m>');
    expect(svg).toContain('time t (ps)');
    expect(svg).toContain('magnetisation m_z (1)');
    const legend = /<g class="legend">(.*?)<\/g>/s.exec(svg)?.[1] ?? '';
    expect(legend).toContain('m_z');
    expect(legend).toContain('m_y &quot;quoted&quot; &lt;&amp;&gt;');
    expect(legend).toContain('all-NaN');
  });

  it('draws tick labels, distinct colours and no NaN coordinates', () => {
    const ticks = [...svg.matchAll(/<text [^>]*font-size="11">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toContain('0');
    expect(ticks).toContain('5');
    expect(ticks.length).toBeGreaterThan(8);
    const strokes = [...svg.matchAll(/<path d="[^"]*" fill="none" stroke="([^"]+)"/g)].map((m) => m[1]);
    expect(strokes.length).toBe(2); // the all-NaN series draws nothing
    expect(new Set(strokes).size).toBe(2);
    expect(svg).not.toMatch(/NaN(?![^<]*<\/text>)(?![^<]*<\/title>)/); // NaN only in text, never in coordinates
    // the NaN sample splits the sin curve into two subpaths
    const sinPath = [...svg.matchAll(/<path d="([^"]*)"/g)][1][1];
    expect(sinPath.match(/M/g)?.length).toBe(2);
  });

  it('honours yDomain and rejects mismatched series', () => {
    const s = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', yDomain: [-2, 2], series: [{ name: 'a', x: [0, 1], y: [0, 1] }] });
    expect(s).toMatch(/>−2\.0<\/text>/);
    expect(s).toMatch(/>2\.0<\/text>/);
    expect(s).not.toMatch(/\d\.\d{3,}/); // coordinates rounded
    expect(() => lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [0, 1], y: [0] }] })).toThrow(/x.length=2.*y.length=1/);
  });

  it('decimates long series but keeps extremes and NaN gaps', () => {
    const n = 200_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = x.map((v) => Math.sin(v / 5000));
    y[54321] = 10; // single-sample spike must survive
    for (let i = 150_000; i < 150_010; i++) y[i] = NaN;
    const s = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'long', x, y }] });
    expect(s.length).toBeLessThan(200_000);
    const d = /<path d="([^"]*)"/.exec(s)![1];
    expect(d.match(/M/g)!.length).toBe(2);
    const ys = [...d.matchAll(/,(-?[\d.]+)/g)].map((m) => Number(m[1]));
    expect(Math.min(...ys)).toBe(40); // plot top = nice(max) = 10
    expect(checkXml(s)).toBe('svg');
  });

  it('survives empty and degenerate input', () => {
    for (const series of [[], [{ name: 'c', x: [1, 1], y: [3, 3] }], [{ name: 'e', x: [], y: [] }]]) {
      const s = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series });
      expect(checkXml(s)).toBe('svg');
      expect(s).not.toMatch(/="[^"]*NaN/);
    }
  });
});

describe('heatmap', () => {
  const nx = 7;
  const ny = 5;
  const x = Array.from({ length: nx }, (_, i) => -1 + i * 0.5); // V (bias)
  const y = Array.from({ length: ny }, (_, i) => i * 10); // T
  const values = new Float64Array(nx * ny).map((_, k) => Math.sin(k));
  values[3 * nx + 2] = NaN;

  const svg = heatmap({ title: 'Switching <P> map', xLabel: 'bias V (V)', yLabel: 'temperature T (K)', x, y, values, colorLabel: 'P_switch & more (1)' });

  it('is well-formed with nx*ny cells', () => {
    expect(checkXml(svg)).toBe('svg');
    checkIds(svg);
    expect(svg.match(/<rect class="cell"/g)?.length).toBe(nx * ny);
  });

  it('colours NaN cells grey and others from the colormap', () => {
    const fills = [...svg.matchAll(/<rect class="cell" [^>]*fill="([^"]+)"/g)].map((m) => m[1]);
    expect(fills[3 * nx + 2]).toBe(NAN_COLOR);
    expect(fills.filter((f) => f === NAN_COLOR).length).toBe(1);
    expect(fills.every((f) => /^#[0-9a-f]{6}$/.test(f))).toBe(true);
    expect(svg).toContain('>NaN</text>'); // NaN swatch under the colorbar
  });

  it('places cells row-major with y increasing upward', () => {
    const cells = [...svg.matchAll(/<rect class="cell" x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"/g)].map((m) => m.slice(1).map(Number));
    expect(cells[1][0]).toBeGreaterThan(cells[0][0]); // ix+1 -> right
    expect(cells[nx][1]).toBeLessThan(cells[0][1]); // iy+1 -> up
    for (const c of cells) {
      expect(c[2]).toBeGreaterThan(0);
      expect(c[3]).toBeGreaterThan(0);
    }
  });

  it('has labels, colorbar ticks and escaped text', () => {
    expect(svg).toContain('Switching &lt;P&gt; map');
    expect(svg).toContain('bias V (V)');
    expect(svg).toContain('temperature T (K)');
    expect(svg).toContain('P_switch &amp; more (1)');
    const cb = /<g class="colorbar">(.*?)<\/g>/s.exec(svg)?.[1] ?? '';
    expect(cb.match(/<text/g)!.length).toBeGreaterThan(3);
  });

  it('uses a custom interpolator/domain and validates sizes', () => {
    const s = heatmap({ title: 't', xLabel: 'x', yLabel: 'y', x: [0, 1], y: [0], values: [0, 10], colorLabel: 'c', domain: [0, 1], interpolator: () => 'rgb(1, 2, 3)' });
    expect(s.match(/fill="rgb\(1, 2, 3\)"/g)?.length).toBe(2);
    expect(() => heatmap({ title: 't', xLabel: 'x', yLabel: 'y', x: [0, 1], y: [0, 1], values: [1, 2, 3], colorLabel: 'c' })).toThrow(/values.length=3/);
    const single = heatmap({ title: 't', xLabel: 'x', yLabel: 'y', x: [5], y: [7], values: [NaN], colorLabel: 'c' });
    expect(checkXml(single)).toBe('svg');
    expect(single).not.toMatch(/="[^"]*NaN/);
  });
});

describe('reportHtml', () => {
  it('renders an escaped self-contained page', () => {
    const html = reportHtml({
      title: 'Run <1>',
      summary: { 'P_switch': 0.123456789, trials: 1000, backend: 'webgpu & co' },
      figures: [{ title: 'Map', svgFile: 'figs/map #1.svg' }],
      files: ['manifest.json', 'figs/map #1.svg'],
      commandLine: "nanospin llg --out 'a b'",
    });
    expect(html).toContain('<title>Run &lt;1&gt;</title>');
    expect(html).toContain('0.123457');
    expect(html).toContain('1000');
    expect(html).toContain('webgpu &amp; co');
    expect(html).toContain('<img src="figs/map%20%231.svg"');
    expect(html).toContain('<a href="manifest.json">manifest.json</a>');
    expect(html).toContain('nanospin llg --out &#39;a b&#39;');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
