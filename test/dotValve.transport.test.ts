// Quantum-dot spin valve transport (seed 004), float64: the kinetic equations against independent golden-rule
// constructions, the note's oracles (shared/notes/seed004-dot-valve.md §2–§9), limits and symmetries.
import { describe, expect, it } from 'vitest';
import { dotValve, type DotValveParams } from '../src/models/dotValve/params.ts';
import {
  assemble, cotunnellingIntegrals, dotValveState, hFamily, leadCurrents, pointScalars, SCALARS, PAIRS, steadyState,
} from '../src/models/dotValve/transport.ts';
import { blockadeMargin, blockadeOracle, blockadeTorqueSign, exchangeFields, resonanceVoltages } from '../src/models/dotValve/resonance.ts';
import { llgTorqueTable } from '../src/models/dotValve/torqueTable.ts';
import { nodeAngle, tableNodes } from '../src/llg/torqueTable.ts';
import { drainLlgSpin, coreAmplitudes } from '../src/models/dotValve/llg.ts';
import { integrate } from '../src/numerics/quadrature.ts';

const U = 1000;
const at = (eps: number, V: number, over: Partial<DotValveParams> = {}) => dotValve({ eps: eps * U, V: V * U, ...over });
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

// ---- small complex matrix helpers for the golden-rule constructions ------------------------------------------
type M = { re: Float64Array; im: Float64Array; n: number };
const mat = (n: number): M => ({ re: new Float64Array(n * n), im: new Float64Array(n * n), n });
function mul(a: M, b: M): M {
  const n = a.n, c = mat(n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    const ar = a.re[i * n + k], ai = a.im[i * n + k];
    if (ar === 0 && ai === 0) continue;
    for (let j = 0; j < n; j++) { c.re[i * n + j] += ar * b.re[k * n + j] - ai * b.im[k * n + j]; c.im[i * n + j] += ar * b.im[k * n + j] + ai * b.re[k * n + j]; }
  }
  return c;
}
const dag = (a: M): M => { const n = a.n, c = mat(n); for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { c.re[j * n + i] = a.re[i * n + j]; c.im[j * n + i] = -a.im[i * n + j]; } return c; };
const add = (a: M, b: M, s = 1): M => { const c = mat(a.n); for (let k = 0; k < a.re.length; k++) { c.re[k] = a.re[k] + s * b.re[k]; c.im[k] = a.im[k] + s * b.im[k]; } return c; };
const scale = (a: M, s: number): M => { const c = mat(a.n); for (let k = 0; k < a.re.length; k++) { c.re[k] = s * a.re[k]; c.im[k] = s * a.im[k]; } return c; };
const kron = (a: M, b: M): M => { const n = a.n * b.n, c = mat(n); for (let i = 0; i < a.n; i++) for (let j = 0; j < a.n; j++) for (let k = 0; k < b.n; k++) for (let l = 0; l < b.n; l++) { const r = (i * b.n + k) * n + j * b.n + l; c.re[r] = a.re[i * a.n + j] * b.re[k * b.n + l] - a.im[i * a.n + j] * b.im[k * b.n + l]; c.im[r] = a.re[i * a.n + j] * b.im[k * b.n + l] + a.im[i * a.n + j] * b.re[k * b.n + l]; } return c; };
const trace = (a: M): number => { let s = 0; for (let i = 0; i < a.n; i++) s += a.re[i * a.n + i]; return s; };
const eye = (n: number): M => { const c = mat(n); for (let i = 0; i < n; i++) c.re[i * n + i] = 1; return c; };
function pauli(k: number): M {
  const s = mat(2);
  if (k === 0) { s.re[1] = 1; s.re[2] = 1; } else if (k === 1) { s.im[1] = -1; s.im[2] = 1; } else { s.re[0] = 1; s.re[3] = -1; }
  return s;
}
/** Partial trace over the first (electron) factor of a 4×4 operator on e ⊗ dot. */
function traceE(x: M): M {
  const c = mat(2);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let a = 0; a < 2; a++) { c.re[i * 2 + j] += x.re[(a * 2 + i) * 4 + a * 2 + j]; c.im[i * 2 + j] += x.im[(a * 2 + i) * 4 + a * 2 + j]; }
  return c;
}
const spinOp = (p: number, n: number[]): M => add(eye(2), add(add(scale(pauli(0), p * n[0]), scale(pauli(1), p * n[1])), scale(pauli(2), p * n[2])));
const rho1 = (P1: number, S: number[]): M => add(scale(eye(2), P1 / 2), add(add(scale(pauli(0), S[0]), scale(pauli(1), S[1])), scale(pauli(2), S[2])));

