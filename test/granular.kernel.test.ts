// The granular exchange kernel: WGSL (float32) against its float64 twin on the same fixed rule, exact zeros,
// the loop budget of software adapters, and the host rows.
import { describe, expect, it } from 'vitest';
import { webgpuBackend } from './gpu.ts';
import { granular, type GranularParams } from '../src/models/granular/params.ts';
import { granularExchangeKernel, pairGross, pairTerms, RULES, PAIR_COUNT } from '../src/kernels/granular/index.ts';
import { granularPairsCpu } from '../src/kernels/granular/cpu.ts';
import { buildRows, loopIterationsPerInvocation, maxRowsPerPoint, pointOmegaTerms } from '../src/kernels/granular/rows.ts';
import { granularShader, LOOP_BUDGET } from '../src/kernels/granular/webgpu.ts';
import { granularBands } from '../src/models/granular/params.ts';
import { TERM_FIELDS } from '../src/models/granular/terms.ts';
import { WORKGROUP } from '../src/backends/shaders.ts';

/** Points that exercise every branch: both bands, half-metal, J_sd = U, J_sd > U, J_sd < 0, J_sd → 0, small grains, wide gap. */
const POINTS: Partial<GranularParams>[] = [
  { Jsd: 2000, hB: 500 }, { Jsd: 3800, hB: 200 }, { Jsd: 4500, hB: 1200, a: 1 }, { Jsd: 5000, hB: 500 }, { Jsd: 5600, hB: 300 },
  { Jsd: -4200, hB: 400 }, { Jsd: 30, hB: 500 }, { Jsd: 0, hB: 700 }, { Jsd: 4000, hB: 300, d: 2.5, eps: 20, epsEff: 10 },
];

describe('granular exchange kernel: webgpu vs float64 twin', () => {
  it('every term within 2e-6 of its Σ|pieces| (coarse and standard rules); J_sd = 0 exactly zero', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const params = POINTS.map(p => granular(p));
    for (const rule of [RULES.coarse, RULES.standard]) {
      const g = await gpu.run(granularExchangeKernel, params, rule);
      const c = granularPairsCpu(params, rule);
      let worst = 0;
      params.forEach((p, i) => {
        const a = pairTerms(p, g, i), b = pairTerms(p, c, i), gr = pairGross(p, c, i);
        const total = Object.values(gr).reduce((x, y) => x + y, 0);
        for (const t of ['hv', 'hp', 'heps', 'lloc', 'lec', 'iex'] as const) {
          if (gr[t] > 0) worst = Math.max(worst, Math.abs(a[t] - b[t]) / gr[t]);
          else expect(a[t]).toBe(0);
        }
        if (total > 0) worst = Math.max(worst, Math.abs(a.total - b.total) / total);
        if (p.Jsd === 0) for (const f of TERM_FIELDS) expect(a[f]).toBe(0);
      });
      expect(worst).toBeLessThan(2e-6);
      // the raw band-pair integrals themselves (each a sum of positive terms): float32 relative accuracy
      let worstPair = 0;
      for (let k = 0; k < params.length * PAIR_COUNT; k++) if (c[k] !== 0) worstPair = Math.max(worstPair, Math.abs(g[k] / c[k] - 1));
      expect(worstPair).toBeLessThan(2e-5);
    }
  });

  it('a sweep split over several dispatches gives the same numbers as one', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const params = POINTS.slice(0, 4).map(p => granular(p));
    const all = await gpu.run(granularExchangeKernel, params, RULES.coarse);
    for (let i = 0; i < params.length; i++) {
      const one = await gpu.run(granularExchangeKernel, [params[i]], RULES.coarse);
      for (let k = 0; k < PAIR_COUNT; k++) expect(one[k]).toBe(all[i * PAIR_COUNT + k]);
    }
  });
});

describe('granular kernel host', () => {
  it('stays inside the loop budget of software adapters for every allowed gap and rule', () => {
    for (const rule of [RULES.coarse, RULES.standard, RULES.refined]) {
      for (const p of [{ d: 5, U: 50_000, Jsd: 0, hB: 100 }, { d: 5, Jsd: 4000 }, { d: 0.1 }]) {
        const B = granularBands(granular(p));
        expect(loopIterationsPerInvocation(rule, pointOmegaTerms(B, rule), WORKGROUP)).toBeLessThan(LOOP_BUDGET);
      }
    }
  });

  it('rows per point stay within maxRowsPerPoint (batch sizing) and carry positive weights', () => {
    for (const rule of [RULES.coarse, RULES.standard]) {
      for (const p of POINTS) {
        const rows = buildRows([granular(p)], rule);
        expect(rows.count).toBeLessThanOrEqual(maxRowsPerPoint(rule));
        for (let r = 0; r < rows.count; r++) expect(rows.f[r * 9 + 3]).toBeGreaterThan(0);
      }
    }
  });

  it('injects every node table from TypeScript (no hand-copied numbers in the WGSL file)', async () => {
    const code = await granularShader(RULES.standard);
    for (const name of ['LU', 'LW', 'GU', 'GC', 'GW', 'QLU', 'QLW', 'QS', 'QC', 'QW', 'ACOS_C', 'SEG_C']) expect(code).toMatch(new RegExp(`const ${name} = array<f32, \\d+>`));
    expect(code).toMatch(/const INNER_N: u32 = 30u;/);
  });
});
