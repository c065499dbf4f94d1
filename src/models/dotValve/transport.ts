// Steady-state transport through the quantum-dot spin valve (seed 004), float64: first-order kinetic
// equation with the exchange field (Braun–König–Martinek form) plus the O(Γ²) cotunnelling dissipator on the
// singly occupied block; dot occupation and spin, particle current, spin currents and the drain torque
// split as in the paper's Eq. 2. Specification and derivations: the team's note seed004-dot-valve.md §2–§3
// (outside this repository), re-checked here; docs/models/dotValve.md lists what was re-derived and how.
//
// Conventions: ħ = k_B = e = 1, energies in Γ (params.ts). y = (P0, P1, P2, Sx, Sy, Sz); ρ1 = (P1/2)·1 + S·σ
// (S is the spin expectation value, |S| ≤ P1/2). n_S = e_z, n_D = (sin θ, 0, cos θ). Particle currents and
// spin currents are counted INTO lead r; the drain torque is τ_D = I_S,D − (n_D·I_S,D) n_D (the transverse
// spin current absorbed by the drain, Eq. 1), I_FL = τ_D·(n_D × e_z)/sin²θ, I_DL = τ_D·[n_D × (n_D × e_z)]/sin²θ
// (Eq. 2; both basis vectors have length sin θ).
//
// Structure (shared with the WGSL kernel shaders/dotValve/torque_table.wgsl, which follows it step by step):
//   1. pointScalars: the θ-independent numbers of one (ε̃, V) point — Fermi factors, exchange fields b_S, b_D
//      (digamma), and the w-weighted cotunnelling integrals wJ, wC, wK of the four ordered lead pairs.
//   2. assemble: the 6×6 generator W(n_D) (P1 row replaced by the normalisation P0 + P1 + P2 = 1).
//   3. solve W y = e_1 by Gaussian elimination with partial pivoting (src/numerics/linalg.ts).
//   4. drainCurrents: J_D and I_S,D; then τ_D, I_FL, I_DL. At sin θ = 0 the amplitudes are the exact limits,
//      from the θ-derivative of the steady state (thetaLimit below).
import { polygammaComplex } from '../../numerics/digamma.ts';
import { solveInPlace } from '../../numerics/linalg.ts';
import { defineRow } from '../../backends/layout.ts';
import type { DotValveParams } from './params.ts';

// ---- the digamma family h⁽ᵏ⁾(y) = dᵏ/dyᵏ Re ψ(½ + iy/2πT) -------------------------------------------------

/**
 * h(y) = Re ψ(½ + iy/2πT) and its derivatives up to `order` (≤ 4): h⁽ᵏ⁾ = Re[iᵏ ψ⁽ᵏ⁾(z)]/(2πT)ᵏ, z = ½ + iy/2πT.
 * PV∫ f⁺(ω)/(ω − x) dω = h(x − μ) − ln(D/2πT) for a flat band of half-width D (the ln D cancels everywhere).
 */
export function hFamily(y: number, T: number, order: number, out: Float64Array = new Float64Array(order + 1)): Float64Array {
  const s = 1 / (2 * Math.PI * T), z = y * s;
  let scale = 1;
  for (let k = 0; k <= order; k++) {
    const [re, im] = polygammaComplex(k, 0.5, z);
    // Re(iᵏ w): k mod 4 = 0: Re w, 1: −Im w, 2: −Re w, 3: Im w
    const v = k % 4 === 0 ? re : k % 4 === 1 ? -im : k % 4 === 2 ? -re : im;
    out[k] = v * scale;
    scale *= s;
  }
  return out;
}

// ---- θ-independent scalars of one point ------------------------------------------------------------------

/** Leads in index order: 0 = source S, 1 = drain D. Ordered pairs (r ← q: in from q, out to r) in index order r·2 + q. */
export const PAIRS: readonly [number, number][] = [[0, 0], [0, 1], [1, 0], [1, 1]];

/**
 * Per-point scalars (float64 here, float32 in the kernel's workgroup memory; SLOT_* constants come from this layout):
 * fermi: per lead 4 numbers F1⁺, F1⁻, F2⁺, F2⁻ = f_r^±(E1), f_r^±(E2); exch: b_S, b_D;
 * cot: per ordered pair (PAIRS order) wJ, wC, wK with w = Γ_rΓ_q/2π.
 */
