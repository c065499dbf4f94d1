// Plot helpers of the granular runs, on top of src/plots/svg.ts (proposed for src/plots/ once reviewed):
// * zeroLines: marching squares on a row-major grid → line segments where the field changes sign;
// * heatmapWithLines: a heatmap of svg.ts with zero lines of any fields and polylines in data coordinates drawn
//   over it (the cell rectangles of svg.ts give the data → pixel map);
// * signedLog: a series split into log₁₀|y| where y > 0 (solid) and where y < 0 (dashed), the paper's style.
import { heatmap, escapeXml, type HeatmapOptions, type LineSeries } from '../plots/svg.ts';

export type Segment = [number, number, number, number];

/**
 * Zero level of values (row-major [ny][nx], index iy·nx + ix) by marching squares, in fractional grid
 * coordinates (ix, iy). Cells with a corner exactly 0 (no sign) are skipped; saddles are split by the cell mean.
 */
export function zeroLines(values: ArrayLike<number>, nx: number, ny: number): Segment[] {
  const out: Segment[] = [];
  const v = (ix: number, iy: number) => values[iy * nx + ix];
  for (let iy = 0; iy + 1 < ny; iy++) {
    for (let ix = 0; ix + 1 < nx; ix++) {
      const c = [v(ix, iy), v(ix + 1, iy), v(ix + 1, iy + 1), v(ix, iy + 1)];
      // a corner exactly 0 (every term vanishes at J_sd = 0) has no sign: its cells are skipped
      if (!c.every(x => Number.isFinite(x) && x !== 0)) continue;
      const pos = c.map(x => x > 0);
      if (pos.every(p => p) || pos.every(p => !p)) continue;
      const corner: [number, number][] = [[ix, iy], [ix + 1, iy], [ix + 1, iy + 1], [ix, iy + 1]];
      const cross: [number, number][] = [];
      for (let e = 0; e < 4; e++) {
        const a = e, b = (e + 1) % 4;
        if (pos[a] !== pos[b]) {
          const t = c[a] / (c[a] - c[b]);
          cross.push([corner[a][0] + t * (corner[b][0] - corner[a][0]), corner[a][1] + t * (corner[b][1] - corner[a][1])]);
        }
      }
      if (cross.length === 2) out.push([cross[0][0], cross[0][1], cross[1][0], cross[1][1]]);
      else if (cross.length === 4) {
        const mean = (c[0] + c[1] + c[2] + c[3]) / 4;
        // edges 0:(0,1) 1:(1,2) 2:(2,3) 3:(3,0); the centre's sign decides which pairs join
        if ((mean >= 0) === pos[0]) { out.push([...cross[0], ...cross[1]] as Segment, [...cross[2], ...cross[3]] as Segment); }
        else { out.push([...cross[0], ...cross[3]] as Segment, [...cross[1], ...cross[2]] as Segment); }
      }
    }
  }
  return out;
}

export interface OverlayField { values: ArrayLike<number>; color: string; width?: number; dash?: string; label: string }
export interface OverlayPolyline { x: ArrayLike<number>; y: ArrayLike<number>; color: string; width?: number; dash?: string; label: string }

/** Fractional index of value t on a monotonic axis (linear inside, extrapolated outside). */
function fracIndex(axis: ArrayLike<number>, t: number): number {
  const n = axis.length;
  if (n < 2) return 0;
  let k = 0;
  while (k < n - 2 && (axis[k + 1] - t) * (axis[1] - axis[0]) < 0) k++;
  return k + (t - axis[k]) / (axis[k + 1] - axis[k]);
}

/**
 * heatmap(opts) with the zero lines of `fields` (same grid as opts.values) and `polylines` (data coordinates)
 * drawn over the cells, plus a legend line per overlay under the title. Returns the plain heatmap if its cell
 * layout cannot be read.
 */
