// Beyond seed 003 (issue 13, item 6): a classical spin–lattice Langevin model. Two classical spins of length S
// (the k-pair S_k, S_k̄ of H_k) and one classical anharmonic mode Q, coupled as in Eqs. 3–4 of the paper:
//   H = J S1·S2 + A Q S1^z [+ A Q S2^z]  +  ω0 a†a + Φ Q³,   Q = a + a†   (meV; J > 0 AFM, as H_k)
// in its classical limit: S_i = S m_i (m_i unit vectors), (Q, P) the classical mode variables with
// ω0 a†a → (ω0/4)(Q² + P²) (the zero-point −ω0/2 dropped). In the LLG core's convention (src/llg/model.ts:
// E = −Σ m_i·𝕁·m_j − Σ B·m …, unit vectors) that is
//   pair tensor 𝕁 = −J S² 1   (−m1·𝕁·m2 = J S² m1·m2),
//   oscillator coupling A_core = A S on axis ẑ for spin 1 (fieldOn 'first', as H_k is printed) or both spins
//   (fieldOn 'both'): energy A S Q m^z = A Q S^z,
//   oscillator ω0, Φ, friction γ (1/ps) on P at the bath temperature; Gilbert α on the spins, same bath.
// The mean-field reading of the paper replaces Q by ⟨Q⟩ (Eq. 7) and the spins see the static pseudo-field
// α = A⟨Q⟩ on S^z. Classically, to first order in Φ, ⟨Q⟩ = −βΦ⟨Q⁴⟩₀ = −12 Φ k_BT/ω0² (Eq. 7's classical limit:
// coth(βω0/2) → 2k_BT/ω0); integrating Q out of e^{−E/k_BT} exactly gives the spins, besides that field (first
// order in A), the induced coupling −(A S)²(Σ m^z)²/ω0 (second order, harmonic part) and the back-action
// ⟨Q⟩ ⊃ −(2 A S/ω0) Σ⟨m^z⟩. The references below are exact classical Boltzmann averages by quadrature:
//   oscillatorBoltzmann: the mode alone (1D over Q),
//   spinPairBoltzmann:   the pair in static fields (analytic over m2, 1D over cos θ1),
//   spinLatticeBoltzmann: the whole model (2D: Q, then cos θ1, with m2 analytic).
// Φ Q³ is unbounded below, so e^{−E/k_BT} is normalisable only over the metastable well: every average here is
// over Q on the well's side of the barrier top Q* = −ω0/(6Φ) (height ω0³/(432 Φ²)), which is meaningful when
// the barrier is ≫ k_BT (the weight left at the cut is returned; the Langevin trajectories must not cross it).
import { finite, type LlgModel, type LlgPoint } from '../../llg/model.ts';
import { gk15Nodes } from '../../numerics/quadrature.ts';
import { KB } from '../../numerics/units.ts';

export type FieldOn = 'first' | 'both';

/** One parameter point of the classical spin–lattice model (energies in meV, T in K). */
export interface SpinLatticeParams {
  /** Exchange J of H_k = J S1·S2 (meV; J > 0 antiferromagnetic, as the paper's J_k). */
  J: number;
  /** Spin–lattice coupling A (meV per unit Q): energy A Q S^z on the spin(s) of `fieldOn`. */
  A: number;
  /** Mode energy ω0 (meV, > 0). */
  omega0: number;
  /** Cubic anharmonicity Φ (meV): energy Φ Q³. */
  Phi: number;
  /** Langevin friction γ on the mode's P (1/ps). */
  gamma: number;
  /** Spin length S (> 0). */
  S: number;
  /** Gilbert damping of both spins. */
  alpha: number;
  /** Which spins the coupling acts on: S1 only (H_k as printed) or both. */
  fieldOn: FieldOn;
  /** Temperature (K) of both baths. */
  T: number;
}

export function checkSpinLatticeParams(p: SpinLatticeParams): void {
  finite(p.J, 'J (meV)');
  finite(p.A, 'A (meV per unit Q)');
  finite(p.omega0, 'omega0 (meV)', 0, 1e6, true);
  finite(p.Phi, 'Phi (meV)');
  finite(p.gamma, 'gamma (1/ps)', 0, 1e6);
  finite(p.S, 'S (spin length)', 0, 1e6, true);
  finite(p.alpha, 'alpha (Gilbert damping)', 0, 100);
  finite(p.T, 'T (K)', 0, 1e5);
  if (p.fieldOn !== 'first' && p.fieldOn !== 'both') throw new RangeError(`fieldOn must be 'first' or 'both', got ${JSON.stringify(p.fieldOn)}`);
}

