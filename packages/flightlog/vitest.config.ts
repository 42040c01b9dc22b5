import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real-log tests run the WASM parser over MB-sized files; on a busy 2-core machine a single test
    // can take several seconds. The whole suite stays well under a minute.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