export const SCALARS = defineRow({ fermi: 8, exch: 2, cot: 12 });

/** |μ_r − μ_q| below which the cotunnelling integrals use the midpoint expansion (in units of T). */
export const EQUAL_MU_WINDOW = 0.05;

/** Fermi factors f⁺(E) = 1/(1 + e^{(E−μ)/T}) and f⁻ = 1 − f⁺, overflow-safe. */
function fermiPair(E: number, mu: number, T: number): [number, number] {
  const x = (E - mu) / T;
  if (x > 0) { const e = Math.exp(-x); return [e / (1 + e), 1 / (1 + e)]; }
  const e = Math.exp(x);
  return [1 / (1 + e), e / (1 + e)];
}

/**
 * The θ-independent scalars of one (ε̃, V) point (SCALARS layout).
 *
 * Exchange field (note §2.2, re-derived from the second-order level shifts): B_r = b_r n_r,
 *   b_r = (p_r Γ_r/π) [h(E2 − μ_r) − h(E1 − μ_r)],  entering as dS/dt = S × B (H_ex = −B·Ŝ).
 * Cotunnelling integrals (note §3.5) for r ← q with F = f_q⁺ f_r⁻ = N (f_r⁺ − f_q⁺), N = 1/(e^{(μ_r−μ_q)/T} − 1):
 *   I_aa = N[h′(E1 − μ_r) − h′(E1 − μ_q)],  I_kk = N[h′(E2 − μ_r) − h′(E2 − μ_q)],
 *   I_ak = N[G(μ_r) − G(μ_q)],  G(μ) = [h(E2 − μ) − h(E1 − μ)]/U,
 * (the Hadamard finite parts of ∫F/(ω−E1)², ∫F/(ω−E2)², and PV∫F/((ω−E1)(ω−E2))), and
 * J = I_aa − 2I_ak + I_kk, C = I_ak − I_kk, K = I_kk. For |μ_r − μ_q| < EQUAL_MU_WINDOW·T (always for r = q) the
 * divided differences are expanded about the midpoint m, half-width η = (μ_r − μ_q)/2:
 *   N[g(μ_r) − g(μ_q)] = (Nδ)[g′(m) + η² g‴(m)/6] + O(η⁴),  Nδ = δ/(e^{δ/T} − 1) → T,
 * so the r = q values are I_aa = −T h″(E1 − μ), I_kk = −T h″(E2 − μ), I_ak = (T/U)[h′(E1 − μ) − h′(E2 − μ)].
 */
export function pointScalars(p: DotValveParams, out: Float64Array = new Float64Array(SCALARS.stride)): Float64Array {
  const E1 = p.eps - p.U / 2, E2 = p.eps + p.U / 2;
  const mu = [p.V / 2, -p.V / 2], gam = [p.gammaS, p.gammaD], pol = [p.pS, p.pD];
  const T = p.T, U = p.U, o = SCALARS.offsets;
  // h, h′ at E_a − μ_r
  const h1 = [hFamily(E1 - mu[0], T, 1), hFamily(E1 - mu[1], T, 1)];
  const h2 = [hFamily(E2 - mu[0], T, 1), hFamily(E2 - mu[1], T, 1)];
  for (let r = 0; r < 2; r++) {
    const [f1p, f1m] = fermiPair(E1, mu[r], T), [f2p, f2m] = fermiPair(E2, mu[r], T);
    out[o.fermi + 4 * r] = f1p; out[o.fermi + 4 * r + 1] = f1m; out[o.fermi + 4 * r + 2] = f2p; out[o.fermi + 4 * r + 3] = f2m;
    out[o.exch + r] = (pol[r] * gam[r] / Math.PI) * (h2[r][0] - h1[r][0]);
  }
  const G = (r: number) => (h2[r][0] - h1[r][0]) / U;
  for (let k = 0; k < 4; k++) {
    const [r, q] = PAIRS[k];
    const delta = mu[r] - mu[q], x = delta / T;
    let Iaa: number, Ikk: number, Iak: number;
    if (Math.abs(x) < EQUAL_MU_WINDOW) {
      const m = 0.5 * (mu[r] + mu[q]), eta = 0.5 * delta;
      const a = hFamily(E1 - m, T, 4), b = hFamily(E2 - m, T, 4);
      const Nd = x === 0 ? T : delta / Math.expm1(x);
      const e2 = (eta * eta) / 6;
      Iaa = Nd * (-a[2] - e2 * a[4]);
      Ikk = Nd * (-b[2] - e2 * b[4]);
      Iak = (Nd / U) * (a[1] - b[1] + e2 * (a[3] - b[3]));
    } else {
      const N = 1 / Math.expm1(x);
      Iaa = N * (h1[r][1] - h1[q][1]);
      Ikk = N * (h2[r][1] - h2[q][1]);
      Iak = N * (G(r) - G(q));
    }
    const w = (gam[r] * gam[q]) / (2 * Math.PI);
    out[o.cot + 3 * k] = w * (Iaa - 2 * Iak + Ikk);
    out[o.cot + 3 * k + 1] = w * (Iak - Ikk);
    out[o.cot + 3 * k + 2] = w * Ikk;
  }
  return out;
}

