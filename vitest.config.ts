import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Log times without a zone are read in the machine's zone: tests run in UTC unless they set
    // another zone themselves, so expected outputs do not depend on where they run.
    env: { TZ: 'UTC' },
  },
});
