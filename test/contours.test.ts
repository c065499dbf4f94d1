// Zero contours by marching squares (src/plots/contours.ts) and their overlay on heatmaps (src/plots/svg.ts `lines`):
// a circle x² + y² = r² comes out at radius r within the grid's interpolation error and closed, a plane's zero line is
// exact and straight, saddles are split by the cell mean, corners exactly 0 count as positive (or, with zeros:
// 'skip', have no sign), lines through grid nodes stay one polyline and are drawn once, non-finite corners cut the line; an overlaid heatmap holds the path at the pixels of the
// data → pixel map, and several named lines get a legend that wraps below the map inside the figure.
import { describe, expect, it } from 'vitest';
import { joinPolylines, zeroContour, zeroLine, type Polyline } from '../src/plots/contours.ts';
import { heatmap } from '../src/plots/svg.ts';
import { linspace } from '../src/sweeps/grid.ts';

function field(x: Float64Array, y: Float64Array, f: (x: number, y: number) => number): Float64Array {
  const v = new Float64Array(x.length * y.length);
  for (let iy = 0; iy < y.length; iy++) for (let ix = 0; ix < x.length; ix++) v[iy * x.length + ix] = f(x[ix], y[iy]);
  return v;
}

const points = (ls: Polyline[]) => ls.flat();

