import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Anti-hang bounds only, never a measure of speed: a loaded 2-core machine may be slow.
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
  },
});
