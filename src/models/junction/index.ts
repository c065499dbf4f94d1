// Seed 000 junction dimer: parameters, Green's functions, exchange tensors, named parameters for sweeps.
import { validateJunction, type JunctionParams } from './params.ts';

export * from './params.ts';

/** Parameters a sweep or a flag may set, with units: eps0 sets all four ε_nσ, Gamma sets Γ^L = Γ^R = Γ/2. */
export const JUNCTION_PARAMETERS = {
  mu: 'meV', V: 'mV', dT: 'K', TL: 'K', eps0: 'meV', Tc: 'meV', Gamma: 'meV', GammaL: 'meV', GammaR: 'meV',
  pL: '', pR: '', J1: 'meV', J2: 'meV',
} as const;
export type JunctionParameter = keyof typeof JUNCTION_PARAMETERS;
export const JUNCTION_PARAMETER_NAMES = Object.keys(JUNCTION_PARAMETERS) as JunctionParameter[];

/** A copy of p with the named parameter set (validated). */
export function withParameter(p: JunctionParams, name: string, value: number): JunctionParams {
  const q: JunctionParams = { ...p, eps: [[...p.eps[0]], [...p.eps[1]]] as JunctionParams['eps'] };
  switch (name) {
    case 'eps0': q.eps = [[value, value], [value, value]]; break;
    case 'Gamma': q.GammaL = value / 2; q.GammaR = value / 2; break;
    case 'mu': case 'V': case 'dT': case 'TL': case 'Tc': case 'GammaL': case 'GammaR': case 'pL': case 'pR': case 'J1': case 'J2':
      q[name] = value; break;
    default: throw new RangeError(`unknown junction parameter '${name}'; known: ${JUNCTION_PARAMETER_NAMES.join(', ')}`);
  }
  return validateJunction(q);
}