describe('zeroContour', () => {
  it('x² + y² − r²: one closed line at radius r within the linear-interpolation error (≤ h²/4r)', () => {
    const r = 0.7;
    for (const n of [21, 41, 81]) {
      const x = linspace(-1, 1, n), y = linspace(-1, 1, n), h = 2 / (n - 1);
      const ls = zeroContour(x, y, field(x, y, (a, b) => a * a + b * b - r * r));
      expect(ls).toHaveLength(1);
      const l = ls[0];
      expect(l[0]).toEqual(l[l.length - 1]);                 // closed
      let worst = 0;
      for (const [a, b] of l) worst = Math.max(worst, Math.abs(Math.hypot(a, b) - r));
      // along an edge f is a parabola of curvature 2, so the linear root is off by ≤ h²/(4|∂f|) = h²/(8r) next to the axes
      expect(worst).toBeLessThan(h * h / (4 * r));
      expect(worst).toBeGreaterThan(0);                       // not trivially exact: the test can see interpolation error
      // every cell the circle passes through contributes a vertex: about 2πr/h·(4/π) edge crossings
      expect(l.length).toBeGreaterThan(2 * Math.PI * r / h);
    }
  });

  it('a plane: the line is exact (linear interpolation of a linear field), straight, open and ends on the boundary', () => {
    const x = linspace(-2, 3, 26), y = Float64Array.from([-1, -0.8, -0.1, 0.4, 1.5, 2]);   // uneven y: data coordinates, not indices
    const a = 0.8, b = -1.3, c = 0.25;
    const ls = zeroContour(x, y, field(x, y, (u, v) => a * u + b * v + c));
    expect(ls).toHaveLength(1);
    const l = ls[0];
    for (const [u, v] of l) expect(Math.abs(a * u + b * v + c)).toBeLessThan(1e-12);
    const onEdge = ([u, v]: [number, number]) => Math.abs(u - -2) < 1e-12 || Math.abs(u - 3) < 1e-12 || Math.abs(v - -1) < 1e-12 || Math.abs(v - 2) < 1e-12;
    expect(onEdge(l[0]) && onEdge(l[l.length - 1])).toBe(true);
    expect(l[0]).not.toEqual(l[l.length - 1]);
    // monotonic along the line: chained in order, not a bag of segments
    const s = l.map(([u]) => u);
    const up = s[1] > s[0];
    for (let i = 1; i < s.length; i++) expect(up ? s[i] > s[i - 1] : s[i] < s[i - 1]).toBe(true);
  });

  it('saddles are split by the cell mean: the corners with the centre\'s sign are joined through the cell', () => {
    const x = Float64Array.of(0, 1), y = Float64Array.of(0, 1);
    for (const d of [0.1, -0.1]) {
      // corners c0 = (0,0), c2 = (1,1) positive-ish, c1, c3 negative-ish; the centre value is d
      const ls = zeroContour(x, y, field(x, y, (u, v) => (u - 0.5) * (v - 0.5) + d));
      expect(ls).toHaveLength(2);
      for (const l of ls) {
        expect(l).toHaveLength(2);
        // d > 0: the positive corners (0,0), (1,1) are joined, so each line cuts off a negative corner (1,0) or (0,1)
        const mid = [(l[0][0] + l[1][0]) / 2, (l[0][1] + l[1][1]) / 2];
        const cornerSide = d > 0 ? (mid[0] > 0.5) !== (mid[1] > 0.5) : (mid[0] > 0.5) === (mid[1] > 0.5);
        expect(cornerSide).toBe(true);
      }
    }
    // on a fine grid x·y = δ gives the two branches of the hyperbola, each within its own quadrant
    const g = linspace(-1, 1, 40);
    for (const d of [0.05, -0.05]) {
      const ls = zeroContour(g, g, field(g, g, (u, v) => u * v - d));
      expect(ls).toHaveLength(2);
      for (const l of ls) {
        const q = Math.sign(l[0][0]) * Math.sign(l[0][1]);
        expect(q).toBe(Math.sign(d));
        for (const [u, v] of l) expect(Math.sign(u) * Math.sign(v)).toBe(q);
      }
    }
  });

  it('corners exactly 0 count as positive by default (the line through grid nodes, once); zeros: skip leaves their cells out', () => {
    const x = linspace(-1, 1, 5), y = linspace(0, 2, 4);   // x = 0 is a grid column
    const v = field(x, y, u => u);
    const ls = zeroContour(x, y, v);
    expect(ls).toHaveLength(1);
    expect(ls[0]).toHaveLength(4);
    for (const [u] of ls[0]) expect(u).toBe(0);
    expect(zeroContour(x, y, v, { zeros: 'skip' })).toEqual([]);
    // a lone zero corner among negative ones is no line (no zero-length segments)
    expect(zeroContour(x, y, field(x, y, (u, w) => (u === 0 && w === 0 ? 0 : -1)))).toEqual([]);
    // granular-style: every term vanishes on the row y = 0, the sign change is elsewhere
    const gy = linspace(0, 2, 5), gv = field(x, gy, (u, w) => w * (u - 0.3));
    const skip = zeroContour(x, gy, gv, { zeros: 'skip' });
    for (const [, w] of points(skip)) expect(w).toBeGreaterThanOrEqual(0.5);
    for (const [u] of points(skip)) expect(u).toBeCloseTo(0.3, 12);
  });

  it('a line through grid nodes is one polyline (x − y on a square grid), and a zero row between negative cells is drawn once', () => {
    const x = linspace(0, 4, 5), y = linspace(0, 4, 5);
    const diag = zeroContour(x, y, field(x, y, (u, w) => u - w));
    expect(diag).toHaveLength(1);
    expect(diag[0]).toHaveLength(5);   // through every node (k, k)
    for (const [u, w] of diag[0]) expect(u).toBe(w);
    // −(y − 2)²: zero on the row y = 2 only, negative on both sides; the zero row counts as positive
    const row = zeroContour(x, y, field(x, y, (_, w) => -((w - 2) ** 2)));
    expect(row).toHaveLength(1);
    expect(row[0].map(([u]) => u).sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4]);
    for (const [, w] of row[0]) expect(w).toBe(2);
  });

  it('a non-finite corner removes its cells: the circle is cut open there', () => {
    const x = linspace(-1, 1, 21), y = linspace(-1, 1, 21);
    const v = field(x, y, (a, b) => a * a + b * b - 0.49);
    v[10 * 21 + 17] = NaN;   // (0.7, 0): on the circle
    const ls = zeroContour(x, y, v);
    expect(ls).toHaveLength(1);
    expect(ls[0][0]).not.toEqual(ls[0][ls[0].length - 1]);
    for (const [a, b] of ls[0]) expect(Math.hypot(a - 0.7, b) > 0.05).toBe(true);
  });

  it('joinPolylines: one x/y pair, a NaN between lines, coordinates divided by scale', () => {
    const j = joinPolylines([[[1, 2], [3, 4]], [[5, 6]]], 2);
    expect(Array.from(j.x)).toEqual([0.5, 1.5, NaN, 2.5]);
    expect(Array.from(j.y)).toEqual([1, 2, NaN, 3]);
    expect(joinPolylines([]).x).toHaveLength(0);
    expect(() => zeroContour([0, 1], [0, 1], [1, 2, 3])).toThrow(/values.length = 3/);
  });
});

