import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Concurrent tests (the seeded fault schedules) mostly wait on loopback HTTP and timers;
    // a dozen at once keeps two cores busy without making their timing checks flaky.
    maxConcurrency: 12,
    // Two files at a time even on two cores: most tests wait on loopback HTTP and on the action's
    // own process, so a second file fills the wait (77 s instead of 150 s on a quiet 2-core
    // machine); every timing check is sized for a machine two or three times slower.
    maxWorkers: 2,
  },
});