/** Seeded uniform numbers (mulberry32), so the random constructions are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
const unitVec = (r: () => number) => { const v = [r() - 0.5, r() - 0.5, r() - 0.5], n = Math.hypot(...v); return v.map(x => x / n); };

describe('kinetic equations against golden-rule constructions', () => {
  it('first order (no exchange field) equals the Lindblad golden rule on the 4-state Fock space, with lead DOS matrices π_r = 1 + p_r n_r·σ', () => {
    const r = rng(7);
    // Fock basis |0⟩, |↑⟩ = d↑†|0⟩, |↓⟩ = d↓†|0⟩, |2⟩ = d↑†d↓†|0⟩; d_σ† split into its 0→1 and 1→2 parts (energies E1, E2)
    const a01 = [mat(4), mat(4)], a12 = [mat(4), mat(4)];
    a01[0].re[1 * 4 + 0] = 1; a01[1].re[2 * 4 + 0] = 1; // d↑†|0⟩ = |↑⟩, d↓†|0⟩ = |↓⟩
    a12[0].re[3 * 4 + 2] = 1; a12[1].re[3 * 4 + 1] = -1; // d↑†|↓⟩ = |2⟩, d↓†|↑⟩ = −|2⟩
    for (let trial = 0; trial < 4; trial++) {
      const p = dotValve({ eps: 300 * (r() - 0.5), V: 400 * (r() - 0.5), T: 40, pS: r(), pD: r(), order: 'sequential' });
      const nD = unitVec(r), n = [[0, 0, 1], nD];
      const sc = pointScalars(p);
      sc[SCALARS.offsets.exch] = 0; sc[SCALARS.offsets.exch + 1] = 0;
      const P0 = 0.2 * r(), P2 = 0.2 * r(), P1 = 1 - P0 - P2, S = unitVec(r).map(x => x * 0.45 * P1);
      // density matrix in the Fock basis
      const rho = mat(4);
      rho.re[0] = P0; rho.re[15] = P2;
      const r1 = rho1(P1, S);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) { rho.re[(1 + i) * 4 + 1 + j] = r1.re[i * 2 + j]; rho.im[(1 + i) * 4 + 1 + j] = r1.im[i * 2 + j]; }
      const D = mat(4);
      const gam = [p.gammaS, p.gammaD], pol = [p.pS, p.pD];
      for (let l = 0; l < 2; l++) {
        const pi = spinOp(pol[l], n[l]), o = SCALARS.offsets.fermi + 4 * l;
        const F = { in01: sc[o], out01: sc[o + 1], in12: sc[o + 2], out12: sc[o + 3] };
        for (const [A, fin, fout] of [[a01, F.in01, F.out01], [a12, F.in12, F.out12]] as const) {
          for (let al = 0; al < 2; al++) for (let be = 0; be < 2; be++) {
            const w: [number, number] = [pi.re[al * 2 + be], pi.im[al * 2 + be]];
            // in: Γ f⁺ π_αβ (A_α ρ A_β† − ½{A_β† A_α, ρ});  out: Γ f⁻ π_βα (A_α† ρ A_β − ½{A_β A_α†, ρ})
            const jumpIn = add(mul(mul(A[al], rho), dag(A[be])), scale(add(mul(mul(dag(A[be]), A[al]), rho), mul(rho, mul(dag(A[be]), A[al]))), 0.5), -1);
            const jumpOut = add(mul(mul(dag(A[al]), rho), A[be]), scale(add(mul(mul(A[be], dag(A[al])), rho), mul(rho, mul(A[be], dag(A[al])))), 0.5), -1);
            const cin = { re: gam[l] * fin * w[0], im: gam[l] * fin * w[1] }, cout = { re: gam[l] * fout * w[0], im: -gam[l] * fout * w[1] };
            for (let k = 0; k < 16; k++) {
              D.re[k] += cin.re * jumpIn.re[k] - cin.im * jumpIn.im[k] + cout.re * jumpOut.re[k] - cout.im * jumpOut.im[k];
              D.im[k] += cin.re * jumpIn.im[k] + cin.im * jumpIn.re[k] + cout.re * jumpOut.im[k] + cout.im * jumpOut.re[k];
            }
          }
        }
      }
      const W = new Float64Array(36);
      assemble(p, sc, { nS: n[0], nD }, W, false);
      const y = [P0, P1, P2, ...S], dy = Array.from({ length: 6 }, (_, i) => y.reduce((s, v, j) => s + W[i * 6 + j] * v, 0));
      const blk = mat(2);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) { blk.re[i * 2 + j] = D.re[(1 + i) * 4 + 1 + j]; blk.im[i * 2 + j] = D.im[(1 + i) * 4 + 1 + j]; }
      expect(Math.abs(dy[0] - D.re[0])).toBeLessThan(1e-14);
      expect(Math.abs(dy[2] - D.re[15])).toBeLessThan(1e-14);
      // the model's P1 row is the normalisation: dP1 = −dP0 − dP2
      expect(Math.abs(-dy[0] - dy[2] - trace(blk))).toBeLessThan(1e-14);
      for (let c = 0; c < 3; c++) expect(Math.abs(dy[3 + c] - 0.5 * trace(mul(blk, pauli(c))))).toBeLessThan(1e-14);
    }
  });

  it('cotunnelling dissipator and spin/particle currents equal the 4×4 golden-rule forms with M = j P_swap + k (note §3.2–§3.4)', () => {
    const r = rng(11);
    const Pswap = scale(add(eye(4), add(add(kron(pauli(0), pauli(0)), kron(pauli(1), pauli(1))), kron(pauli(2), pauli(2)))), 0.5);
    for (let trial = 0; trial < 6; trial++) {
      const j = r() - 0.5, k = r() - 0.5, pr = r(), pq = r(), nr = unitVec(r), nq = unitVec(r);
      const P1 = 0.3 + 0.7 * r(), S = unitVec(r).map(x => x * 0.4 * P1);
      const Mx = add(scale(Pswap, j), scale(eye(4), k));
      const pir = spinOp(pr, nr), piq = spinOp(pq, nq), rh = rho1(P1, S);
      const X = mul(mul(Mx, kron(piq, rh)), dag(Mx));
      const gain = traceE(mul(kron(pir, eye(2)), X));
      const Lam = traceE(mul(mul(mul(dag(Mx), kron(pir, eye(2))), Mx), kron(piq, eye(2))));
      const Dm = add(gain, scale(add(mul(Lam, rh), mul(rh, Lam)), 0.5), -1);
      // the model, for one ordered pair with w·J = j², w·C = jk, w·K = k² (pair index 1 = S ← D: r = S, q = D)
      const p = dotValve({ pS: pr, pD: pq, order: 'cotunnelling' });
      const sc = new Float64Array(SCALARS.stride);
      sc[SCALARS.offsets.cot + 3] = j * j; sc[SCALARS.offsets.cot + 4] = j * k; sc[SCALARS.offsets.cot + 5] = k * k;
      const W = new Float64Array(36);
      assemble(p, sc, { nS: nr, nD: nq, B: [0, 0, 0] }, W, false);
      const y = [0, P1, 0, ...S];
      for (let c = 0; c < 3; c++) {
        const model = y.reduce((s, v, jj) => s + W[(3 + c) * 6 + jj] * v, 0);
        expect(Math.abs(model - 0.5 * trace(mul(Dm, pauli(c))))).toBeLessThan(1e-14);
      }
      expect(Math.abs(trace(Dm))).toBeLessThan(1e-14); // dP1 = 0
      const cur = leadCurrents(p, sc, { nS: nr, nD: nq }, y);
      for (let c = 0; c < 3; c++) {
        const s2 = scale(pauli(c), 0.5);
        const into = trace(mul(kron(scale(add(mul(pir, s2), mul(s2, pir)), 0.5), eye(2)), X));
        const out = trace(mul(mul(mul(kron(pir, eye(2)), Mx), kron(scale(add(mul(piq, s2), mul(s2, piq)), 0.5), rh)), dag(Mx)));
        expect(Math.abs(cur.I[0][c] - into)).toBeLessThan(1e-14);
        expect(Math.abs(cur.I[1][c] + out)).toBeLessThan(1e-14);
      }
      const part = trace(mul(kron(pir, eye(2)), X));
      expect(Math.abs(cur.J[0] - part)).toBeLessThan(1e-14);
      expect(Math.abs(cur.J[1] + part)).toBeLessThan(1e-14);
    }
  });
});

describe('energy integrals and exchange field (note §2.2, §3.5, §5)', () => {
  it('h(y) reference values at T = 10', () => {
    expect(hFamily(10, 10, 0)[0]).toBeCloseTo(-1.769105768663187, 13);
    expect(hFamily(-250, 10, 0)[0]).toBeCloseTo(1.378336726957976, 13);
    expect(hFamily(500, 10, 0)[0]).toBeCloseTo(2.073486131686114, 13);
  });

  it('b_S, b_D at (0.2U, 0.1U) and the cotunnelling integrals of the note', () => {
    const { bS, bD } = exchangeFields(at(0.2, 0.1));
    expect(bS).toBeCloseTo(0.1302524, 7);
    expect(bD).toBeCloseTo(0.4625984, 7);
    // U = 1000, T = 10, E1 = −300: μ_in = 50 (source), μ_out = −50 (drain): pair D ← S
    const c1 = cotunnellingIntegrals(dotValve({ eps: 200, V: 100 }), 1, 0);
    expect(rel(c1.Iaa, 1.1566940e-3)).toBeLessThan(1e-7);
    expect(rel(c1.Iak, -4.8100362e-4)).toBeLessThan(1e-7);
    expect(rel(c1.Ikk, 2.0555769e-4)).toBeLessThan(1e-7);
    const c0 = cotunnellingIntegrals(dotValve({ eps: 200, V: 0 }), 0, 0);
    expect(rel(c0.Iaa, 1.1236241e-4)).toBeLessThan(1e-7);
    expect(rel(c0.Iak, -4.7752453e-5)).toBeLessThan(1e-7);
    expect(rel(c0.Ikk, 2.0449464e-5)).toBeLessThan(1e-7);
  });

  it('closed forms equal direct quadrature of ∫ f_q⁺ f_r⁻ × {a², ak, k²} where the poles lie far outside the thermal window', () => {
    // U = 2000: the poles E1,2 = ε̃ ∓ 1000 are ≥ 40T from the window, whose tails beyond 25T (e^{−25}) are dropped
    for (const [eps, V] of [[200, 100], [-150, -60], [0, 30], [100, 0], [50, 0.2]]) {
      const p = dotValve({ eps, V, U: 2000 });
      const E1 = eps - p.U / 2, E2 = eps + p.U / 2, mu = [V / 2, -V / 2];
      for (const [r, q] of PAIRS) {
        const F = (w: number) => (1 / (1 + Math.exp((w - mu[q]) / p.T))) * (1 / (1 + Math.exp(-(w - mu[r]) / p.T)));
        const lo = Math.min(...mu) - 25 * p.T, hi = Math.max(...mu) + 25 * p.T;
        expect(lo - E1 >= 40 * p.T && E2 - hi >= 40 * p.T).toBe(true);
        const opt = { absTol: 1e-18, relTol: 1e-12 };
        const Iaa = integrate(w => F(w) / (w - E1) ** 2, lo, hi, opt).value;
        const Ikk = integrate(w => F(w) / (w - E2) ** 2, lo, hi, opt).value;
        const Iak = integrate(w => F(w) / ((w - E1) * (w - E2)), lo, hi, opt).value;
        const c = cotunnellingIntegrals(p, r, q);
        expect(rel(c.Iaa, Iaa), `Iaa ${eps},${V},${r}${q}`).toBeLessThan(1e-9);
        expect(rel(c.Ikk, Ikk)).toBeLessThan(1e-9);
        expect(rel(c.Iak, Iak)).toBeLessThan(1e-9);
      }
    }
  });

  it('the equal-μ (midpoint) branch is continuous with the difference form across |μ_r − μ_q| = 0.05 T, and the T → 0 limits hold', () => {
    const T = 10;
    // V = 0.05T exactly takes the difference form, V = 0.05T(1 − 1e-6) the midpoint form: a jump between the
    // branches would show in the second difference (the smooth V dependence contributes ~I″ΔV² ≈ 1e-20)
    const I = (f: number) => cotunnellingIntegrals(dotValve({ eps: 120, V: f * 0.05 * T }), 1, 0);
    const lo = I(1 - 1e-6), mid = I(1), hi = I(1 + 1e-6);
    for (const k of ['Iaa', 'Iak', 'Ikk'] as const) expect(Math.abs(lo[k] - 2 * mid[k] + hi[k]), k).toBeLessThan(1e-12 * Math.abs(mid[k]));
    // T → 0, μ_q > μ_r (note §3.5): I_aa = 1/(μ_r − E1) − 1/(μ_q − E1), …  (O(T²) corrections)
    const p = dotValve({ eps: 200, V: 100, T: 0.05 }), E1 = -300, E2 = 700, mr = -50, mq = 50;
    const c = cotunnellingIntegrals(p, 1, 0);
    expect(rel(c.Iaa, 1 / (mr - E1) - 1 / (mq - E1))).toBeLessThan(1e-5);
    expect(rel(c.Ikk, 1 / (E2 - mq) - 1 / (E2 - mr))).toBeLessThan(1e-5);
    expect(rel(c.Iak, Math.log(((E2 - mq) * (mr - E1)) / ((E2 - mr) * (mq - E1))) / 1000)).toBeLessThan(1e-5);
  });

  it('b_r vanishes on ε̃ = μ_r and has the sign of ε̃ − μ_r', () => {
    for (const V of [-300, 120]) {
      expect(Math.abs(exchangeFields(dotValve({ eps: V / 2, V })).bS)).toBeLessThan(1e-15);
      expect(Math.abs(exchangeFields(dotValve({ eps: -V / 2, V })).bD)).toBeLessThan(1e-15);
      for (const eps of [-400, -37, 12, 333]) {
        const { bS, bD } = exchangeFields(dotValve({ eps, V }));
        expect(Math.sign(bS)).toBe(Math.sign(eps - V / 2));
        expect(Math.sign(bD)).toBe(Math.sign(eps + V / 2));
      }
    }
  });
});

describe('steady states against the note\'s reference table (§9)', () => {
  const cases: { e: number; v: number; t: number; order: 'cotunnelling' | 'sequential'; P: [number, number, number]; S: [number, number, number]; FL: number; DL: number; J: number }[] = [
    { e: 0.2, v: 0.1, t: 0.5, order: 'cotunnelling', P: [8.8e-13, 1, 0], S: [-0.4088776, 5.065424e-4, -0.1151254], FL: -5.325716e-2, DL: -9.488084e-5, J: 1.906522e-4 },
    { e: -0.3, v: 0.175, t: 0.99, order: 'cotunnelling', P: [0, 0.9999999, 8.19e-8], S: [0.1058746, -5.262576e-3, 0.4859600], FL: -1.472630, DL: -6.594463e-2, J: 8.491835e-5 },
    { e: 0.25, v: -0.15, t: 0.9, order: 'cotunnelling', P: [3.73e-9, 1, 0], S: [-0.1506305, -1.189091e-2, -0.05456269], FL: -0.1593699, DL: 1.194274e-2, J: -1.177677e-3 },
    { e: 0, v: 0.1, t: 0.5, order: 'cotunnelling', P: [0, 1, 0], S: [-0.4022512, 3.016886e-4, 0.2011277], FL: 1.698093e-2, DL: -3.377925e-5, J: 7.027590e-5 },
    { e: 0.45, v: 0.3, t: 0.2, order: 'cotunnelling', P: [0.1385731, 0.8614269, 0], S: [-0.2128797, 0.04513633, -0.2965829], FL: -0.1057438, DL: -7.306036e-2, J: 0.1843110 },
    { e: 0.45, v: 0.3, t: 0.2, order: 'sequential', P: [0.1383119, 0.8616881, 0], S: [-0.2130577, 0.04509207, -0.2967797], FL: -0.1058663, DL: -7.315919e-2, J: 0.1844159 },
  ];
  for (const c of cases) {
    it(`(${c.e}U, ${c.v}U, ${c.t}π) ${c.order}`, () => {
      const s = dotValveState(at(c.e, c.v, { order: c.order }), c.t * Math.PI);
      const close = (a: number, b: number, what: string) => expect(Math.abs(a - b), what).toBeLessThanOrEqual(5.1e-7 * Math.abs(b) + 1e-12);
      close(s.S[0], c.S[0], 'Sx'); close(s.S[1], c.S[1], 'Sy'); close(s.S[2], c.S[2], 'Sz');
      close(s.tauFL, c.FL, 'I_FL'); close(s.tauDL, c.DL, 'I_DL'); close(s.current, c.J, 'J_D');
      expect(Math.abs(s.P1 - c.P[1])).toBeLessThan(1e-7);
      if (c.P[0] > 1e-10) expect(rel(s.P0, c.P[0])).toBeLessThan(c.P[0] < 1e-6 ? 1e-2 : 1e-6);
      if (c.P[2] > 1e-10) expect(rel(s.P2, c.P[2])).toBeLessThan(1e-2);
    });
  }

  it('Fig. 4 inset point (U/4, −0.15U): I_FL = −0.16, −1.60, −2.59 at θ = 0.9π, 0.98π, →π (note §2.3)', () => {
    const p = at(0.25, -0.15);
    expect(dotValveState(p, 0.9 * Math.PI).tauFL).toBeCloseTo(-0.16, 2);
    expect(dotValveState(p, 0.98 * Math.PI).tauFL).toBeCloseTo(-1.60, 2);
    expect(dotValveState(p, Math.PI).tauFL).toBeCloseTo(-2.59, 2);
  });

  it('first order alone at (0, 0.1U, π/2) is a well-posed solve (the note\'s table lists S = 0 there; the exact first-order balance gives S ≈ −0.367 B̂)', () => {
    // independent 60-digit solve of the same first-order equations (mpmath): S = (−0.32833656, 1.4769e-21, 0.16416828)
    const s = dotValveState(at(0, 0.1, { order: 'sequential' }), Math.PI / 2);
    expect(rel(s.S[0], -0.32833656)).toBeLessThan(1e-7);
    expect(rel(s.S[2], 0.16416828)).toBeLessThan(1e-7);
  });
});

describe('limits, symmetries, conservation', () => {
  const grid: [number, number][] = [];
  for (const e of [-0.45, -0.3, -0.1, 0.05, 0.2, 0.35, 0.6]) for (const v of [-0.8, -0.25, -0.05, 0.1, 0.3, 0.9]) grid.push([e, v]);
  const angles = [0.05, 0.3, 0.5, 0.77, 0.95].map(x => x * Math.PI);

  it('p → 0 removes every torque, the exchange field and the dot spin', () => {
    for (const [e, v] of grid.slice(0, 20)) {
      const p = at(e, v, { pS: 0, pD: 0 });
      const { bS, bD } = exchangeFields(p);
      expect(Math.abs(bS) + Math.abs(bD)).toBe(0);
      for (const t of angles) {
        const s = dotValveState(p, t);
        expect(Math.abs(s.tauFL) + Math.abs(s.tauDL) + Math.hypot(...s.torque) + Math.hypot(...s.S)).toBeLessThan(1e-15);
      }
      // and the torque vanishes continuously: first order I_DL ∝ p, I_FL ∝ p² (note §9.1) — check the scaling outside the diamond
    }
    const out = at(0.45, 0.3, { order: 'sequential' });
    const s1 = dotValveState({ ...out, pS: 1e-3, pD: 1e-3 }, 0.4 * Math.PI), s2 = dotValveState({ ...out, pS: 2e-3, pD: 2e-3 }, 0.4 * Math.PI);
    expect(s2.tauDL / s1.tauDL).toBeCloseTo(2, 2);
    expect(s2.tauFL / s1.tauFL).toBeCloseTo(4, 2);
  });

  it('θ = 0 and θ = π: zero torque vector, S ∥ e_z, and I_FL, I_DL equal the θ → 0, π limits of Eq. 2', () => {
    for (const [e, v] of grid) {
      const p = at(e, v), sc = pointScalars(p);
      for (const [t0, sgn] of [[0, 1], [Math.PI, -1]] as const) {
        const s = dotValveState(p, t0, sc);
        const scaleI = Math.hypot(...s.spinCurrentD) + 1e-300;
        expect(Math.hypot(...s.torque)).toBeLessThanOrEqual(1e-15 * scaleI);
        expect(Math.hypot(s.S[0], s.S[1])).toBeLessThanOrEqual(1e-15);
        // small-angle values approach the limits as θ² (Richardson of two small angles)
        const d = 2e-4, a1 = dotValveState(p, t0 + sgn * d, sc), a2 = dotValveState(p, t0 + sgn * 2 * d, sc);
        const fl = (4 * a1.tauFL - a2.tauFL) / 3, dl = (4 * a1.tauDL - a2.tauDL) / 3;
        const m = Math.max(Math.abs(s.tauFL), Math.abs(s.tauDL));
        expect(Math.abs(fl - s.tauFL), `I_FL ${e},${v},${t0}`).toBeLessThan(1e-6 * m + 1e-13);
        expect(Math.abs(dl - s.tauDL), `I_DL ${e},${v},${t0}`).toBeLessThan(1e-6 * m + 1e-13);
      }
    }
  });

  it('V = 0: zero currents and torques, S = 0, and detailed balance P1/(2P0) = e^{−E1/T}, 2P2/P1 = e^{−E2/T}', () => {
    for (const eps of [-600, -480, -250, 0, 130, 470, 550]) {
      for (const order of ['sequential', 'cotunnelling'] as const) {
        const p = dotValve({ eps, V: 0, order });
        for (const t of angles) {
          const s = dotValveState(p, t);
          expect(Math.abs(s.current)).toBeLessThan(1e-15);
          expect(Math.hypot(...s.torque)).toBeLessThan(1e-15);
          expect(Math.hypot(...s.S)).toBeLessThan(1e-14);
          const E1 = eps - p.U / 2, E2 = eps + p.U / 2;
          if (s.P0 > 1e-250 && s.P1 > 1e-250) expect(rel(s.P1 / (2 * s.P0), Math.exp(-E1 / p.T))).toBeLessThan(1e-9);
          if (s.P2 > 1e-250 && s.P1 > 1e-250) expect(rel((2 * s.P2) / s.P1, Math.exp(-E2 / p.T))).toBeLessThan(1e-9);
        }
      }
    }
  });

  it('conservation: J_S + J_D = 0 and I_S,S + I_S,D = 0 (first order + cotunnelling)', () => {
    for (const [e, v] of grid) for (const t of angles) {
      const p = at(e, v), sc = pointScalars(p), nD = [Math.sin(t), 0, Math.cos(t)];
      const y = steadyState(p, sc, nD);
      const c = leadCurrents(p, sc, { nS: [0, 0, 1], nD }, y);
      const sj = Math.abs(c.J[0]) + Math.abs(c.J[1]), si = Math.hypot(...c.I[0]) + Math.hypot(...c.I[1]);
      expect(Math.abs(c.J[0] + c.J[1])).toBeLessThanOrEqual(1e-13 * sj + 1e-300);
      for (let k = 0; k < 3; k++) expect(Math.abs(c.I[0][k] + c.I[1][k])).toBeLessThanOrEqual(1e-12 * si + 1e-300);
    }
  });

  it('particle–hole symmetry (ε̃, V) → (−ε̃, −V): I_FL even, I_DL and J_D odd, P0 ↔ P2, S → (−Sx, Sy, −Sz)', () => {
    for (const [e, v] of grid) for (const t of angles) {
      const a = dotValveState(at(e, v), t), b = dotValveState(at(-e, -v), t);
      const m = Math.max(Math.abs(a.tauFL), Math.abs(a.tauDL), 1e-12);
      expect(Math.abs(a.tauFL - b.tauFL)).toBeLessThan(1e-9 * m);
      expect(Math.abs(a.tauDL + b.tauDL)).toBeLessThan(1e-9 * m);
      expect(Math.abs(a.current + b.current)).toBeLessThan(1e-9 * Math.abs(a.current) + 1e-15);
      expect(Math.abs(a.P0 - b.P2)).toBeLessThan(1e-9 * Math.max(a.P0, 1e-300) + 1e-15);
      expect(Math.abs(a.S[0] + b.S[0]) + Math.abs(a.S[1] - b.S[1]) + Math.abs(a.S[2] + b.S[2])).toBeLessThan(1e-9);
    }
  });

  it('physicality: P_i ∈ [0, 1], |S| ≤ P1/2 over the plane (29 × 41 × 3 points)', () => {
    for (let i = 0; i < 29; i++) for (let j = 0; j < 41; j++) {
      const p = at(-0.7 + (1.4 * i) / 28, -1 + (2 * j) / 40), sc = pointScalars(p);
      for (const t of [0.01, 0.5, 0.99]) {
        const s = dotValveState(p, t * Math.PI, sc);
        for (const P of [s.P0, s.P1, s.P2]) { expect(P).toBeGreaterThanOrEqual(-1e-12); expect(P).toBeLessThanOrEqual(1 + 1e-12); }
        expect(Math.hypot(...s.S)).toBeLessThanOrEqual(s.P1 / 2 + 1e-12);
      }
    }
  });

  it('source ↔ drain relabelling (Γ, p, μ swapped) exchanges I_S,S and I_S,D, rotated by R = R_z(π) R_y(−θ)', () => {
    const p = dotValve({ eps: 150, V: 220, gammaS: 0.5, gammaD: 1.5, pS: 0.9, pD: 0.6 });
    const q = dotValve({ eps: 150, V: -220, gammaS: 1.5, gammaD: 0.5, pS: 0.6, pD: 0.9 });
    for (const t of [0.21, 0.37, 0.8].map(x => x * Math.PI)) {
      const a = dotValveState(p, t), b = dotValveState(q, t);
      // R maps the old drain n_D → e_z (the new source) and the old source e_z → n_D (the new drain)
      const R = (v: number[]) => [-(v[0] * Math.cos(t) - v[2] * Math.sin(t)), -v[1], v[0] * Math.sin(t) + v[2] * Math.cos(t)];
      const ra = R(a.spinCurrentD), rb = R(a.spinCurrentS), rs = R(a.S);
      const sc = Math.hypot(...a.spinCurrentD) + Math.hypot(...a.spinCurrentS);
      for (let k = 0; k < 3; k++) {
        expect(Math.abs(b.spinCurrentS[k] - ra[k])).toBeLessThan(1e-11 * sc);
        expect(Math.abs(b.spinCurrentD[k] - rb[k])).toBeLessThan(1e-11 * sc);
        expect(Math.abs(b.S[k] - rs[k])).toBeLessThan(1e-11);
      }
      expect(rel(b.current, -a.current)).toBeLessThan(1e-10);
    }
  });
});

describe('Coulomb blockade: cotunnelling oracle, sign rule, first order recovered outside', () => {
  it('the leading-order blockade solution (note §3.7) matches the full solve to 2e-4 where the edge distance is ≥ 0.16U', () => {
    // measured ≤ 7.1e-5 relative on these 60 (point, angle) pairs; the zero line ε̃ = −V/2 (b_D = 0, I_FL = 0) is skipped
    let checked = 0;
    for (const e of [-0.2, -0.1, 0, 0.1, 0.2]) for (const v of [-0.3, -0.15, 0.08, 0.2, 0.3]) {
      const p = at(e, v);
      if (blockadeMargin(p) < 0.16 * U) continue;
      for (const t of [0.2, 0.5, 0.8]) {
        const o = blockadeOracle(p, t * Math.PI), s = dotValveState(p, t * Math.PI);
        // on the zero line the full solve keeps an O(Γ²) remainder, 1e-5 of the typical |I_FL| ≈ 0.05 there
        if (Math.abs(o.tauFL) < 1e-12) { expect(Math.abs(s.tauFL)).toBeLessThan(5e-7 * 2); continue; }
        expect(Math.abs(s.tauFL - o.tauFL), `${e},${v},${t}`).toBeLessThan(2e-4 * Math.abs(o.tauFL));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('sign I_FL = sign(V)·sign(b_S − b_D)·sign(ε̃ − V/2)·sign(ε̃ + V/2) inside the diamond (note §3.7)', () => {
    let n = 0;
    for (let i = 0; i < 17; i++) for (let j = 0; j < 17; j++) {
      const p = at(-0.4 + (0.8 * i) / 16, -0.8 + (1.6 * j) / 16);
      if (blockadeMargin(p) < 0.1 * U) continue;
      const sign = blockadeTorqueSign(p);
      if (sign === 0) continue;
      for (const t of [0.05, 0.5, 0.95]) {
        const s = dotValveState(p, t * Math.PI);
        if (Math.abs(s.tauFL) < 1e-12) continue;
        expect(Math.sign(s.tauFL), `(${p.eps}, ${p.V}, ${t}π)`).toBe(sign);
        n++;
      }
    }
    expect(n).toBeGreaterThan(100);
  });

  it('the paper\'s "field-like dominates for θ ≳ 0.1π" in the blockade, away from the zero lines and the resonance', () => {
    let n = 0;
    for (let i = 0; i < 21; i++) for (let j = 0; j < 21; j++) {
      const p = at(-0.5 + i / 20, -0.5 + j / 20);
      if (blockadeMargin(p) < 0.1 * U || Math.abs(p.V) < 0.02 * U) continue; // V = 0 is a zero line too
      const { bS, bD } = exchangeFields(p);
      if (Math.min(Math.abs(bS), Math.abs(bD), Math.abs(bS - bD)) < 0.05) continue;
      for (const t of [0.1, 0.3, 0.5, 0.7, 0.9]) {
        const s = dotValveState(p, t * Math.PI);
        expect(Math.abs(s.tauFL), `(${p.eps}, ${p.V}, ${t}π)`).toBeGreaterThan(Math.abs(s.tauDL));
        n++;
      }
    }
    expect(n).toBeGreaterThan(200);
  });

  it('I_FL changes sign across the Eq. 4 line b_S = b_D (a P/AP boundary), at θ = 0.5π and 0.9π', () => {
    for (const e of [-0.3, -0.2, 0.2, 0.3]) {
      const [Vr] = resonanceVoltages(at(e, 0), 'eq4', -0.45 * U, 0.45 * U).filter(v => Math.abs(v) > 1);
      for (const t of [0.5, 0.9]) {
        const a = dotValveState(dotValve({ eps: e * U, V: Vr - 10 }), t * Math.PI), b = dotValveState(dotValve({ eps: e * U, V: Vr + 10 }), t * Math.PI);
        expect(Math.sign(a.tauFL) * Math.sign(b.tauFL)).toBe(-1);
      }
    }
  });

  it('outside the blockade the first-order result is recovered (torques within 1e-2 of |I|, current within 2.5e-2; measured 6.4e-3, 1.7e-2)', () => {
    for (const [e, v] of [[0.45, 0.3], [0.6, 0.2], [-0.55, 0.5], [0.1, 0.95], [-0.3, -0.9], [0.7, -0.6]]) {
      const full = at(e, v), first = at(e, v, { order: 'sequential' });
      expect(blockadeMargin(full)).toBeLessThan(-0.02 * U);
      for (const t of [0.2, 0.5, 0.8]) {
        const a = dotValveState(full, t * Math.PI), b = dotValveState(first, t * Math.PI);
        const m = Math.hypot(a.tauFL, a.tauDL);
        expect(Math.abs(a.tauFL - b.tauFL), `${e},${v},${t}`).toBeLessThan(1e-2 * m);
        expect(Math.abs(a.tauDL - b.tauDL)).toBeLessThan(1e-2 * m);
        expect(rel(b.current, a.current)).toBeLessThan(2.5e-2);
      }
    }
  });

  it('inside the blockade first order misses the torque: at (0, 0.1U, π/2) cotunnelling sets |S| ≈ 0.45 and I_FL = +0.0170', () => {
    const s = dotValveState(at(0, 0.1), Math.PI / 2);
    expect(Math.hypot(...s.S)).toBeCloseTo(0.4497, 3);
    expect(s.tauFL).toBeCloseTo(0.01698, 4);
  });
});

describe('resonance of Eq. 4 (note §4)', () => {
  it('reproduces the V_res(ε̃) table for Γ_D = 2Γ_S and is odd in ε̃', () => {
    const table: [number, number][] = [[-0.4, 0.12103], [-0.3, 0.14853], [-0.2, 0.11960], [-0.1, 0.06505], [-0.05, 0.03313], [0.05, -0.03313], [0.1, -0.06505], [0.2, -0.11960], [0.25, -0.13860], [0.3, -0.14853], [0.4, -0.12103]];
    for (const [e, vr] of table) {
      const roots = resonanceVoltages(at(e, 0), 'eq4', -0.2 * U, 0.2 * U).filter(v => Math.abs(v) > 1e-3);
      expect(roots.length, `ε̃ = ${e}U`).toBe(1);
      expect(Math.abs(roots[0] / U - vr)).toBeLessThan(6e-6);
    }
  });

  it('Γ_S = Γ_D puts the resonance at V = 0 for every ε̃', () => {
    for (const e of [-0.4, -0.1, 0.15, 0.3]) {
      const roots = resonanceVoltages(at(e, 0, { gammaS: 1, gammaD: 1 }), 'eq4', -0.3 * U, 0.3 * U);
      expect(roots.length).toBe(1);
      expect(Math.abs(roots[0])).toBeLessThan(1e-9);
    }
  });
});

describe('LLG torque tables (core convention)', () => {
  it('nodes u_k = −1 + 2k/(n−1); a_FL(u) = I_FL(arccos u), a_DL(u) = −I_DL(arccos u); the core torque equals −τ_D/S under m = −n, p = −n_S', () => {
    const p = at(0.2, 0.1), n = 33, tab = llgTorqueTable(p, n), u = tableNodes(n);
    expect(u[0]).toBe(-1); expect(u[n - 1]).toBe(1); expect(u[16]).toBeCloseTo(0, 15);
    const S = drainLlgSpin().S;
    for (const k of [0, 5, 16, 27, 32]) {
      const th = Math.acos(u[k]), s = dotValveState(p, th);
      expect(tab.fieldLike[k]).toBeCloseTo(s.tauFL, 12);
      expect(tab.dampingLike[k]).toBeCloseTo(-s.tauDL, 12);
      // paper: S dn/dt ⊃ τ_D = (n × e_z) I_FL + n × (n × e_z) I_DL; core: dm/dt ⊃ −(1/S)[a_FL m × p + a_DL m × (m × p)]
      const nD = [Math.sin(th), 0, Math.cos(th)], ez = [0, 0, 1];
      const cr = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
      const t1 = cr(nD, ez), t2 = cr(nD, t1);
      const tauPaper = t1.map((x, i) => s.tauFL * x + s.tauDL * t2[i]);
      const m = nD.map(x => -x), pp = ez.map(x => -x), a = coreAmplitudes(s.tauFL, s.tauDL);
      const c1 = cr(m, pp), c2 = cr(m, c1);
      const dmCore = c1.map((x, i) => -(a.fieldLike * x + a.dampingLike * c2[i]) / S);
      // m = −n ⇒ dm/dt = −dn/dt = −τ_D/S
      for (let i = 0; i < 3; i++) expect(dmCore[i]).toBeCloseTo(-tauPaper[i] / S, 14);
      expect(m[0] * pp[0] + m[1] * pp[1] + m[2] * pp[2]).toBeCloseTo(u[k], 14);
    }
  });

  it('the steep torque next to θ = π: a uniform-u table misses it, the ζ table (nearly uniform in θ) resolves it', () => {
    // Catmull–Rom as in src/llg/torqueTable.ts (central slopes, linear extrapolation at the ends), on [x0, x1]
    const cr = (y: Float64Array, x: number) => {
      const n = y.length, t0 = Math.min(Math.max(x * (n - 1), 0), n - 1), k = Math.min(Math.floor(t0), n - 2), t = t0 - k;
      const y1 = y[k], y2 = y[k + 1], y0 = k === 0 ? 2 * y1 - y2 : y[k - 1], y3 = k + 2 >= n ? 2 * y2 - y1 : y[k + 2];
      return y1 + 0.5 * t * ((y2 - y0) + t * ((2 * y0 - 5 * y1 + 4 * y2 - y3) + t * (3 * (y1 - y2) + y3 - y0)));
    };
    const p = at(0.25, -0.15), n = 257, tu = llgTorqueTable(p, n, 'u'), tz = llgTorqueTable(p, n, 'zeta');
    let eu = 0, ez = 0, m = 0;
    for (let i = 0; i <= 2000; i++) {
      const th = (Math.PI * i) / 2000, u = Math.cos(th), z = Math.sqrt(1 + u) - Math.sqrt(1 - u);
      const exact = dotValveState(p, th).tauFL;
      m = Math.max(m, Math.abs(exact));
      eu = Math.max(eu, Math.abs(cr(tu.fieldLike, (u + 1) / 2) - exact));
      ez = Math.max(ez, Math.abs(cr(tz.fieldLike, (z + Math.SQRT2) / (2 * Math.SQRT2)) - exact));
    }
    expect(eu / m).toBeGreaterThan(0.1); // measured 0.19
    expect(ez / m).toBeLessThan(1e-2); // measured 5.8e-3
    // the ζ nodes: θ increasing from 0 to π as ζ goes from √2 to −√2, sin² + cos² = 1, ends exact
    let last = -1;
    for (let k = 8; k >= 0; k--) {
      const [sn, cs] = nodeAngle('zeta', k, 9);
      expect(sn * sn + cs * cs).toBeCloseTo(1, 14);
      const th = Math.atan2(sn, cs);
      expect(th).toBeGreaterThan(last);
      last = th;
    }
    expect(nodeAngle('zeta', 0, 9)).toEqual([0, -1]);
    expect(nodeAngle('zeta', 8, 9)).toEqual([0, 1]);
  });

  it('magnet mapping: K = KV/2, k_BT_eff = σ²/(2αS), time unit ħ/Γ', () => {
    const d = drainLlgSpin({ KV: 0.01, alpha: 0.1, sigma2: 1e-4, S: 1 }, 1);
    expect(d.anisotropy).toBeCloseTo(0.005, 15);
    expect(d.kTeff).toBeCloseTo(5e-4, 15);
    expect(d.timeUnitPs).toBeCloseTo(0.6582119569, 12);
    expect(d.temperature * 0.08617333262).toBeCloseTo(5e-4, 12);
    expect(() => drainLlgSpin({ KV: 0.01, alpha: 0, sigma2: 1e-4, S: 1 })).toThrow(/alpha/);
  });
});

describe('parameter validation names the parameter and its range', () => {
  it('rejects p outside [0, 1], U ≤ 0, T ≤ 0, Γ ≤ 0', () => {
    expect(() => dotValve({ p: 1.2 })).toThrow(/p .*\[0, 1\]/);
    expect(() => dotValve({ pD: -0.1 })).toThrow(/pD .*\[0, 1\]/);
    expect(() => dotValve({ U: 0 })).toThrow(/U .*> 0/);
    expect(() => dotValve({ T: -1 })).toThrow(/T .*> 0/);
    expect(() => dotValve({ gammaS: 0 })).toThrow(/gammaS .*> 0/);
    expect(() => dotValve({ gammaD: -2 })).toThrow(/gammaD .*> 0/);
    expect(() => dotValve({ eps: NaN })).toThrow(/eps/);
  });
});
