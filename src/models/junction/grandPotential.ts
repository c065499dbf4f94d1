// Exact equilibrium ground truth for the junction exchange: the grand potential of the dimer electrons
// (leads included through the wide-band self-energy) in the presence of two classical spins, from the
// Lloyd formula, NON-perturbative in J_n:
//   ΔΩ(S1, S2) = Ω(S1, S2) − Ω(0, 0) = (1/π) ∫ f(ε) Im ln det[1 − Gʳ(ε) V] dε,
//   V = diag(V_1, V_2) in site space,  V_n = (J_n/2) S_n·σ  (H_int = J_n s_n·S_n, s_n = c†σc/2).
// Derivation: ε − H − V − Σ = (ε − H − Σ)(1 − GʳV), so the change of the integrated density of states is
// ΔN(ε) = −(1/π) Im ln det(1 − GʳV); Ω = ∫ ρ φ dε with φ' = f gives ΔΩ = −∫ f ΔN dε.
// Check (test): dΩ/dε_level = N = ∫ f A dε/2π for a Lorentzian level.
//
// Branch: Im ln det(1 − GʳV) must be the phase continued from ε = −∞ (where it is 0), which exceeds π
// for finite spins. Its value is taken from Gʳ (principal arg) and its branch (a multiple of 2π) from
// the continuous phase of det(ε − H_eff − V) = det(a) det(d − T_c² a⁻¹), a and d the site blocks:
// both factors are 2×2 matrices "Hermitian + i·(positive definite)", so each eigenvalue has Im > 0 and
// its arg in (0, π) is continuous in ε. This needs Γ^L, Γ^R positive definite (Γ^χ > 0, |p_χ| < 1).
//
// Pair couplings (E_pair = −Czz S1zS2z − Cxx(S1xS2x + S1yS2y) − Dz(S1×S2)_z) from the mixed difference
//   C^{ab}(s) = −[ΔΩ(+sâ, +sb̂) − ΔΩ(+sâ, −sb̂) − ΔΩ(−sâ, +sb̂) + ΔΩ(−sâ, −sb̂)]/(4s²) = C^{ab} + O(s²),
// done inside the integrand (single-site terms cancel pointwise, the rest decays like 1/ε⁴), at
// s0, s0/2, s0/4 with two Richardson steps; |R2 − R1| is the extrapolation error estimate.
// Energy range: the whole real axis below the Fermi cut μ + 40 k_BT (μ exactly at T = 0); the tail
// below the lowest breakpoint is mapped onto [0, 1) (no window truncation); quadrature absTol/relTol below.
import { axpby2, c2, inv2, mul2, PAULI, type C2 } from '../../numerics/complex.ts';
import type { Vec3 } from '../../numerics/vec3.ts';
import { energyIntegral, type QuadOptions as EnergyIntegralOptions, type QuadValue } from '../../numerics/quadrature.ts';
import { requireCollinear, requireEquilibrium, equilibriumGrid, resonanceBreaks } from './equilibrium.ts';
import { JunctionGreens } from './greens.ts';
import { fermi, leadCoupling, reservoirs, type JunctionParams } from './params.ts';

/** V_n = (J_n/2) S_n·σ (meV) as a 2×2 complex matrix. */
export function localExchange(J: number, S: ArrayLike<number>): C2 {
  const out = c2();
  for (let a = 0; a < 3; a++) for (let k = 0; k < 8; k++) out[k] += (J / 2) * S[a] * PAULI[a + 1][k];
  return out;
}

/** det of a 2×2 complex matrix as [re, im]. */
function det2(a: C2): [number, number] {
  return [a[0] * a[6] - a[1] * a[7] - (a[2] * a[4] - a[3] * a[5]), a[0] * a[7] + a[1] * a[6] - (a[2] * a[5] + a[3] * a[4])];
}

