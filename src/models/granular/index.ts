// Seed 002: intergrain exchange of ferromagnetic grains in an insulating matrix (Udalov & Beloborodov).
export * from './params.ts';
export * from './terms.ts';
export * from './exchange.ts';
export { TERM_IDS, TERM_INFO, type TermId } from './domains.ts';
export { lensArea, omegaScaled, omegaClosedScaled, omegaSeriesScaled } from './omega.ts';
