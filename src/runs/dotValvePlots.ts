// Figure helpers of the dot-valve runs: zero contours of a function on a grid (marching squares, chained into
// polylines) and their overlay on a heatmap from src/plots/svg.ts (whose cells are <rect class="cell" …> in row
// order iy·nx + ix; the data → pixel map is recovered from the first and last cell, exact for uniform axes).
import { escapeXml } from '../plots/svg.ts';

export type Polyline = [number, number][];

/**
 * Zero contour of f(x, y) sampled on the uniform grid x[0..nx−1] × y[0..ny−1] (values row-major iy·nx + ix):
 * marching squares with linear interpolation on the cell edges, segments chained into polylines.
 */
export function zeroContour(x: ArrayLike<number>, y: ArrayLike<number>, values: ArrayLike<number>): Polyline[] {
  const nx = x.length, ny = y.length;
  const v = (ix: number, iy: number) => values[iy * nx + ix];
  const segs: [[number, number], [number, number]][] = [];
  const cross = (ax: number, ay: number, av: number, bx: number, by: number, bv: number): [number, number] => {
    const t = av / (av - bv);
    return [ax + t * (bx - ax), ay + t * (by - ay)];
  };
  for (let iy = 0; iy + 1 < ny; iy++) {
    for (let ix = 0; ix + 1 < nx; ix++) {
      const c = [v(ix, iy), v(ix + 1, iy), v(ix + 1, iy + 1), v(ix, iy + 1)];
      if (!c.every(Number.isFinite)) continue;
      const px = [x[ix], x[ix + 1], x[ix + 1], x[ix]], py = [y[iy], y[iy], y[iy + 1], y[iy + 1]];
      const pts: [number, number][] = [];
      for (let e = 0; e < 4; e++) {
        const a = e, b = (e + 1) % 4;
        if ((c[a] < 0) !== (c[b] < 0)) pts.push(cross(px[a], py[a], c[a], px[b], py[b], c[b]));
      }
      if (pts.length === 2) segs.push([pts[0], pts[1]]);
      else if (pts.length === 4) {
        // saddle: decide by the centre value
        const centre = (c[0] + c[1] + c[2] + c[3]) / 4;
        if ((centre < 0) === (c[0] < 0)) { segs.push([pts[0], pts[3]]); segs.push([pts[1], pts[2]]); } else { segs.push([pts[0], pts[1]]); segs.push([pts[2], pts[3]]); }
      }
    }
  }
  // chain segments sharing endpoints
  const key = (p: [number, number]) => `${p[0].toPrecision(12)},${p[1].toPrecision(12)}`;
  const ends = new Map<string, number[]>();
  segs.forEach((s, i) => { for (const p of s) { const k = key(p); const l = ends.get(k); if (l) l.push(i); else ends.set(k, [i]); } });
  const used = new Uint8Array(segs.length);
  const lines: Polyline[] = [];
  for (let i = 0; i < segs.length; i++) {
    if (used[i]) continue;
    used[i] = 1;
    const line: Polyline = [segs[i][0], segs[i][1]];
    for (const forward of [true, false]) {
      for (;;) {
        const tip = forward ? line[line.length - 1] : line[0];
        const next = (ends.get(key(tip)) ?? []).find(j => !used[j]);
        if (next === undefined) break;
        used[next] = 1;
        const s = segs[next], other = key(s[0]) === key(tip) ? s[1] : s[0];
        if (forward) line.push(other); else line.unshift(other);
      }
    }
    lines.push(line);
  }
  return lines;
}

let clipId = 0;

export interface Overlay { lines: Polyline[]; stroke: string; dash: string; width?: number; title: string }

/**
 * Draw polylines (data coordinates) over a heatmap SVG with nx × ny cells, clipped to the cell area. Returns the
 * SVG unchanged if the cells cannot be found.
 */
export function overlayHeatmap(svg: string, x: ArrayLike<number>, y: ArrayLike<number>, overlays: Overlay[]): string {
  const nx = x.length, ny = y.length;
  const open = svg.indexOf('<g class="cells"'), close = open < 0 ? -1 : svg.indexOf('</g>', open);
  if (open < 0 || close < 0 || nx < 2 || ny < 2) return svg;
  const re = /<rect class="cell" x="([-\d.e]+)" y="([-\d.e]+)" width="([-\d.e]+)" height="([-\d.e]+)"/g;
  const cells: number[][] = [];
  for (const m of svg.slice(open, close).matchAll(re)) cells.push([Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]);
  if (cells.length !== nx * ny) return svg;
  const first = cells[0], last = cells[nx * ny - 1];
  // centres of the first and last cells (each rect is 0.3 px wider than its cell)
  const cx0 = first[0] + (first[2] - 0.3) / 2, cx1 = last[0] + (last[2] - 0.3) / 2;
  const cy0 = first[1] + (first[3] - 0.3) / 2, cy1 = last[1] + (last[3] - 0.3) / 2;
  const px = (v: number) => cx0 + ((v - x[0]) * (cx1 - cx0)) / (x[nx - 1] - x[0]);
  const py = (v: number) => cy0 + ((v - y[0]) * (cy1 - cy0)) / (y[ny - 1] - y[0]);
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (const c of cells) { xmin = Math.min(xmin, c[0]); xmax = Math.max(xmax, c[0] + c[2]); ymin = Math.min(ymin, c[1]); ymax = Math.max(ymax, c[1] + c[3]); }
  const id = `dv-clip-${++clipId}`;
  const r = (v: number) => Math.round(v * 100) / 100;
  const paths = overlays.map(o => {
    const d = o.lines.filter(l => l.length >= 2).map(l => l.map((p, k) => `${k ? 'L' : 'M'}${r(px(p[0]))} ${r(py(p[1]))}`).join('')).join('');
    return d ? `<path d="${d}" fill="none" stroke="${o.stroke}" stroke-width="${o.width ?? 1.6}" stroke-dasharray="${o.dash}"><title>${escapeXml(o.title)}</title></path>` : '';
  }).join('');
  const g = `<g class="overlay"><defs><clipPath id="${id}"><rect x="${r(xmin)}" y="${r(ymin)}" width="${r(xmax - xmin)}" height="${r(ymax - ymin)}"/></clipPath></defs><g clip-path="url(#${id})">${paths}</g></g>`;
  const at = close + 4;
  return svg.slice(0, at) + '\n' + g + svg.slice(at);
}