/** The raw cotunnelling integrals (I_aa, I_ak, I_kk) of the ordered pair r ← q (for tests against the note's numbers). */
export function cotunnellingIntegrals(p: DotValveParams, r: number, q: number): { Iaa: number; Iak: number; Ikk: number } {
  const sc = pointScalars(p), k = r * 2 + q, o = SCALARS.offsets.cot + 3 * k;
  const w = ([p.gammaS, p.gammaD][r] * [p.gammaS, p.gammaD][q]) / (2 * Math.PI);
  const wK = sc[o + 2], wC = sc[o + 1], wJ = sc[o];
  const Ikk = wK / w, Iak = wC / w + Ikk, Iaa = wJ / w + 2 * Iak - Ikk;
  return { Iaa, Iak, Ikk };
}

// ---- the generator --------------------------------------------------------------------------------------

/**
 * Lead geometry in the frame the equations are written in: n_S, n_D (any vectors: the θ-derivative uses non-unit
 * ones) and the total exchange field B used in the precession term (B = b_S n_S + b_D n_D; the solve passes it
 * exactly as (|B|, 0, 0) in the frame whose first axis is B̂ — see stateAt).
 */
export interface Geometry { nS: readonly number[]; nD: readonly number[]; B?: readonly number[] }

const E_Z = [0, 0, 1] as const;

/**
 * W (6×6 row-major) of dy/dt = W y, then its P1 row replaced by the normalisation (rhs e_1).
 * First order (note §2.1, re-derived from the golden rule with DOS matrices π_r = 1 + p_r n_r·σ), lead r:
 *   dP0 = Γ_r[−2F1⁺P0 + F1⁻(P1 + 2p_r n_r·S)],  dP2 = Γ_r[F2⁺(P1 − 2p_r n_r·S) − 2F2⁻P2],
 *   dS  = Γ_r p_r n_r[F1⁺P0 − F1⁻P1/2 + F2⁺P1/2 − F2⁻P2] − Γ_r(F1⁻ + F2⁺)S + S × B_r.
 * Cotunnelling (note §3.3, checked against the 4×4 golden-rule Lindblad form in test/dotValve.transport.test.ts), r ← q:
 *   dS = wJ[p_q n_q(P1 + 2p_r n_r·S) − 2S − p_r n_r P1] + 2 p_r p_q wC S × (n_q × n_r),  dP1 = 0.
 */
