import { defineConfig } from 'vitest/config';

// GPU tests run in forked processes: Dawn's native threads and devices stay out of worker threads,
// and a crash in the driver takes down one test file, not the runner.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
