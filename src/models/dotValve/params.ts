// Parameters of the quantum-dot spin valve (seed 004: Gergs, Bender, Duine, Schuricht, arXiv:1707.03373).
//
// The model is DIMENSIONLESS: every energy (ε̃, V, U, T, Γ_S, Γ_D, the exchange fields, KV) is a number in
// one common energy unit, called Γ here, with ħ = k_B = e = 1; rates are in Γ, times in 1/Γ (ħ/Γ), spin
// currents and torques in Γ (ħΓ/ħ), particle currents in Γ (eΓ/ħ). The paper defines its unit as
// Γ := ½(Γ_S + Γ_D) (text above Fig. 1), so its Fig. 2 couplings Γ_D = 2Γ_S are Γ_S = 2/3, Γ_D = 4/3 — the
// defaults here. To measure energies in units of Γ_S instead, give Γ_S = 1 (and Γ_D = 2 for the paper's
// ratio); the physics depends only on the ratios of the energies, so the two choices differ only by a rescaling
// of every energy by 3/2 (U = 10³Γ is then 1500Γ_S).
//
// Leads r ∈ {S, D}: μ_S = +V/2, μ_D = −V/2, common temperature T, polarisation p_r along the majority-spin
// direction n_r; n_S = e_z, n_D = (sin θ, 0, cos θ). Dot: H = ε Σ n_σ + U n↑n↓, ε̃ = ε + U/2.

export type DotValveOrder = 'sequential' | 'cotunnelling';
export const DOT_VALVE_ORDERS: readonly DotValveOrder[] = ['sequential', 'cotunnelling'];

export interface DotValveParams {
  /** ε̃ = ε + U/2, the particle-hole symmetrised level (Γ). */
  eps: number;
  /** Bias V (Γ): μ_S = +V/2, μ_D = −V/2. */
  V: number;
  /** Charging energy U > 0 (Γ). */
  U: number;
  /** Lead temperature k_BT > 0 (Γ). */
  T: number;
  /** Tunnel rates Γ_r = 2π t_r² ρ0 > 0 (Γ; per spin channel). */
  gammaS: number;
  gammaD: number;
  /** Lead polarisations p_r ∈ [0, 1]. */
  pS: number;
  pD: number;
  /** 'sequential': first order (tunnelling + exchange field); 'cotunnelling': + the O(Γ²) cotunnelling dissipator (default). */
  order: DotValveOrder;
}

/** Parameter schema: every energy in units of Γ (the model is dimensionless). */
export const DOT_VALVE_SCHEMA = {
  energyUnit: 'Γ = ½(Γ_S + Γ_D) by default (the paper\'s unit; Γ_S = 2/3, Γ_D = 4/3); any common unit works — with Γ_S = 1 energies are in units of Γ_S',
  timeUnit: 'ħ/Γ',
  fields: {
    eps: { symbol: 'ε̃', unit: 'Γ', range: 'finite' },
    V: { symbol: 'V', unit: 'Γ', range: 'finite' },
    U: { symbol: 'U', unit: 'Γ', range: '> 0' },
    T: { symbol: 'k_BT', unit: 'Γ', range: '> 0' },
    gammaS: { symbol: 'Γ_S', unit: 'Γ', range: '> 0' },
    gammaD: { symbol: 'Γ_D', unit: 'Γ', range: '> 0' },
    pS: { symbol: 'p_S', unit: '1', range: '[0, 1]' },
    pD: { symbol: 'p_D', unit: '1', range: '[0, 1]' },
    order: { symbol: 'order', unit: '', range: DOT_VALVE_ORDERS.join(' | ') },
  },
} as const;

/** Fig. 2 of the paper: Γ_D = 2Γ_S with ½(Γ_S + Γ_D) = 1, U = 10²T = 10³Γ, p = 0.99. */
export const DOT_VALVE_DEFAULTS: DotValveParams = {
  eps: 0, V: 0, U: 1000, T: 10, gammaS: 2 / 3, gammaD: 4 / 3, pS: 0.99, pD: 0.99, order: 'cotunnelling',
};

export interface DotValveInput extends Partial<DotValveParams> {
  /** Sets p_S = p_D (unless they are given). */
  p?: number;
}

/**
 * Validated parameters. Errors are RangeErrors that name the parameter and its allowed range
 * (the CLI prefixes the flag name).
 */
export function dotValve(input: DotValveInput = {}): DotValveParams {
  const { p, ...rest } = input;
  const q: DotValveParams = { ...DOT_VALVE_DEFAULTS, ...(p !== undefined ? { pS: p, pD: p } : {}), ...stripUndefined(rest) };
  if (p !== undefined) checkPolarisation('p', p);
  for (const k of ['eps', 'V', 'U', 'T', 'gammaS', 'gammaD', 'pS', 'pD'] as const) {
    if (typeof q[k] !== 'number' || !Number.isFinite(q[k])) throw new RangeError(`${k} must be a finite number (${DOT_VALVE_SCHEMA.fields[k].unit === 'Γ' ? 'in units of Γ' : 'dimensionless'}), got ${q[k]}`);
  }
  if (!(q.U > 0)) throw new RangeError(`U (charging energy) must be > 0 (units of Γ), got ${q.U}`);
  if (!(q.T > 0)) throw new RangeError(`T (lead temperature k_BT) must be > 0 (units of Γ; T < 0 is unphysical, T = 0 is not supported by the digamma forms), got ${q.T}`);
  if (!(q.gammaS > 0)) throw new RangeError(`gammaS (tunnel rate Γ_S) must be > 0 (units of Γ), got ${q.gammaS}`);
  if (!(q.gammaD > 0)) throw new RangeError(`gammaD (tunnel rate Γ_D) must be > 0 (units of Γ), got ${q.gammaD}`);
  checkPolarisation('pS', q.pS);
  checkPolarisation('pD', q.pD);
  if (!DOT_VALVE_ORDERS.includes(q.order)) throw new RangeError(`order must be one of ${DOT_VALVE_ORDERS.join(', ')}, got ${q.order}`);
  return q;
}

function checkPolarisation(name: string, x: number): void {
  if (!(typeof x === 'number' && x >= 0 && x <= 1)) throw new RangeError(`${name} (lead polarisation) must be in [0, 1], got ${x}`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Transition energies E1 = ε̃ − U/2 (0 ↔ 1) and E2 = ε̃ + U/2 (1 ↔ 2). */
export function transitionEnergies(p: DotValveParams): { E1: number; E2: number } {
  return { E1: p.eps - p.U / 2, E2: p.eps + p.U / 2 };
}

/** Chemical potentials μ_S = +V/2, μ_D = −V/2. */
export function chemicalPotentials(p: DotValveParams): { muS: number; muD: number } {
  return { muS: p.V / 2, muD: -p.V / 2 };
}