/** Spins the coupling acts on. */
export const coupledSpins = (fieldOn: FieldOn): number[] => (fieldOn === 'both' ? [0, 1] : [0]);

/**
 * The model in the LLG core's terms: 𝕁 = −J S² (pair energy J S² m1·m2), oscillator coupling A S ẑ on the
 * coupled spin(s), both spins start in the plane, antiparallel (m = ±x̂: no initial moment), the mode at rest
 * at Q = P = 0 (the bottom of the well).
 */
export const spinLatticeModel: LlgModel<SpinLatticeParams> = {
  describe(p: SpinLatticeParams): LlgPoint {
    checkSpinLatticeParams(p);
    return {
      temperature: p.T,
      spins: [{ S: p.S, alpha: p.alpha, init: [1, 0, 0] }, { S: p.S, alpha: p.alpha, init: [-1, 0, 0] }],
      couplings: [{ i: 0, j: 1, J: -p.J * p.S * p.S }],
      oscillator: {
        omega0: p.omega0, cubic: p.Phi, damping: p.gamma,
        couplings: coupledSpins(p.fieldOn).map(spin => ({ spin, axis: [0, 0, 1], A: p.A * p.S })),
        init: { Q: 0, P: 0 },
      },
    };
  },
};

/** Eq. 7's classical limit: ⟨Q⟩ = −(6Φ/ω0)·2k_BT/ω0 = −12 Φ k_BT/ω0² (coth(βω0/2) → 2/(βω0)). */
export function eq7Classical(Phi: number, omega0: number, T: number): number {
  if (!(omega0 > 0)) throw new RangeError(`ω0 must be > 0 meV, got ${omega0}`);
  finite(T, 'T (K)', 0);
  return (-12 * Phi * KB * T) / (omega0 * omega0);
}

/**
 * The cubic well's barrier: top at Q* = −ω0/(6Φ), height V(Q*) = ω0³/(432 Φ²) (meV); Φ = 0: none (±∞, ∞).
 * With a constant force term f·Q added to V (|f| = n|A|S: n coupled spins all pointing the worst way), the
 * well tilts towards the barrier: extrema at 3ΦQ² + (ω0/2)Q + f = 0, height V_f(Q_top) − V_f(Q_bottom), and
 * no well at all once 12 Φ |f| ≥ ω0²/4 (height 0: the spins can pull the mode over the edge).
 */
export function cubicBarrier(omega0: number, Phi: number, force = 0): { Q: number; height: number } {
  if (Phi === 0) return { Q: -Infinity, height: Infinity };
  if (force === 0) return { Q: -omega0 / (6 * Phi), height: omega0 ** 3 / (432 * Phi * Phi) };
  // tilt towards the barrier side (sign(f) = sign(Φ) lowers it)
  const f = Math.sign(Phi) * Math.abs(force), disc = 0.25 * omega0 * omega0 - 12 * Phi * f;
  if (disc <= 0) return { Q: NaN, height: 0 };
  const r = Math.sqrt(disc), q1 = (-0.5 * omega0 + r) / (6 * Phi), q2 = (-0.5 * omega0 - r) / (6 * Phi);
  // the well bottom is the root nearer 0 (V'' = ω0/2 + 6ΦQ > 0 there), the barrier top the other
  const [bottom, top] = Math.abs(q1) < Math.abs(q2) ? [q1, q2] : [q2, q1];
  const V = (Q: number) => modePotential(omega0, Phi, Q) + f * Q;
  return { Q: top, height: V(top) - V(bottom) };
}

/** V(Q) = (ω0/4) Q² + Φ Q³ (meV). */
export const modePotential = (omega0: number, Phi: number, Q: number): number => 0.25 * omega0 * Q * Q + Phi * Q * Q * Q;

/** Exact classical Boltzmann averages over the metastable well; `cutWeight`: e^{−βV} at the cut relative to the well bottom. */
export interface BoltzmannAverages { Q: number; Q2: number; cutWeight: number }

/**
 * Q range [lo, hi] holding the well's Boltzmann weight: ±(14σ + the spins' largest shift 2|f|/ω0) around 0, cut
 * at the barrier top, tilted by the spins' largest pull |f| = n|A|S (the top nearest the well, so that no spin
 * configuration's weight beyond its own barrier is counted).
 */