/** Sum of the args (each in [0, π]) of the two eigenvalues of a 2×2 matrix whose eigenvalues have Im ≥ 0. */
function eigenArgSum(a: C2): number {
  const tr = a[0] + a[6], ti = a[1] + a[7], [dr, di] = det2(a);
  // λ = t/2 ± √(t²/4 − det)
  const qr = (tr * tr - ti * ti) / 4 - dr, qi = (tr * ti) / 2 - di, m = Math.hypot(qr, qi);
  const sr = Math.sqrt((m + qr) / 2), si = (qi < 0 ? -1 : 1) * Math.sqrt(Math.max(0, (m - qr) / 2));
  const arg = (re: number, im: number) => Math.atan2(Math.max(im, 0), re);
  return arg(tr / 2 + sr, ti / 2 + si) + arg(tr / 2 - sr, ti / 2 - si);
}

/** The Lloyd integrand for one dimer: Gʳ, the blocks a, d of ε − H_eff, and the reference phase. */
export class LloydIntegrand {
  readonly greens: JunctionGreens;
  private readonly gl: C2;
  private readonly gr: C2;
  constructor(readonly p: JunctionParams) {
    this.greens = new JunctionGreens(p);
    this.gl = leadCoupling(p.GammaL, p.pL, p.dirL);
    this.gr = leadCoupling(p.GammaR, p.pR, p.dirR);
  }

  /** Continuous arg det(ε − H_eff − V) ∈ (0, 4π) by the block factorisation (see header). */
  friedelPhase(e: number, V1: C2 | null, V2: C2 | null): number {
    const { eps, Tc } = this.p;
    const block = (gam: C2, n: 0 | 1, V: C2 | null) => {
      const m = axpby2(0, 0.5, gam, null, 0); m[0] += e - eps[n][0]; m[6] += e - eps[n][1];
      if (V) for (let k = 0; k < 8; k++) m[k] -= V[k];
      return m;
    };
    const a = block(this.gl, 0, V1), d = block(this.gr, 1, V2);
    const s = axpby2(-Tc * Tc, 0, inv2(a), d, 1);
    return eigenArgSum(a) + eigenArgSum(s);
  }

  /** Im ln det[1 − Gʳ(ε)V] on the branch continued from ε = −∞; G = Gʳ(ε) blocks, phi0 = friedelPhase(ε, 0, 0). */
  phase(e: number, G: C2[], phi0: number, V1: C2, V2: C2): number {
    // 1 − GV in blocks: M11 = 1 − G11V1, M12 = −G12V2, M21 = −G21V1, M22 = 1 − G22V2; Schur on M11.
    const one = PAULI[0];
    const M11 = axpby2(-1, 0, mul2(G[0], V1), one, 1), M12 = axpby2(-1, 0, mul2(G[1], V2), null, 0);
    const M21 = axpby2(-1, 0, mul2(G[2], V1), null, 0), M22 = axpby2(-1, 0, mul2(G[3], V2), one, 1);
    const S = axpby2(-1, 0, mul2(mul2(M21, inv2(M11)), M12), M22, 1);
    const [ar, ai] = det2(M11), [br, bi] = det2(S);
    const principal = Math.atan2(ar * bi + ai * br, ar * br - ai * bi);
    const turns = Math.round((this.friedelPhase(e, V1, V2) - phi0 - principal) / (2 * Math.PI));
    return principal + 2 * Math.PI * turns;
  }
}

/** Validate the energy method's domain (equilibrium, collinear, positive-definite lead couplings). */
function requireEnergyDomain(p: JunctionParams): void {
  requireEquilibrium(p, 'the grand-potential (energy) method');
  requireCollinear(p, 'the grand-potential (energy) method');
  for (const [k, g] of [['GammaL', p.GammaL], ['GammaR', p.GammaR]] as const) {
    if (!(g > 0)) throw new RangeError(`${k}: the energy method needs ${k} > 0 meV (branch tracking), got ${g}`);
  }
  for (const [k, x] of [['pL', p.pL], ['pR', p.pR]] as const) {
    if (!(Math.abs(x) < 1)) throw new RangeError(`${k}: the energy method needs |${k}| < 1 (both spins broadened), got ${x}`);
  }
}

