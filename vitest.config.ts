import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one fork fewer than the cores: one on these 2-core machines, so files ran
    // one after another. Most of a file's time is waiting on Redis, queues and timers, not CPU:
    // at least two at a time (VITEST_MAX_WORKERS to choose).
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || Math.max(2, availableParallelism() - 1),
    globalSetup: ['test/global-setup.ts'],
    // json too, so .ci/run can print a plain 'N passed, N failed' line
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