function wellRange(omega0: number, Phi: number, kT: number, force = 0): [number, number] {
  const L = 14 * Math.sqrt((2 * kT) / omega0) + (2 * Math.abs(force)) / omega0;
  const b = cubicBarrier(omega0, Phi, force);
  if (b.height === 0) throw new RangeError(`no metastable well: the spins' pull ${Math.abs(force)} meV on Q exceeds ω0²/(48|Φ|) = ${(omega0 * omega0 / (48 * Math.abs(Phi))).toPrecision(4)} meV`);
  return Phi > 0 ? [Math.max(b.Q, -L), L] : Phi < 0 ? [-L, Math.min(b.Q, L)] : [-L, L];
}

/**
 * Composite 15-point Kronrod rule on n equal panels of [lo, hi]: visit(x, w) at every node. All the moments
 * of one weight share its nodes (one evaluation of the weight per node). The panels are chosen so that the
 * weight changes by at most a factor ~e across one (0.4 σ of the mode; 1/(β × energy scale) in cos θ):
 * the rule is then exact to ~1e-12 (tests: doubling the panels changes nothing at that level).
 */
function composite(lo: number, hi: number, n: number, visit: (x: number, w: number) => void): void {
  for (let k = 0; k < n; k++) gk15Nodes(lo + ((hi - lo) * k) / n, lo + ((hi - lo) * (k + 1)) / n, visit);
}

/** Panels for the mode's Q range (0.4 σ each, σ = √(2k_BT/ω0)) and for cos θ ∈ [−1, 1] at exponent scale βE. */
const qPanels = (lo: number, hi: number, omega0: number, kT: number, refine: number) => Math.min(4000, Math.ceil(refine * (hi - lo) / (0.4 * Math.sqrt((2 * kT) / omega0))));
const uPanels = (betaE: number, refine: number) => Math.min(4000, Math.ceil(refine * Math.max(8, 2 * betaE)));

/**
 * The mode alone: ⟨Q⟩, ⟨Q²⟩ of e^{−V(Q)/k_BT} over the well (1D quadrature). The P-marginal is Gaussian,
 * ⟨P²⟩ = 2k_BT/ω0, independent of Φ.
 */
export function oscillatorBoltzmann(omega0: number, Phi: number, T: number, refine = 1): BoltzmannAverages {
  if (!(omega0 > 0) || !Number.isFinite(Phi) || !(T > 0)) throw new RangeError(`oscillatorBoltzmann needs ω0 > 0, finite Φ and T > 0 K, got ${omega0}, ${Phi}, ${T}`);
  const kT = KB * T, [lo, hi] = wellRange(omega0, Phi, kT);
  const weight = (Q: number) => Math.exp(-modePotential(omega0, Phi, Q) / kT);
  let Z = 0, Q1 = 0, Q2 = 0;
  composite(lo, hi, qPanels(lo, hi, omega0, kT, refine), (Q, w) => { const x = w * weight(Q); Z += x; Q1 += Q * x; Q2 += Q * Q * x; });
  return { Q: Q1 / Z, Q2: Q2 / Z, cutWeight: Phi === 0 ? 0 : weight(Phi > 0 ? lo : hi) };
}

/** Langevin function L(x) = coth x − 1/x (series near 0). */
function langevin(x: number): number {
  const a = Math.abs(x);
  if (a < 1e-3) return x / 3 - (x * x * x) / 45;
  return (a > 20 ? Math.sign(x) : 1 / Math.tanh(x)) - 1 / x;
}

/** log(sinh x / x) for x ≥ 0, without overflow. */
function logSinhc(x: number): number {
  if (x < 1e-3) return (x * x) / 6;
  return x - Math.log(2 * x) + Math.log1p(-Math.exp(-2 * x));
}

/** Classical pair averages: ⟨m1^z⟩, ⟨m2^z⟩, ⟨(m1^z)²⟩ and moment S(⟨m1^z⟩ + ⟨m2^z⟩); logZ up to a constant. */
export interface PairAverages { m1: number; m2: number; m1sq: number; moment: number; logZ: number }

/**
 * Two classical spins S m1, S m2 with E = J S² m1·m2 + a S m1^z + b S m2^z (meV; the classical H = J S1·S2 +
 * a S1^z + b S2^z): over m2 analytically (∫dΩ e^{βh·m} = 4π sinh(β|h|)/(β|h|), ⟨m⟩ = L(β|h|) ĥ with
 * h = −(J S² m1 + b S ẑ)), over cos θ1 by quadrature (the azimuth is trivial).
 */
