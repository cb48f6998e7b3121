import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Anti-hang bounds only, never a measure of speed: a loaded 2-core machine may be slow.
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
    // Most e2e time is spent waiting on the CLI processes a test starts: one test file per core,
    // and at least two, keeps the cores busy (vitest's default leaves one core idle).
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
