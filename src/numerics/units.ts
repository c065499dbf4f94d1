// Units used throughout nanospin: energy meV, time ps, temperature K, length nm, bias mV.
/** Reduced Planck constant ħ in meV·ps. */
export const HBAR = 0.6582119569;
/** Boltzmann constant k_B in meV/K. */
export const KB = 0.08617333262;
/** Bohr magneton (meV/T). */
export const MU_B = 0.05788381806;