/** Breakpoints: resonances, resonances shifted by ± the perturbation sizes, and a guard grid (8 widths). */
function lloydBreaks(p: JunctionParams, vmax: number): { breaks: number[]; hi: number; L: number } {
  const grid = equilibriumGrid(p), { centres, widths } = resonanceBreaks(p);
  const w = Math.min(...widths), breaks = [...grid.breaks];
  for (const c of centres) breaks.push(c - vmax, c + vmax, c - vmax / 2, c + vmax / 2);
  const lo = Math.min(...centres) - vmax - 10 * w, hi = Math.max(...centres) + vmax + 10 * w;
  const n = Math.min(400, Math.ceil((hi - lo) / (8 * w)));
  for (let i = 0; i <= n; i++) breaks.push(lo + ((hi - lo) * i) / n);
  return { breaks, hi: grid.hi, L: grid.L };
}

const DEFAULT_TOL: EnergyIntegralOptions = { absTol: 1e-14, relTol: 1e-11, maxIntervals: 4000 };

/** ΔΩ (meV) for arbitrary Hermitian site perturbations V_1, V_2 (2×2, meV) at equilibrium. */
export function grandPotentialShift(p: JunctionParams, V1: C2, V2: C2, opts: EnergyIntegralOptions = {}): QuadValue {
  requireEnergyDomain(p);
  const li = new LloydIntegrand(p), res = reservoirs(p).L;
  const norm = (V: C2) => Math.hypot(...Array.from(V)); // Frobenius ≥ spectral norm: a safe shift bound
  const { breaks, hi, L } = lloydBreaks(p, Math.max(norm(V1), norm(V2)));
  const g = (e: number) => {
    const f = fermi(e, res);
    if (f === 0) return 0;
    const G = li.greens.retarded(e);
    return f * li.phase(e, G, li.friedelPhase(e, null, null), V1, V2);
  };
  const q = energyIntegral(g, -Infinity, hi, breaks, L, { ...DEFAULT_TOL, ...opts });
  return { value: q.value / Math.PI, error: q.error / Math.PI };
}

/** ΔΩ(S1, S2) (meV) for classical spins S_n (vectors of length = spin length) coupled by J_n s_n·S_n. */
export function spinGrandPotential(p: JunctionParams, S1: Vec3, S2: Vec3, opts: EnergyIntegralOptions = {}): QuadValue {
  return grandPotentialShift(p, localExchange(p.J1, S1), localExchange(p.J2, S2), opts);
}

const AXES: Record<'x' | 'y' | 'z', Vec3> = { x: [1, 0, 0], y: [0, 1, 0], z: [0, 0, 1] };
type Term = ['x' | 'y' | 'z', 'x' | 'y' | 'z', number];

/** Σ_terms w·C^{ab}(s) by the mixed difference inside one integrand (meV), with its quadrature error. */
function mixedCoupling(li: LloydIntegrand, terms: Term[], s: number, grid: ReturnType<typeof lloydBreaks>,
  opts: EnergyIntegralOptions): QuadValue {
  const { p } = li, res = reservoirs(p).L;
  const Vs = terms.map(([a, b, w]) => {
    const v1 = [localExchange(p.J1, AXES[a].map(x => x * s)), localExchange(p.J1, AXES[a].map(x => -x * s))];
    const v2 = [localExchange(p.J2, AXES[b].map(x => x * s)), localExchange(p.J2, AXES[b].map(x => -x * s))];
    return { v1, v2, w };
  });
  const g = (e: number) => {
    const f = fermi(e, res);
    if (f === 0) return 0;
    const G = li.greens.retarded(e), phi0 = li.friedelPhase(e, null, null);
    let sum = 0;
    for (const { v1, v2, w } of Vs) {
      const m = li.phase(e, G, phi0, v1[0], v2[0]) - li.phase(e, G, phi0, v1[0], v2[1])
        - li.phase(e, G, phi0, v1[1], v2[0]) + li.phase(e, G, phi0, v1[1], v2[1]);
      sum += w * m;
    }
    return f * sum;
  };
  const q = energyIntegral(g, -Infinity, grid.hi, grid.breaks, grid.L, opts);
  const c = -1 / (4 * s * s * Math.PI);
  return { value: c * q.value, error: Math.abs(c) * q.error };
}