describe('heatmap lines', () => {
  const x = linspace(-1, 1, 31), y = linspace(-1, 1, 25);
  const values = field(x, y, (a, b) => a * a + b * b);
  const circle = zeroLine(x, y, field(x, y, (a, b) => a * a + b * b - 0.36));

  it('an overlaid heatmap holds the zero line as a path at the data → pixel map, clipped, titled', () => {
    let px = (v: number) => v, py = (v: number) => v;
    const svg = heatmap({
      title: 'circle', xLabel: 'x (1)', yLabel: 'y (1)', x, y, values, colorLabel: 'x² + y² (1)',
      lines: [{ name: 'r = 0.6', ...circle, color: '#123456', dash: '4 2', width: 1.7 }],
      overlay: (a, b) => { px = a; py = b; return ''; },
    });
    const m = /<path class="overlay-line" d="([^"]+)" fill="none" stroke="#123456" stroke-width="1.7" stroke-dasharray="4 2"><title>r = 0.6<\/title><\/path>/.exec(svg);
    expect(m).not.toBeNull();
    const drawn = m![1].slice(1).split(/[LMZ]/).filter(Boolean).map(p => p.split(',').map(Number));
    expect(drawn).toHaveLength(circle.x.length);
    drawn.forEach(([u, v], i) => {
      expect(Math.abs(u - px(circle.x[i]))).toBeLessThan(0.006);
      expect(Math.abs(v - py(circle.y[i]))).toBeLessThan(0.006);
    });
    expect(svg).toMatch(/<g class="overlay" clip-path="url\(#clip-\d+\)">/);
    expect(svg).toMatch(/<g class="line-legend">.*r = 0\.6<\/text><\/g>/);
  });

  it('a NaN breaks a line into subpaths; several named lines wrap into legend rows inside the figure, below the map', () => {
    const W = 640, H = 480;
    const long = (k: number) => ({ name: `zero line number ${k} of a field with a long label`, ...circle, color: '#000', dash: `${k} 2` });
    const two = joinPolylines([[[-0.5, -0.5], [0.5, 0.5]], [[-0.5, 0.5], [0.5, -0.5]]]);
    const svg = heatmap({
      title: 'legend', xLabel: 'x (1)', yLabel: 'y (1)', x, y, values, colorLabel: 'v (1)', width: W, height: H,
      lines: [long(1), long(2), long(3), { name: '', ...two }, { name: 'short', ...two, color: '#f00' }],
    });
    const crosses = /<path class="overlay-line" d="(M[^"]+)" fill="none" stroke="#ff4fa3"/.exec(svg)!;   // default colour of a later line
    expect(crosses[1].match(/M/g)).toHaveLength(2);
    const legend = /<g class="line-legend">(.*?)<\/g>/.exec(svg)![1];
    const texts = [...legend.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map(t => ({ x: Number(t[1]), y: Number(t[2]), s: t[3] }));
    expect(texts.map(t => t.s)).toEqual([1, 2, 3].map(k => long(k).name).concat(['short']));   // the unnamed line has no entry
    const rows = new Set(texts.map(t => t.y));
    expect(rows.size).toBeGreaterThanOrEqual(3);
    const mapBottom = Number(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="none" stroke="#333"\/>/.exec(svg)!.slice(1).reduce((a, b) => String(Number(a) + Number(b))));
    const xLabelY = Number(/<text class="x-label" x="[\d.]+" y="([\d.]+)"/.exec(svg)![1]);
    for (const t of texts) {
      expect(t.x + t.s.length * 11 * 0.6).toBeLessThanOrEqual(W);   // the width estimate the layout uses
      expect(t.y + 6).toBeLessThanOrEqual(H);
      expect(t.y).toBeGreaterThan(xLabelY);
      expect(xLabelY).toBeGreaterThan(mapBottom + 20);
    }
  });
});
