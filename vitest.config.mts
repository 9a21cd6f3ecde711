import { defineConfig } from 'vitest/config';

// Most tests build real fixture projects with tspc and run them as child processes, so
// they take seconds, not milliseconds; on a loaded 2-core CI machine, more.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temporary root per run, removed at the end, so the tests do not fill /tmp.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