export function assemble(p: DotValveParams, sc: Float64Array, g: Geometry, W: Float64Array, normalise = true): void {
  W.fill(0);
  const o = SCALARS.offsets, n = [g.nS, g.nD], gam = [p.gammaS, p.gammaD], pol = [p.pS, p.pD];
  const B = g.B ? [g.B[0], g.B[1], g.B[2]] : [0, 0, 0];
  for (let r = 0; r < 2; r++) {
    const f1p = sc[o.fermi + 4 * r], f1m = sc[o.fermi + 4 * r + 1], f2p = sc[o.fermi + 4 * r + 2], f2m = sc[o.fermi + 4 * r + 3];
    const G = gam[r], pr = pol[r], nr = n[r], b = sc[o.exch + r];
    W[0] += -2 * G * f1p; W[1] += G * f1m;
    W[12 + 1] += G * f2p; W[12 + 2] += -2 * G * f2m;
    for (let c = 0; c < 3; c++) {
      W[3 + c] += 2 * G * f1m * pr * nr[c];
      W[12 + 3 + c] += -2 * G * f2p * pr * nr[c];
      const row = (3 + c) * 6;
      W[row] += G * pr * nr[c] * f1p;
      W[row + 1] += 0.5 * G * pr * nr[c] * (f2p - f1m);
      W[row + 2] += -G * pr * nr[c] * f2m;
      W[row + 3 + c] += -G * (f1m + f2p);
      if (!g.B) B[c] += b * nr[c];
    }
  }
  addCross(W, B, 1);
  if (p.order === 'cotunnelling') {
    for (let k = 0; k < 4; k++) {
      const [r, q] = PAIRS[k];
      const wJ = sc[o.cot + 3 * k], wC = sc[o.cot + 3 * k + 1];
      const nr = n[r], nq = n[q], pr = pol[r], pq = pol[q];
      for (let i = 0; i < 3; i++) {
        const row = (3 + i) * 6;
        W[row + 1] += wJ * (pq * nq[i] - pr * nr[i]);
        for (let j = 0; j < 3; j++) W[row + 3 + j] += 2 * wJ * pq * pr * nq[i] * nr[j];
        W[row + 3 + i] += -2 * wJ;
      }
      const m = cross(nq, nr);
      const c2 = 2 * pr * pq * wC;
      addCross(W, [c2 * m[0], c2 * m[1], c2 * m[2]], 1);
    }
  }
  if (normalise) { for (let c = 0; c < 6; c++) W[6 + c] = c < 3 ? 1 : 0; }
}

/** W[S rows, S cols] += s·M with M S = S × v. */
function addCross(W: Float64Array, v: readonly number[], s: number): void {
  // (S × v)_x = S_y v_z − S_z v_y; (S × v)_y = S_z v_x − S_x v_z; (S × v)_z = S_x v_y − S_y v_x
  W[3 * 6 + 4] += s * v[2]; W[3 * 6 + 5] -= s * v[1];
  W[4 * 6 + 5] += s * v[0]; W[4 * 6 + 3] -= s * v[2];
  W[5 * 6 + 3] += s * v[1]; W[5 * 6 + 4] -= s * v[0];
}

