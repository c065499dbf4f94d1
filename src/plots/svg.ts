// Standalone SVG figures built as strings with d3 scales/shapes (no DOM needed in Node).
import * as d3 from 'd3';

type Num = ArrayLike<number>;
type Linear = d3.ScaleLinear<number, number>;

export interface LineSeries {
  name: string;
  x: Num;
  y: Num;
  /** Optional styling; when absent the palette colour, palette-cycle dash and width 1.8 are used. */
  color?: string;
  /** SVG stroke-dasharray ('' for a solid line). */
  dash?: string;
  width?: number;
  /** Error bars: ± yErr[i] around y[i] (e.g. a standard error); NaN entries draw none. */
  yErr?: Num;
  /** Asymmetric error bars from lo[i] to hi[i] (e.g. a Wilson interval); used instead of yErr. */
  yRange?: { lo: Num; hi: Num };
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  width?: number;
  height?: number;
  yDomain?: [number, number];
}

export interface HeatmapOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** nx cell centers (monotonic). */
  x: Num;
  /** ny cell centers (monotonic). */
  y: Num;
  /** Row-major, index = iy * nx + ix. */
  values: Num;
  colorLabel: string;
  domain?: [number, number];
  interpolator?: (t: number) => string;
  width?: number;
  height?: number;
  /**
   * Draw the cells as one embedded image instead of one <rect> per cell (for maps of 10⁵–10⁷ cells): the
   * function turns RGBA pixels (row 0 at the top, nx × ny) into an image URL, e.g. a PNG data URI
   * (src/plots/png.ts). Needs uniformly spaced x and y.
   */
  raster?: (rgba: Uint8Array, width: number, height: number) => string;
  /** A signed quantity: blue–white–red scale centred on 0 (domain made symmetric). */
  diverging?: boolean;
  /** A categorical map (e.g. a 0/1 flag): one colour per value and a legend instead of a colorbar. */
  categories?: { value: number; label: string; color: string }[];
  /**
   * Lines drawn over the cells in data coordinates (resonance lines, zero lines: src/plots/contours.ts), clipped to the
   * map; a NaN coordinate breaks a line. Each named line gets a legend entry below the map (rows wrap to the figure
   * width; an empty name has none). Default colours: white, then pink; width 2.
   */
  lines?: HeatmapLine[];
  /** Extra SVG drawn over the cells, given the data → pixel maps. */
  overlay?: (px: (x: number) => number, py: (y: number) => number) => string;
}

/** A line over a heatmap (HeatmapOptions.lines). */
export interface HeatmapLine { name: string; x: Num; y: Num; color?: string; dash?: string; width?: number }

/** Fill for NaN / non-finite heatmap cells. */
export const NAN_COLOR = '#b0b0b0';

const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const TICK_FONT = 11;
const LABEL_FONT = 13;
const TITLE_FONT = 15;

// Ids must be unique if several figures are ever inlined into one HTML page.
let uid = 0;

