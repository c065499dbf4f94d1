// The LLG core, below models and kernels: a model describes parameter points (model.ts), the problem
// packs them once and says how many trajectories each gets (problem.ts), the kernel integrates them on
// any backend (src/kernels/llg: backend.run(llgKernel, problem, options)) and the run reduces the
// trajectories into per-point statistics (run.ts).
export * from './model.ts';
export * from './problem.ts';
export * from './run.ts';
export { tableNodes, tableValue, tabulate, TABLE_GRIDS, type TableGrid } from './torqueTable.ts';
export { SWITCH_BAND } from './layout.ts';