export function spinPairBoltzmann(J: number, S: number, a: number, b: number, T: number, refine = 1): PairAverages {
  if (!(T > 0) || !(S > 0)) throw new RangeError(`spinPairBoltzmann needs T > 0 K and S > 0, got ${T}, ${S}`);
  const beta = 1 / (KB * T), j = J * S * S, bs = b * S, as = a * S;
  const logw = (u: number) => { const hn = Math.sqrt(Math.max(0, j * j + 2 * j * bs * u + bs * bs)); return -beta * as * u + logSinhc(beta * hn); };
  let c = -Infinity;
  for (let k = 0; k <= 200; k++) c = Math.max(c, logw(-1 + k / 100));
  const m2z = (u: number) => {
    const hn = Math.sqrt(Math.max(0, j * j + 2 * j * bs * u + bs * bs));
    if (hn === 0) return 0;
    return langevin(beta * hn) * (-(j * u + bs) / hn);
  };
  let Z = 0, m1 = 0, m1sq = 0, m2 = 0;
  composite(-1, 1, uPanels(beta * (Math.abs(j) + Math.abs(as) + Math.abs(bs)), refine), (u, wq) => {
    const x = wq * Math.exp(logw(u) - c);
    Z += x; m1 += u * x; m1sq += u * u * x; m2 += m2z(u) * x;
  });
  return { m1: m1 / Z, m2: m2 / Z, m1sq: m1sq / Z, moment: (S * (m1 + m2)) / Z, logZ: Math.log(Z) + c };
}

/** Exact classical averages of the whole model: ⟨Q⟩, ⟨Q²⟩, the pair's ⟨m^z⟩ and moment, over the well. */
export interface SpinLatticeAverages extends BoltzmannAverages { m1: number; m2: number; moment: number }

/**
 * ∫dQ e^{−V(Q)/k_BT} Z_pair(Q) over the well, with Z_pair the pair in the fields a = A Q (S1), b = A Q or 0
 * (S2): 2D quadrature (Q outer, cos θ1 inner; m2 analytic). The well is cut at its barrier top tilted by the
 * spins' largest pull n|A|S (cubicBarrier with force): the weight left there is `cutWeight` (≪ 1 when that
 * barrier is ≫ k_BT; with 12Φ·n|A|S ≥ ω0²/4 there is no well and this throws).
 */
export function spinLatticeBoltzmann(p: Omit<SpinLatticeParams, 'gamma' | 'alpha'>, refine = 1): SpinLatticeAverages {
  const { J, A, omega0, Phi, S, fieldOn, T } = p;
  if (!(T > 0)) throw new RangeError(`spinLatticeBoltzmann needs T > 0 K, got ${T}`);
  const kT = KB * T, both = fieldOn === 'both';
  const [lo, hi] = wellRange(omega0, Phi, kT, A * S * (both ? 2 : 1));
  const pair = (Q: number) => spinPairBoltzmann(J, S, A * Q, both ? A * Q : 0, T, refine);
  const logW = (Q: number, pr: PairAverages) => -modePotential(omega0, Phi, Q) / kT + pr.logZ;
  // one pass over the Q nodes: the pair once per node, every moment of the weight accumulated
  const nodes: { Q: number; w: number; l: number; pr: PairAverages }[] = [];
  composite(lo, hi, qPanels(lo, hi, omega0, kT, refine), (Q, w) => { const pr = pair(Q); nodes.push({ Q, w, l: logW(Q, pr), pr }); });
  const c = Math.max(...nodes.map(n => n.l));
  let Z = 0, Q1 = 0, Q2 = 0, m1 = 0, m2 = 0;
  for (const n of nodes) {
    const x = n.w * Math.exp(n.l - c);
    Z += x; Q1 += n.Q * x; Q2 += n.Q * n.Q * x; m1 += n.pr.m1 * x; m2 += n.pr.m2 * x;
  }
  const qc = Phi > 0 ? lo : hi;
  const cut = Phi === 0 ? 0 : Math.exp(logW(qc, pair(qc)) - c);
  return { Q: Q1 / Z, Q2: Q2 / Z, m1: m1 / Z, m2: m2 / Z, moment: (S * (m1 + m2)) / Z, cutWeight: cut };
}
