// Zero contours of a field sampled on a grid (marching squares), in data coordinates, for the `lines` of
// heatmap() in ./svg.ts: the one implementation behind every sign-change, resonance and zero line drawn over a map.
//
// Conventions:
// * values are row-major over the grid x[0..nx−1] × y[0..ny−1]: value of (x[ix], y[iy]) at iy·nx + ix; the axes
//   need not be uniform (a crossing is interpolated linearly in data coordinates along its cell edge);
// * a cell with a non-finite corner (NaN, ±∞) has no contour;
// * saddles (the four corners alternate in sign) are split by the sign of the cell mean, the value of the bilinear
//   interpolant at the cell centre: the two corners that share the centre's sign are joined through the cell;
// * a corner exactly 0 (zeros: 'positive', the default) counts as positive, so a zero line running through grid
//   nodes is drawn once, through those nodes; a segment of zero length (a lone zero corner between negative ones)
//   is dropped. With zeros: 'skip' a cell with a corner exactly 0 has no contour: for a field whose every term
//   vanishes on a grid line (the granular exchange at J_sd = 0) that line is not a sign change and is not drawn.
//
// Segments are chained into polylines through their shared cell edges (each edge crossing is computed once, from the
// edge's own two corners, so neighbouring cells meet exactly) or grid nodes (a crossing on a zero corner is that node,
// so a line through nodes is one polyline and a zero row between negative cells is drawn once); a closed contour
// ends at its first point.

/** A polyline in data coordinates. */
export type Polyline = [number, number][];

export interface ZeroContourOptions {
  /** How a corner exactly 0 counts: as positive (default) or as no sign (its cells are skipped). */
  zeros?: 'positive' | 'skip';
}

/** The zero contour of `values` over the grid x × y as polylines (see the header for the conventions). */
export function zeroContour(x: ArrayLike<number>, y: ArrayLike<number>, values: ArrayLike<number>, opts: ZeroContourOptions = {}): Polyline[] {
  const nx = x.length, ny = y.length;
  if (values.length !== nx * ny) throw new Error(`zeroContour: values.length = ${values.length}, expected x.length × y.length = ${nx} × ${ny}`);
  const skipZeros = opts.zeros === 'skip';
  const v = (ix: number, iy: number) => values[iy * nx + ix];
  // edge ids: 2·(iy·nx + ix) for the edge (ix, iy)–(ix + 1, iy), 2·(iy·nx + ix) + 1 for (ix, iy)–(ix, iy + 1)
  const points = new Map<number, [number, number]>();
  const crossing = (id: number): [number, number] => {
    let p = points.get(id);
    if (p) return p;
    const node = id >> 1, ix = node % nx, iy = (node - ix) / nx, horizontal = (id & 1) === 0;
    const a = v(ix, iy), b = horizontal ? v(ix + 1, iy) : v(ix, iy + 1), t = a / (a - b);
    p = horizontal ? [x[ix] + t * (x[ix + 1] - x[ix]), y[iy]] : [x[ix], y[iy] + t * (y[iy + 1] - y[iy])];
    points.set(id, p);
    return p;
  };
  const segs: [number, number][] = [];
  for (let iy = 0; iy + 1 < ny; iy++) {
    for (let ix = 0; ix + 1 < nx; ix++) {
      const c = [v(ix, iy), v(ix + 1, iy), v(ix + 1, iy + 1), v(ix, iy + 1)];
      if (!c.every(Number.isFinite) || (skipZeros && c.some(z => z === 0))) continue;
      const neg = c.map(z => z < 0);
      // edges in corner order: 0: c0–c1, 1: c1–c2, 2: c3–c2, 3: c0–c3
      const node = iy * nx + ix, edge = [2 * node, 2 * (node + 1) + 1, 2 * (node + nx), 2 * node + 1];
      const cut = [0, 1, 2, 3].filter(e => neg[e] !== neg[(e + 1) % 4]).map(e => edge[e]);
      if (cut.length === 2) segs.push([cut[0], cut[1]]);
      else if (cut.length === 4) {
        const centreNeg = (c[0] + c[1] + c[2] + c[3]) / 4 < 0;
        // the centre joins corners 0 and 2 when it has their sign: then corners 1 and 3 are cut off, else 0 and 2
        if (centreNeg === neg[0]) segs.push([cut[0], cut[1]], [cut[2], cut[3]]);
        else segs.push([cut[3], cut[0]], [cut[1], cut[2]]);
      }
    }
  }
  // a crossing exactly on a grid node (a corner exactly 0) is that node, whichever edge found it: chains join
  // there, and a segment drawn by the cells on both sides of a zero row is kept once
  const vertex = (id: number): number => {
    const node = id >> 1, ix = node % nx, iy = (node - ix) / nx, horizontal = (id & 1) === 0;
    const a = v(ix, iy), b = horizontal ? v(ix + 1, iy) : v(ix, iy + 1);
    return a === 0 ? -1 - node : b === 0 ? -1 - (horizontal ? node + 1 : node + nx) : id;
  };
  const seen = new Set<string>(), live: [number, number][] = [], where = new Map<number, number>();
  for (const [ea, eb] of segs) {
    const a = vertex(ea), b = vertex(eb);
    if (a === b) continue;   // zero length: a lone zero corner
    const k = a < b ? `${a},${b}` : `${b},${a}`;
    if (seen.has(k)) continue;
    seen.add(k); live.push([a, b]); where.set(a, ea); where.set(b, eb);
  }
  const at = new Map<number, number[]>();
  live.forEach(([a, b], i) => { for (const e of [a, b]) { const l = at.get(e); if (l) l.push(i); else at.set(e, [i]); } });
  const used = new Uint8Array(live.length), lines: Polyline[] = [];
  for (let i = 0; i < live.length; i++) {
    if (used[i]) continue;
    used[i] = 1;
    const chain = [live[i][0], live[i][1]];
    for (const forward of [true, false]) {
      for (;;) {
        const tip = forward ? chain[chain.length - 1] : chain[0];
        const next = (at.get(tip) ?? []).find(j => !used[j]);
        if (next === undefined) break;
        used[next] = 1;
        const other = live[next][0] === tip ? live[next][1] : live[next][0];
        if (forward) chain.push(other); else chain.unshift(other);
      }
    }
    lines.push(chain.map(e => crossing(where.get(e)!)));
  }
  return lines;
}

/** Polylines as one pair of coordinate arrays with a NaN between lines (heatmap `lines` break there), each coordinate divided by `scale`. */
export function joinPolylines(lines: Polyline[], scale = 1): { x: Float64Array; y: Float64Array } {
  const n = lines.reduce((k, l) => k + l.length, 0) + Math.max(0, lines.length - 1);
  const x = new Float64Array(n), y = new Float64Array(n);
  let k = 0;
  lines.forEach((l, j) => {
    if (j > 0) { x[k] = NaN; y[k] = NaN; k++; }
    for (const [a, b] of l) { x[k] = a / scale; y[k] = b / scale; k++; }
  });
  return { x, y };
}

/** The zero contour of `values` as heatmap `lines` coordinates (zeroContour, then joinPolylines). */
export function zeroLine(x: ArrayLike<number>, y: ArrayLike<number>, values: ArrayLike<number>, opts: ZeroContourOptions & { scale?: number } = {}): { x: Float64Array; y: Float64Array } {
  return joinPolylines(zeroContour(x, y, values, opts), opts.scale);
}