/** XML-escape text/attribute content and drop characters XML 1.0 forbids. */
export function escapeXml(s: string): string {
  return String(s)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

// Coordinates rounded to 0.01 px keep files small without visible effect.
const r = (v: number): number => Math.round(v * 100) / 100;
const r2 = (v: number): string => String(r(v));

/** Rough text width; good enough to size margins for sans-serif labels. */
const textWidth = (s: string, size: number): number => s.length * size * 0.6;

function finiteExtent(arrays: Num[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Widen a zero-width domain so scales stay invertible. */
function padDomain(d: [number, number] | null): [number, number] {
  if (d === null) return [0, 1];
  if (d[0] !== d[1]) return d;
  const p = Math.abs(d[0]) * 0.1 || 0.5;
  return [d[0] - p, d[1] + p];
}

/** d3 tick format, switching to exponent notation for very large/small magnitudes. */
function tickFormatter(scale: Linear, count: number): (v: number) => string {
  const [a, b] = scale.domain();
  const m = Math.max(Math.abs(a), Math.abs(b));
  const useExp = m >= 1e6 || (m > 0 && m < 1e-3);
  if (!useExp) return scale.tickFormat(count);
  const f = scale.tickFormat(count, '~e');
  // "2e+5" -> "2e5", "0e+0" -> "0": shorter, and still parseable as a number.
  return (v) => (v === 0 ? '0' : f(v).replace('e+', 'e'));
}

interface AxisText {
  ticks: number[];
  labels: string[];
}

function axisText(scale: Linear, count: number): AxisText {
  const ticks = scale.ticks(count);
  const f = tickFormatter(scale, count);
  return { ticks, labels: ticks.map(f) };
}

/** The title broken into lines that fit the figure width (words kept whole; an over-long word is cut with an ellipsis). */
export function titleLines(title: string, width: number, size = TITLE_FONT): string[] {
  const max = Math.max(8, Math.floor((width - 24) / (size * 0.6)));
  const lines: string[] = [];
  let cur = '';
  for (const w of title.split(/\s+/).filter(Boolean)) {
    if (!cur) cur = w;
    else if ((cur + ' ' + w).length <= max) cur += ' ' + w;
    else { lines.push(cur); cur = w; }
  }
  if (cur) lines.push(cur);
  return lines.map(l => ellipsize(l, max));
}

/** Extra top margin a wrapped title needs beyond one line. */
const titleExtra = (title: string, w: number) => (titleLines(title, w).length - 1) * (TITLE_FONT + 4);

function svgOpen(w: number, h: number, title: string): string[] {
  const lines = titleLines(title, w);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" ${FONT}>`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${w}" height="${h}" fill="white"/>`,
    `<text class="figure-title" x="${r2(w / 2)}" y="24" text-anchor="middle" font-size="${TITLE_FONT}" font-weight="bold">${lines.map((l, i) => `<tspan x="${r2(w / 2)}" dy="${i === 0 ? 0 : TITLE_FONT + 4}">${escapeXml(l)}</tspan>`).join('')}</text>`,
  ];
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Bottom + left axes with ticks, tick labels, optional grid, and axis labels. */
function axes(
  out: string[],
  box: Box,
  xs: Linear,
  ys: Linear,
  xt: AxisText,
  yt: AxisText,
  xLabel: string,
  yLabel: string,
  yLabelX: number,
  totalH: number,
  grid: boolean,
): void {
  const g: string[] = [];
  xt.ticks.forEach((t, i) => {
    const x = r2(xs(t));
    if (grid) g.push(`<line x1="${x}" y1="${box.top}" x2="${x}" y2="${box.bottom}" stroke="#e6e6e6"/>`);
    g.push(`<line x1="${x}" y1="${box.bottom}" x2="${x}" y2="${box.bottom + 5}" stroke="#333"/>`);
    g.push(`<text x="${x}" y="${box.bottom + 18}" text-anchor="middle" font-size="${TICK_FONT}">${escapeXml(xt.labels[i])}</text>`);
  });
  yt.ticks.forEach((t, i) => {
    const y = r2(ys(t));
    if (grid) g.push(`<line x1="${box.left}" y1="${y}" x2="${box.right}" y2="${y}" stroke="#e6e6e6"/>`);
    g.push(`<line x1="${r2(box.left - 5)}" y1="${y}" x2="${box.left}" y2="${y}" stroke="#333"/>`);
    g.push(`<text x="${r2(box.left - 8)}" y="${y}" dy="0.32em" text-anchor="end" font-size="${TICK_FONT}">${escapeXml(yt.labels[i])}</text>`);
  });
  // Emitted before the data so grid lines sit underneath it.
  out.push(`<g class="axes">${g.join('')}</g>`);
  const cx = r2((box.left + box.right) / 2);
  const cy = r2((box.top + box.bottom) / 2);
  out.push(`<text class="x-label" x="${cx}" y="${totalH - 12}" text-anchor="middle" font-size="${LABEL_FONT}">${escapeXml(xLabel)}</text>`);
  out.push(
    `<text class="y-label" transform="translate(${r2(yLabelX)},${cy}) rotate(-90)" text-anchor="middle" font-size="${LABEL_FONT}">${escapeXml(yLabel)}</text>`,
  );
}

function frame(box: Box): string {
  return `<rect x="${box.left}" y="${box.top}" width="${r2(box.right - box.left)}" height="${r2(box.bottom - box.top)}" fill="none" stroke="#333"/>`;
}

const maxWidth = (labels: string[], size: number): number => Math.max(0, ...labels.map((s) => textWidth(s, size)));

const ellipsize = (s: string, n: number): string => (s.length > n ? s.slice(0, n - 1) + '…' : s);

// After 10 series the palette repeats, so change the dash pattern to keep lines distinct.
const DASHES = ['', '6 3', '2 2', '8 3 2 3'];

/**
 * Indices to draw. Long series with monotonic x keep only first/min/max/last per pixel
 * column, which looks identical but keeps SVGs small; NaN gaps are preserved.
 */
function decimate(x: Num, y: Num, xs: Linear, ok: (i: number) => boolean, widthPx: number): number[] {
  const n = x.length;
  const all = () => d3.range(n);
  if (n <= 4 * widthPx) return all();
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!ok(i)) continue;
    if (x[i] < prev) return all();
    prev = x[i];
  }
  const keep: number[] = [];
  let col = NaN;
  let first = -1;
  let last = -1;
  let imin = -1;
  let imax = -1;
  const flush = () => {
    if (first >= 0) keep.push(...[...new Set([first, imin, imax, last])].sort((a, b) => a - b));
    first = -1;
    col = NaN;
  };
  for (let i = 0; i < n; i++) {
    if (!ok(i)) {
      flush();
      if (keep.length === 0 || ok(keep[keep.length - 1])) keep.push(i); // one undefined point breaks the line
      continue;
    }
    const c = Math.floor(xs(x[i]));
    if (c !== col) {
      flush();
      col = c;
      first = last = imin = imax = i;
    } else {
      last = i;
      if (y[i] < y[imin]) imin = i;
      if (y[i] > y[imax]) imax = i;
    }
  }
  flush();
  return keep;
}

export function lineChart(opts: LineChartOptions): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 440;
  for (const s of opts.series) {
    if (s.x.length !== s.y.length) {
      throw new Error(`lineChart: series "${s.name}" has x.length=${s.x.length} but y.length=${s.y.length}`);
    }
  }
  const xs = d3.scaleLinear().domain(padDomain(finiteExtent(opts.series.map((s) => s.x)))).nice();
  const ys = d3.scaleLinear();
  if (opts.yDomain) ys.domain(padDomain(opts.yDomain));
  else ys.domain(padDomain(finiteExtent(opts.series.flatMap((s) => (s.yRange ? [s.y, s.yRange.lo, s.yRange.hi] : s.yErr ? [Array.from(s.y, (v, i) => v - s.yErr![i]), Array.from(s.y, (v, i) => v + s.yErr![i])] : [s.y]))))).nice();

  const names = opts.series.map((s) => ellipsize(s.name, 32));
  const legendW = names.length ? Math.min(240, 34 + maxWidth(names, 12)) : 0;
  const xCount = Math.max(2, Math.round(W / 90));
  const yCount = Math.max(2, Math.round(H / 60));
  const yt = axisText(ys, yCount);
  const left = 30 + 10 + maxWidth(yt.labels, TICK_FONT);
  const box: Box = { left: r(left), right: r(W - 20 - legendW), top: 40 + titleExtra(opts.title, W), bottom: H - 52 };
  xs.range([box.left, box.right]);
  ys.range([box.bottom, box.top]);
  const xt = axisText(xs, xCount);

  const out = svgOpen(W, H, opts.title);
  const clip = `clip-${++uid}`;
  out.push(`<defs><clipPath id="${clip}"><rect x="${box.left}" y="${box.top}" width="${r2(box.right - box.left)}" height="${r2(box.bottom - box.top)}"/></clipPath></defs>`);
  axes(out, box, xs, ys, xt, yt, opts.xLabel, opts.yLabel, 16, H, true);

  const palette = d3.schemeCategory10;
  const colorOf = (k: number): string => opts.series[k].color ?? palette[k % palette.length];
  const dashOf = (k: number): string => opts.series[k].dash ?? DASHES[Math.floor(k / palette.length) % DASHES.length];
  opts.series.forEach((s, k) => {
    const color = colorOf(k);
    const dash = dashOf(k);
    const ok = (i: number) => Number.isFinite(s.x[i]) && Number.isFinite(s.y[i]);
    const line = d3
      .line<number>()
      .defined(ok)
      .x((i) => xs(s.x[i]))
      .y((i) => ys(s.y[i]))
      .digits(2);
    const idx = d3.range(s.x.length);
    const d = line(decimate(s.x, s.y, xs, ok, box.right - box.left));
    const parts: string[] = [];
    if (d) {
      parts.push(`<path d="${d}" fill="none" stroke="${escapeXml(color)}" stroke-width="${s.width ?? 1.8}"${dash ? ` stroke-dasharray="${escapeXml(dash)}"` : ''} stroke-linejoin="round"/>`);
    }
    if (s.yErr || s.yRange) {
      const n = s.yRange ? Math.min(s.yRange.lo.length, s.yRange.hi.length) : s.yErr!.length;
      if (n !== s.y.length) throw new Error(`lineChart: series "${s.name}" has ${s.y.length} points but ${n} error bars`);
      for (const i of idx) {
        const lo = s.yRange ? s.yRange.lo[i] : s.y[i] - s.yErr![i], hi = s.yRange ? s.yRange.hi[i] : s.y[i] + s.yErr![i];
        if (!ok(i) || !Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) continue;
        const x = r2(xs(s.x[i])), y0 = r2(ys(lo)), y1 = r2(ys(hi));
        parts.push(`<path class="error-bar" d="M${x},${y0}V${y1}M${r2(xs(s.x[i]) - 3)},${y0}h6M${r2(xs(s.x[i]) - 3)},${y1}h6" stroke="${escapeXml(color)}" stroke-width="1" fill="none"/>`);
      }
    }
    // Markers for short series, so isolated points (neighbours NaN) stay visible.
    const finite = idx.filter(ok);
    if (finite.length <= 60) {
      for (const i of finite) parts.push(`<circle cx="${r2(xs(s.x[i]))}" cy="${r2(ys(s.y[i]))}" r="2.5" fill="${escapeXml(color)}"/>`);
    }
    out.push(`<g class="series" clip-path="url(#${clip})"><title>${escapeXml(s.name)}</title>${parts.join('')}</g>`);
  });
  out.push(frame(box));

  if (names.length) {
    const lx = box.right + 14;
    const items = names.map((n, k) => {
      const y = box.top + 8 + k * 18;
      const color = colorOf(k);
      const dash = dashOf(k);
      return (
        `<line x1="${r2(lx)}" y1="${y}" x2="${r2(lx + 22)}" y2="${y}" stroke="${escapeXml(color)}" stroke-width="2.5"${dash ? ` stroke-dasharray="${escapeXml(dash)}"` : ''}/>` +
        `<text x="${r2(lx + 28)}" y="${y}" dy="0.32em" font-size="12">${escapeXml(n)}</text>`
      );
    });
    out.push(`<g class="legend">${items.join('')}</g>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

const LEGEND_ROW = 16;
const lineColor = (l: HeatmapLine, k: number) => l.color ?? (k === 0 ? '#ffffff' : '#ff4fa3');
const legendItemWidth = (name: string) => 34 + textWidth(name, 11) + 16;

/** Rows of the legend of the named lines across `width` px (each row at least one entry): indices into `lines`. */
function legendRows(lines: HeatmapLine[], width: number): number[][] {
  const rows: number[][] = [];
  let used = 0;
  lines.forEach((l, k) => {
    if (!l.name) return;
    const w = legendItemWidth(l.name);
    if (!rows.length || used + w > width) { rows.push([]); used = 0; }
    rows[rows.length - 1].push(k);
    used += w;
  });
  return rows;
}

/** One legend entry: a line sample (on a grey swatch when the line is light, so white lines and their dashes show) and its name, ellipsized to `maxWidth` px. */
function legendItem(l: HeatmapLine, k: number, x: number, y: number, maxWidth: number): string {
  const name = ellipsize(l.name, Math.max(4, Math.floor((maxWidth - 28) / (11 * 0.6))));
  const color = lineColor(l, k), light = (d3.hsl(color).l || 0) > 0.75;
  return (light ? `<rect x="${r2(x - 2)}" y="${y - 5}" width="26" height="10" fill="#808080"/>` : '') +
    `<line x1="${r2(x)}" y1="${y}" x2="${r2(x + 22)}" y2="${y}" stroke="${escapeXml(color)}" stroke-width="2.5"${l.dash ? ` stroke-dasharray="${escapeXml(l.dash)}"` : ''}/>` +
    `<text x="${r2(x + 28)}" y="${y}" dy="0.32em" font-size="11">${escapeXml(name)}</text>`;
}

/** Legend of the overlay lines: `rows` (legendRows) from (x, y) down, or one column under a category legend. */
function lineLegend(lines: HeatmapLine[], rows: number[][], x: number, y: number, right: number): string {
  const items: string[] = [];
  rows.forEach((row, j) => {
    let at = x;
    for (const k of row) {
      items.push(legendItem(lines[k], k, at, y + j * LEGEND_ROW, right - at));
      at += legendItemWidth(lines[k].name);
    }
  });
  return items.length ? `<g class="line-legend">${items.join('')}</g>` : '';
}

/** Cell edges from centers: midpoints inside, half-steps extrapolated at the ends. */
function edges(c: Num): number[] {
  const n = c.length;
  if (n === 0) return [0, 1];
  if (n === 1) return [c[0] - 0.5, c[0] + 0.5];
  const e = new Array<number>(n + 1);
  for (let i = 1; i < n; i++) e[i] = (c[i - 1] + c[i]) / 2;
  e[0] = c[0] - (c[1] - c[0]) / 2;
  e[n] = c[n - 1] + (c[n - 1] - c[n - 2]) / 2;
  return e;
}

/** The diverging colour map of every signed map: red > 0, white at 0, blue < 0 (t ∈ [0, 1] over the domain). */
export const DIVERGING = (t: number): string => d3.interpolateRdBu(1 - t);

export function heatmap(opts: HeatmapOptions): string {
  const W = opts.width ?? 640;
  const H = opts.height ?? 480;
  const nx = opts.x.length;
  const ny = opts.y.length;
  if (opts.values.length !== nx * ny) {
    throw new Error(`heatmap: values.length=${opts.values.length} but x.length*y.length=${nx}*${ny}=${nx * ny}`);
  }
  for (const [name, a] of [['x', opts.x], ['y', opts.y]] as const) {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) throw new Error(`heatmap: ${name}[${i}] is not finite`);
    }
  }
  const interp = opts.interpolator ?? (opts.diverging ? DIVERGING : d3.interpolateViridis);
  let domain = padDomain(opts.domain ?? finiteExtent([opts.values]));
  if (opts.diverging) { const m = Math.max(Math.abs(domain[0]), Math.abs(domain[1])) || 1; domain = [-m, m]; }
  const cats = opts.categories;
  const scale = d3.scaleSequential(interp).domain(domain).clamp(true);
  const color = cats ? (v: number) => cats.find(c => c.value === v)?.color ?? NAN_COLOR : (v: number) => scale(v);
  const cs = d3.scaleLinear().domain(domain);

  const ex = edges(opts.x);
  const ey = edges(opts.y);
  const xs = d3.scaleLinear().domain(padDomain([ex[0], ex[ex.length - 1]]));
  const ys = d3.scaleLinear().domain(padDomain([ey[0], ey[ey.length - 1]]));
  const yCount = Math.max(2, Math.round(H / 60));
  const yt = axisText(ys, yCount);
  const ctCount = Math.max(2, Math.round(H / 70));
  const ct = axisText(cs, ctCount);
  const left = 30 + 10 + maxWidth(yt.labels, TICK_FONT);
  const barW = 16;
  const colorbarSpace = cats ? 18 + 14 + 6 + maxWidth(cats.map(c => c.label), TICK_FONT) + 8 : 18 + barW + 8 + maxWidth(ct.labels, TICK_FONT) + 30;
  // rows for the overlay lines' legend below the x label (wrapped to the figure width)
  const legendX = r(left);
  const rows = cats ? (opts.lines ?? []).flatMap((l, k) => (l.name ? [[k]] : [])) : legendRows(opts.lines ?? [], W - 8 - legendX);
  const legendRow = rows.length && !cats ? 22 + LEGEND_ROW * (rows.length - 1) : 0;
  const box: Box = { left: r(left), right: r(W - 12 - colorbarSpace), top: 40 + titleExtra(opts.title, W), bottom: H - 52 - legendRow };
  xs.range([box.left, box.right]);
  ys.range([box.bottom, box.top]);
  const xt = axisText(xs, Math.max(2, Math.round((box.right - box.left) / 80)));

  const out = svgOpen(W, H, opts.title);
  const grad = `cbar-${++uid}`;
  const stops = d3
    .range(33)
    .map((i) => `<stop offset="${r2((i / 32) * 100)}%" stop-color="${escapeXml(interp(i / 32))}"/>`)
    .join('');
  out.push(`<defs><linearGradient id="${grad}" x1="0" y1="1" x2="0" y2="0">${stops}</linearGradient></defs>`);

  // Cells: emitted before axes so tick marks sit on top; crispEdges avoids hairline seams.
  const cells: string[] = [];
  let anyNaN = false;
  if (opts.raster) {
    for (const [name, a] of [['x', opts.x], ['y', opts.y]] as const) {
      const step = a.length > 1 ? (a[a.length - 1] - a[0]) / (a.length - 1) : 1;
      for (let i = 1; i < a.length; i++) {
        if (Math.abs(a[i] - a[i - 1] - step) > 1e-6 * Math.abs(step)) throw new Error(`heatmap: raster cells need a uniformly spaced ${name} (step ${i})`);
      }
    }
    const rgba = new Uint8Array(nx * ny * 4);
    const flipY = ys(ey[0]) > ys(ey[ny]); // row iy = 0 drawn at the bottom
    const flipX = xs(ex[0]) > xs(ex[nx]);
    for (let iy = 0; iy < ny; iy++) {
      const row = flipY ? ny - 1 - iy : iy;
      for (let ix = 0; ix < nx; ix++) {
        const v = opts.values[iy * nx + ix];
        const finite = Number.isFinite(v);
        if (!finite) anyNaN = true;
        const c = d3.rgb(finite ? color(v) : NAN_COLOR);
        const o = (row * nx + (flipX ? nx - 1 - ix : ix)) * 4;
        rgba[o] = c.r; rgba[o + 1] = c.g; rgba[o + 2] = c.b; rgba[o + 3] = 255;
      }
    }
    const x0 = Math.min(xs(ex[0]), xs(ex[nx])), y0 = Math.min(ys(ey[0]), ys(ey[ny]));
    cells.push(`<image class="cells-raster" x="${r2(x0)}" y="${r2(y0)}" width="${r2(Math.abs(xs(ex[nx]) - xs(ex[0])))}" height="${r2(Math.abs(ys(ey[ny]) - ys(ey[0])))}" preserveAspectRatio="none" image-rendering="pixelated" style="image-rendering:pixelated" href="${escapeXml(opts.raster(rgba, nx, ny))}"/>`);
  }
  for (let iy = 0; iy < (opts.raster ? 0 : ny); iy++) {
    const ya = ys(ey[iy]);
    const yb = ys(ey[iy + 1]);
    const y0 = r(Math.min(ya, yb));
    // sizes from the rounded edges plus a 0.3 px overlap, so no rounding seam shows between rows/columns
    const h = r2(Math.max(ya, yb) - y0 + 0.3);
    for (let ix = 0; ix < nx; ix++) {
      const xa = xs(ex[ix]);
      const xb = xs(ex[ix + 1]);
      const v = opts.values[iy * nx + ix];
      const finite = Number.isFinite(v);
      if (!finite) anyNaN = true;
      const fill = finite ? escapeXml(color(v)) : NAN_COLOR;
      const x0 = r(Math.min(xa, xb));
      cells.push(`<rect class="cell" x="${x0}" y="${y0}" width="${r2(Math.max(xa, xb) - x0 + 0.3)}" height="${h}" fill="${fill}"/>`);
    }
  }
  out.push(`<g class="cells" shape-rendering="crispEdges">${cells.join('\n')}</g>`);
  if (opts.lines?.length || opts.overlay) {
    const clip = `clip-${++uid}`;
    const parts: string[] = [`<defs><clipPath id="${clip}"><rect x="${box.left}" y="${box.top}" width="${r2(box.right - box.left)}" height="${r2(box.bottom - box.top)}"/></clipPath></defs>`];
    (opts.lines ?? []).forEach((l, k) => {
      const ok = (i: number) => Number.isFinite(l.x[i]) && Number.isFinite(l.y[i]);
      const d = d3.line<number>().defined(ok).x(i => xs(l.x[i])).y(i => ys(l.y[i])).digits(2)(d3.range(l.x.length));
      if (d) parts.push(`<path class="overlay-line" d="${d}" fill="none" stroke="${escapeXml(lineColor(l, k))}" stroke-width="${l.width ?? 2}"${l.dash ? ` stroke-dasharray="${escapeXml(l.dash)}"` : ''}>${l.name ? `<title>${escapeXml(l.name)}</title>` : ''}</path>`);
    });
    if (opts.overlay) parts.push(opts.overlay(v => xs(v), v => ys(v)));
    out.push(`<g class="overlay" clip-path="url(#${clip})">${parts.join('')}</g>`);
  }
  axes(out, box, xs, ys, xt, yt, opts.xLabel, opts.yLabel, 16, H - legendRow, false);
  out.push(frame(box));

  const bx = box.right + 18;
  if (cats) {
    // discrete legend: one swatch per category
    const items = cats.map((c, k) => {
      const y = box.top + 6 + k * 20;
      return `<rect x="${r2(bx)}" y="${y}" width="14" height="14" fill="${escapeXml(c.color)}" stroke="#333"/><text x="${r2(bx + 20)}" y="${y + 7}" dy="0.32em" font-size="${TICK_FONT}">${escapeXml(c.label)}</text>`;
    });
    out.push(`<g class="colorbar categories">${items.join('')}</g>`);
    out.push(lineLegend(opts.lines ?? [], rows, bx, box.top + 10 + cats.length * 20, W - 4));
    out.push('</svg>');
    return out.join('\n') + '\n';
  }
  // Vertical colorbar with its own ticks and label.
  cs.range([box.bottom, box.top]);
  const cb: string[] = [
    `<rect x="${r2(bx)}" y="${box.top}" width="${barW}" height="${r2(box.bottom - box.top)}" fill="url(#${grad})" stroke="#333"/>`,
  ];
  ct.ticks.forEach((t, i) => {
    const y = r2(cs(t));
    cb.push(`<line x1="${r2(bx + barW)}" y1="${y}" x2="${r2(bx + barW + 5)}" y2="${y}" stroke="#333"/>`);
    cb.push(`<text x="${r2(bx + barW + 8)}" y="${y}" dy="0.32em" font-size="${TICK_FONT}">${escapeXml(ct.labels[i])}</text>`);
  });
  const labelX = bx + barW + 8 + maxWidth(ct.labels, TICK_FONT) + 16;
  cb.push(
    `<text class="color-label" transform="translate(${r2(labelX)},${r2((box.top + box.bottom) / 2)}) rotate(-90)" text-anchor="middle" font-size="${LABEL_FONT}">${escapeXml(opts.colorLabel)}</text>`,
  );
  if (anyNaN) {
    const y = box.bottom + 14;
    cb.push(`<rect x="${r2(bx)}" y="${y}" width="${barW}" height="10" fill="${NAN_COLOR}" stroke="#333"/>`);
    cb.push(`<text x="${r2(bx + barW + 5)}" y="${y + 5}" dy="0.32em" font-size="${TICK_FONT}">NaN</text>`);
  }
  out.push(`<g class="colorbar">${cb.join('')}</g>`);
  out.push(lineLegend(opts.lines ?? [], rows, legendX, H - 12 - LEGEND_ROW * (rows.length - 1), W - 4));
  out.push('</svg>');
  return out.join('\n') + '\n';
}