function cross(a: readonly number[], b: readonly number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

// ---- currents -------------------------------------------------------------------------------------------

export interface LeadCurrents {
  /** Particle current into lead r (S, D). */
  J: [number, number];
  /** Spin current into lead r (S, D), vectors. */
  I: [number[], number[]];
}

/**
 * Particle and spin currents into each lead for the state y (linear in y).
 * First order (note §2.3): J_r = Γ_r[F1⁻(P1 + 2p n·S) − 2F1⁺P0 + 2F2⁻P2 − F2⁺(P1 − 2p n·S)],
 *   I_S,r = −Γ_r p_r n_r[F1⁺P0 − F1⁻P1/2 + F2⁺P1/2 − F2⁻P2] + Γ_r(F1⁻ + F2⁺)S − S × B_r  (= −(lead-r part of dS/dt)).
 * Cotunnelling, process q → r (note §3.4; the outgoing/incoming electron's spin weighted with ½{π, σ/2}):
 *   into r:     w{2J S + C(p_q n_q P1 + 2S) + K p_q n_q P1 + p_r n_r[(J + K)P1 + C(P1 + 2p_q n_q·S)]}
 *   out of q:   w{2C S + p_r n_r P1(C + K) + p_q n_q[(J + K + C)P1 + 2p_r(J + C) n_r·S]}
 *   particles:  w{2P1[J + K + C + p_r p_q (n_r·n_q)(C + K)] + 4(J + C)p_r n_r·S + 4C p_q n_q·S}
 */
export function leadCurrents(p: DotValveParams, sc: Float64Array, g: Geometry, y: ArrayLike<number>): LeadCurrents {
  const o = SCALARS.offsets, n = [g.nS, g.nD], gam = [p.gammaS, p.gammaD], pol = [p.pS, p.pD];
  const P0 = y[0], P1 = y[1], P2 = y[2], S = [y[3], y[4], y[5]];
  const J: [number, number] = [0, 0];
  const I: [number[], number[]] = [[0, 0, 0], [0, 0, 0]];
  for (let r = 0; r < 2; r++) {
    const f1p = sc[o.fermi + 4 * r], f1m = sc[o.fermi + 4 * r + 1], f2p = sc[o.fermi + 4 * r + 2], f2m = sc[o.fermi + 4 * r + 3];
    const G = gam[r], pr = pol[r], nr = n[r], b = sc[o.exch + r];
    const nS = dot(nr, S);
    J[r] += G * (f1m * (P1 + 2 * pr * nS) - 2 * f1p * P0 + 2 * f2m * P2 - f2p * (P1 - 2 * pr * nS));
    const acc = f1p * P0 - 0.5 * f1m * P1 + 0.5 * f2p * P1 - f2m * P2;
    const sxb = cross(S, nr);
    for (let c = 0; c < 3; c++) I[r][c] += -G * pr * nr[c] * acc + G * (f1m + f2p) * S[c] - b * sxb[c];
  }
  if (p.order === 'cotunnelling') {
    for (let k = 0; k < 4; k++) {
      const [r, q] = PAIRS[k];
      const wJ = sc[o.cot + 3 * k], wC = sc[o.cot + 3 * k + 1], wK = sc[o.cot + 3 * k + 2];
      const nr = n[r], nq = n[q], pr = pol[r], pq = pol[q];
      const nrS = dot(nr, S), nqS = dot(nq, S);
      for (let c = 0; c < 3; c++) {
        const into = 2 * wJ * S[c] + wC * (pq * nq[c] * P1 + 2 * S[c]) + wK * pq * nq[c] * P1
          + pr * nr[c] * ((wJ + wK) * P1 + wC * (P1 + 2 * pq * nqS));
        const out = 2 * wC * S[c] + pr * nr[c] * P1 * (wC + wK) + pq * nq[c] * ((wJ + wK + wC) * P1 + 2 * pr * (wJ + wC) * nrS);
        I[r][c] += into;
        I[q][c] -= out;
      }
      const part = 2 * P1 * (wJ + wK + wC + pr * pq * dot(nr, nq) * (wC + wK)) + 4 * (wJ + wC) * pr * nrS + 4 * wC * pq * nqS;
      J[r] += part;
      J[q] -= part;
    }
  }
  return { J, I };
}

// ---- the steady state at one angle ----------------------------------------------------------------------

export interface DotValveState {
  /** Occupation probabilities of the empty, singly and doubly occupied dot. */
  P0: number; P1: number; P2: number;
  /** Dot spin ⟨Ŝ⟩ (|S| ≤ P1/2), frame n_S = e_z, n_D = (sin θ, 0, cos θ). */
  S: [number, number, number];
  /** ⟨n⟩ = P1 + 2P2. */
  occupation: number;
  /** Particle current into the drain, I_C = J_D (> 0 for V > 0: electrons flow S → D); J_S = −J_D. */
  current: number;
  /** Spin currents into the source and the drain (vectors). */
  spinCurrentS: [number, number, number];
  spinCurrentD: [number, number, number];
  /** Drain torque τ_D = I_S,D − (n_D·I_S,D) n_D. */
  torque: [number, number, number];
  /** Eq. 2 amplitudes (the limits at sin θ = 0). */
  tauFL: number;
  tauDL: number;
  /** Exchange-field magnitudes b_S, b_D (B = b_S n_S + b_D n_D). */
  bS: number;
  bD: number;
}

/**
 * Orthonormal frame Q = [B̂, e1, e2] (columns, row-major 3×3) with first axis along B (the identity when
 * |B| = 0). Why: in the Coulomb blockade the spin balance along B̂ is set by rates 10⁻⁵–10⁻³ (cotunnelling) or
 * e^{−Δ/T} (first order), while the precession is O(Γ). Written in the original frame, elimination mixes
 * rounding errors of size ε|B| into that balance (condition ~|B|/rate: 10⁵ with cotunnelling, 10²⁰ for the
 * first order alone). Written in this frame with B = (|B|, 0, 0) exactly, the B̂ row and column hold only the
 * small rates, so the solve is accurate to rounding relative to them, in float64 and in the float32 kernel.
 */
export function fieldFrame(B: readonly number[]): Float64Array {
  const b = Math.hypot(B[0], B[1], B[2]);
  const Q = new Float64Array(9);
  if (!(b > 0)) { Q[0] = Q[4] = Q[8] = 1; return Q; }
  const u = [B[0] / b, B[1] / b, B[2] / b];
  // e1 ⟂ u from the basis axis least aligned with u
  const ax = Math.abs(u[0]) <= Math.abs(u[1]) && Math.abs(u[0]) <= Math.abs(u[2]) ? [1, 0, 0] : Math.abs(u[1]) <= Math.abs(u[2]) ? [0, 1, 0] : [0, 0, 1];
  const t = cross(u, ax), tn = Math.hypot(t[0], t[1], t[2]);
  const e1 = [t[0] / tn, t[1] / tn, t[2] / tn], e2 = cross(u, e1);
  for (let i = 0; i < 3; i++) { Q[i * 3] = u[i]; Q[i * 3 + 1] = e1[i]; Q[i * 3 + 2] = e2[i]; }
  return Q;
}

/** Qᵀ v (original frame → field frame). */
function toFrame(Q: Float64Array, v: readonly number[]): number[] {
  return [0, 1, 2].map(j => Q[j] * v[0] + Q[3 + j] * v[1] + Q[6 + j] * v[2]);
}
/** Q v (field frame → original frame). */
function fromFrame(Q: Float64Array, v: readonly number[]): [number, number, number] {
  return [0, 1, 2].map(i => Q[i * 3] * v[0] + Q[i * 3 + 1] * v[1] + Q[i * 3 + 2] * v[2]) as [number, number, number];
}

/** The problem at drain direction n_D written in the field frame of B = b_S n_S + b_D n_D. */
interface FramedProblem { Q: Float64Array; g: Geometry; eZ: number[]; y: Float64Array }

function solveFramed(p: DotValveParams, sc: Float64Array, nD: readonly number[]): FramedProblem {
  const o = SCALARS.offsets, bS = sc[o.exch], bD = sc[o.exch + 1];
  const B = [bS * E_Z[0] + bD * nD[0], bS * E_Z[1] + bD * nD[1], bS * E_Z[2] + bD * nD[2]];
  const Q = fieldFrame(B);
  const eZ = toFrame(Q, E_Z);
  const g: Geometry = { nS: eZ, nD: toFrame(Q, nD), B: [Math.hypot(B[0], B[1], B[2]), 0, 0] };
  const W = new Float64Array(36);
  assemble(p, sc, g, W);
  const y = new Float64Array(6);
  y[1] = 1;
  solveInPlace(W, y, 6);
  return { Q, g, eZ, y };
}

/** Steady-state y = (P0, P1, P2, Sx, Sy, Sz) (original frame) for the drain direction n_D. */
export function steadyState(p: DotValveParams, sc: Float64Array, nD: readonly number[]): Float64Array {
  const f = solveFramed(p, sc, nD);
  const S = fromFrame(f.Q, [f.y[3], f.y[4], f.y[5]]);
  return Float64Array.of(f.y[0], f.y[1], f.y[2], S[0], S[1], S[2]);
}

/**
 * The state at the drain angle given by (sin θ, cos θ) (pass both so that θ = 0, π are exact).
 * sin θ = 0: I_FL, I_DL are the limits θ → θ0 (thetaLimit).
 */
export function stateAt(p: DotValveParams, sc: Float64Array, sinT: number, cosT: number): DotValveState {
  const nD = [sinT, 0, cosT];
  const f = solveFramed(p, sc, nD);
  const { g, y, eZ } = f;
  const c = leadCurrents(p, sc, g, y);
  const ID = c.I[1], nd = g.nD;
  const nI = dot(nd, ID);
  const tau = [ID[0] - nI * nd[0], ID[1] - nI * nd[1], ID[2] - nI * nd[2]];
  let tauFL: number, tauDL: number;
  if (sinT !== 0) {
    // Eq. 2: the basis vectors n_D × e_z and n_D × (n_D × e_z) (length sin θ), frame-free
    const a = cross(nd, eZ), b = cross(nd, a);
    const s2 = sinT * sinT;
    tauFL = dot(tau, a) / s2;
    tauDL = dot(tau, b) / s2;
  } else {
    [tauFL, tauDL] = thetaLimit(p, sc, cosT, f);
  }
  const o = SCALARS.offsets;
  return {
    P0: y[0], P1: y[1], P2: y[2], S: fromFrame(f.Q, [y[3], y[4], y[5]]), occupation: y[1] + 2 * y[2],
    current: c.J[1], spinCurrentS: fromFrame(f.Q, c.I[0]), spinCurrentD: fromFrame(f.Q, ID),
    torque: fromFrame(f.Q, tau), tauFL, tauDL, bS: sc[o.exch], bD: sc[o.exch + 1],
  };
}

/**
 * I_FL, I_DL at θ0 ∈ {0, π} (cos θ0 = c = ±1), where Eq. 2 is 0/0. With n′ = dn_D/dθ = (c, 0, 0):
 *   y′ = −W⁻¹ W′ y,  W′ = [W(n + n′) − W(n − n′)]/2 (W is quadratic in n_D, so the central difference is exact),
 *   I′ = I_S,D(y′; n) + [I_S,D(y; n + n′) − I_S,D(y; n − n′)]/2   (I_S,D is linear in y, quadratic in n_D),
 *   I_FL(θ0) = −I′·ŷ / c,  I_DL(θ0) = I′·x̂ − I·ẑ   (L'Hôpital on Eq. 2; τ(θ0) = 0, τ′ = I′ − (n·I) n′ on x̂, ŷ).
 * Everything in the field frame of the collinear state (x̂, ŷ, ẑ rotated with it). The WGSL kernel runs the same
 * steps for |sin θ| below its float32 threshold.
 */
function thetaLimit(p: DotValveParams, sc: Float64Array, c: number, f: FramedProblem): [number, number] {
  const { Q, g, y } = f;
  const o = SCALARS.offsets, bS = sc[o.exch], bD = sc[o.exch + 1];
  const xh = toFrame(Q, [1, 0, 0]), yh = toFrame(Q, [0, 1, 0]), zh = f.eZ;
  const n = g.nD, d = [c * xh[0], c * xh[1], c * xh[2]];
  const np = [n[0] + d[0], n[1] + d[1], n[2] + d[2]], nm = [n[0] - d[0], n[1] - d[1], n[2] - d[2]];
  const field = (v: number[]) => [bS * g.nS[0] + bD * v[0], bS * g.nS[1] + bD * v[1], bS * g.nS[2] + bD * v[2]];
  const gp: Geometry = { nS: g.nS, nD: np, B: field(np) }, gm: Geometry = { nS: g.nS, nD: nm, B: field(nm) };
  const Wp = new Float64Array(36), Wm = new Float64Array(36);
  assemble(p, sc, gp, Wp, false);
  assemble(p, sc, gm, Wm, false);
  const yp = new Float64Array(6);
  for (let i = 0; i < 6; i++) {
    let s = 0;
    for (let j = 0; j < 6; j++) s += 0.5 * (Wp[i * 6 + j] - Wm[i * 6 + j]) * y[j];
    yp[i] = -s;
  }
  yp[1] = 0; // the normalisation row is θ-independent: ΣP′ = 0
  const W = new Float64Array(36);
  assemble(p, sc, g, W);
  solveInPlace(W, yp, 6);
  const d1 = leadCurrents(p, sc, g, yp).I[1];
  const ip = leadCurrents(p, sc, gp, y).I[1], im = leadCurrents(p, sc, gm, y).I[1];
  const Ip = [0, 1, 2].map(k => d1[k] + 0.5 * (ip[k] - im[k]));
  const I = leadCurrents(p, sc, g, y).I[1];
  return [-dot(Ip, yh) / c, dot(Ip, xh) - dot(I, zh)];
}

/** The state at drain angle θ (radians). sin θ is snapped to 0 at θ = kπ so the collinear limits are exact. */
export function dotValveState(p: DotValveParams, theta: number, sc: Float64Array = pointScalars(p)): DotValveState {
  if (!Number.isFinite(theta)) throw new RangeError(`theta must be a finite angle (rad), got ${theta}`);
  const [s, c] = angleSinCos(theta);
  return stateAt(p, sc, s, c);
}

/** (sin θ, cos θ) with exact values at multiples of π/2. */
export function angleSinCos(theta: number): [number, number] {
  const k = Math.round(theta / (Math.PI / 2));
  if (Math.abs(theta - k * (Math.PI / 2)) < 1e-15 * Math.max(1, Math.abs(theta))) {
    const m = ((k % 4) + 4) % 4;
    return [[0, 1, 0, -1][m], [1, 0, -1, 0][m]];
  }
  return [Math.sin(theta), Math.cos(theta)];
}
