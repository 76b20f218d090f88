import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // json too, so .ci/run can print a plain 'N passed, N failed' line
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
