import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Concurrent tests (the seeded fault schedules) mostly wait on loopback HTTP and timers;
    // a dozen at once keeps two cores busy without making their timing checks flaky.
    maxConcurrency: 12,
  },
});
