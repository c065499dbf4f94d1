// Quantum-dot spin valve (seed 004, Gergs–Bender–Duine–Schuricht): transport torques, resonance, FMR, LLG mapping.
export * from './params.ts';
export * from './transport.ts';
export * from './resonance.ts';
export * from './fmr.ts';
export * from './llg.ts';
export * from './torqueTable.ts';