export interface RichardsonValue {
  /** Extrapolated value s → 0 (meV). */
  value: number;
  /** Extrapolation error estimate |R2 − R1| (meV). */
  extrapolation: number;
  /** Quadrature error propagated through the extrapolation (meV). */
  quadrature: number;
}

export interface EnergyPairCoupling {
  Czz: RichardsonValue;
  Cxx: RichardsonValue;
  Dz: RichardsonValue;
  /** Spin lengths used, s0, s0/2, s0/4. */
  spins: number[];
}

export interface EnergyPairOptions {
  /** Largest spin length s0; default: J_max s0/2 = 0.05 × narrowest resonance half-width. */
  spin0?: number;
  /** Absolute quadrature target on each C(s) (meV), default 1e-12 |J1 J2|; relTol per panel default 1e-11. */
  tolerance?: number;
  relTol?: number;
}

/** Czz, Cxx, Dz (meV) from the exact grand potential by mixed differences + Richardson in s². */
export function energyPairCoupling(p: JunctionParams, opts: EnergyPairOptions = {}): EnergyPairCoupling {
  requireEnergyDomain(p);
  const li = new LloydIntegrand(p), w = Math.min(...resonanceBreaks(p).widths);
  const Jmax = Math.max(Math.abs(p.J1), Math.abs(p.J2));
  if (Jmax === 0) {
    const zero = { value: 0, extrapolation: 0, quadrature: 0 };
    return { Czz: zero, Cxx: zero, Dz: zero, spins: [] };
  }
  const s0 = opts.spin0 ?? (2 * 0.05 * w) / Jmax, spins = [s0, s0 / 2, s0 / 4];
  if (!(s0 > 0 && Number.isFinite(s0))) throw new RangeError(`spin0 must be a finite spin length > 0, got ${s0}`);
  const tol = opts.tolerance ?? 1e-12 * Math.abs(p.J1 * p.J2);
  const grid = lloydBreaks(p, Jmax * s0);
  // C = −∫…/(4πs²): a target tol on C is 4πs² tol on the integral, shared by the panels.
  const quad = (s: number): EnergyIntegralOptions => ({
    ...DEFAULT_TOL, relTol: opts.relTol ?? DEFAULT_TOL.relTol, absTol: (4 * Math.PI * s * s * tol) / (grid.breaks.length + 2),
  });
  const component = (terms: Term[]): RichardsonValue => {
    const c = spins.map(s => mixedCoupling(li, terms, s, grid, quad(s)));
    const r1 = [(4 * c[1].value - c[0].value) / 3, (4 * c[2].value - c[1].value) / 3];
    const r2 = (16 * r1[1] - r1[0]) / 15;
    // Weights of C(s0), C(s0/2), C(s0/4) in R2 are 1/45, −20/45, 64/45.
    const quadrature = (c[0].error + 20 * c[1].error + 64 * c[2].error) / 45;
    return { value: r2, extrapolation: Math.abs(r2 - r1[1]), quadrature };
  };
  return {
    Czz: component([['z', 'z', 1]]),
    Cxx: component([['x', 'x', 0.5], ['y', 'y', 0.5]]),
    Dz: component([['x', 'y', 0.5], ['y', 'x', -0.5]]),
    spins,
  };
}