export function heatmapWithLines(opts: HeatmapOptions, fields: OverlayField[], polylines: OverlayPolyline[] = []): string {
  const svg = heatmap(opts);
  const nx = opts.x.length, ny = opts.y.length;
  const open = svg.indexOf('<g class="cells"'), close = open < 0 ? -1 : svg.indexOf('</g>', open);
  if (open < 0 || close < 0 || nx < 2 || ny < 2) return svg;
  const re = /<rect class="cell" x="([-\d.e]+)" y="([-\d.e]+)" width="([-\d.e]+)" height="([-\d.e]+)"/g;
  const cells: number[][] = [];
  for (const m of svg.slice(open, close).matchAll(re)) cells.push([Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]);
  if (cells.length !== nx * ny) return svg;
  const centre = (k: number) => [cells[k][0] + 0.5 * (cells[k][2] - 0.3), cells[k][1] + 0.5 * (cells[k][3] - 0.3)];
  const [x0, y0] = centre(0), [x1] = centre(nx - 1), [, y1] = centre((ny - 1) * nx);
  const px = (fx: number) => x0 + (fx / (nx - 1)) * (x1 - x0), py = (fy: number) => y0 + (fy / (ny - 1)) * (y1 - y0);
  const r = (v: number) => Math.round(v * 100) / 100;
  const parts: string[] = [];
  const legend: { label: string; color: string; dash?: string }[] = [];
  for (const f of fields) {
    const segs = zeroLines(f.values, nx, ny);
    const d = segs.map(s => `M${r(px(s[0]))} ${r(py(s[1]))}L${r(px(s[2]))} ${r(py(s[3]))}`).join('');
    parts.push(`<path class="zero-line" d="${d}" fill="none" stroke="${escapeXml(f.color)}" stroke-width="${f.width ?? 2}"${f.dash ? ` stroke-dasharray="${escapeXml(f.dash)}"` : ''}><title>${escapeXml(f.label)}</title></path>`);
    legend.push(f);
  }
  for (const l of polylines) {
    const pts: string[] = [];
    for (let i = 0; i < l.x.length; i++) {
      const fx = fracIndex(opts.x, l.x[i]), fy = fracIndex(opts.y, l.y[i]);
      if (!Number.isFinite(fx) || !Number.isFinite(fy)) continue;
      pts.push(`${pts.length ? 'L' : 'M'}${r(px(fx))} ${r(py(fy))}`);
    }
    if (pts.length > 1) parts.push(`<path class="overlay" d="${pts.join('')}" fill="none" stroke="${escapeXml(l.color)}" stroke-width="${l.width ?? 1.5}"${l.dash ? ` stroke-dasharray="${escapeXml(l.dash)}"` : ''}><title>${escapeXml(l.label)}</title></path>`);
    legend.push(l);
  }
  // the legend goes into a strip added below the figure (two columns), so it never covers the map
  const W = opts.width ?? 640, H = opts.height ?? 480, rows = Math.ceil(legend.length / 2), strip = rows ? 14 * rows + 10 : 0;
  const items = legend.map((l, k) => {
    const lx = 14 + (k % 2) * (W / 2), ly = H + 8 + 14 * Math.floor(k / 2);
    return `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${escapeXml(l.color)}" stroke-width="2.2"${l.dash ? ` stroke-dasharray="${escapeXml(l.dash)}"` : ''}/>` +
      `<text x="${lx + 28}" y="${ly}" dy="0.32em" font-size="11">${escapeXml(l.label)}</text>`;
  });
  const clip = `overlay-clip-${++overlayId}`;
  const [bx0, by0] = [cells[0][0], Math.min(cells[0][1], cells[(ny - 1) * nx][1])];
  const bx1 = cells[nx - 1][0] + cells[nx - 1][2], by1 = Math.max(cells[0][1] + cells[0][3], cells[(ny - 1) * nx][1] + cells[(ny - 1) * nx][3]);
  const overlay = `<defs><clipPath id="${clip}"><rect x="${r(bx0)}" y="${r(by0)}" width="${r(bx1 - bx0)}" height="${r(by1 - by0)}"/></clipPath></defs>` +
    `<g class="overlays" clip-path="url(#${clip})">${parts.join('')}</g>` +
    (strip ? `<g class="overlay-legend"><rect x="0" y="${H}" width="${W}" height="${strip}" fill="white"/>${items.join('')}</g>` : '');
  const at = close + 4;
  let out = svg.slice(0, at) + '\n' + overlay + svg.slice(at);
  if (strip) out = out.replace(`height="${H}" viewBox="0 0 ${W} ${H}"`, `height="${H + strip}" viewBox="0 0 ${W} ${H + strip}"`);
  return out;
}
let overlayId = 0;

/** log₁₀|y| split by sign: solid where y > 0, dashed where y < 0 (NaN elsewhere: |y| → 0 at a sign change anyway). */
export function signedLog(name: string, x: ArrayLike<number>, y: ArrayLike<number>, color: string): LineSeries[] {
  const n = y.length, pos = new Float64Array(n), neg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    pos[i] = v > 0 ? Math.log10(v) : NaN;
    neg[i] = v < 0 ? Math.log10(-v) : NaN;
  }
  return [
    { name: `${name} > 0`, x, y: pos, color, dash: '' },
    { name: `${name} < 0`, x, y: neg, color, dash: '6 4' },
  ];
}

/** sign(v)·log₁₀(1 + |v|/scale): a diverging colour coordinate for fields spanning decades. */
export function symlog(values: ArrayLike<number>, scale: number): Float64Array {
  return Float64Array.from(values as ArrayLike<number>, v => Math.sign(v) * Math.log10(1 + Math.abs(v) / scale));
}
