import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests each own a DuckDB file and parse workers; 2 cores → keep parallelism low.
    maxWorkers: 2,
  },
});
