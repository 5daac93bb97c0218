import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Most test time is spent waiting on PostgreSQL, child processes and loopback fakes, so run more files
    // than there are cores (vitest's default is one fewer than the cores: a single file at a time on two).
    maxWorkers: Math.max(2, availableParallelism()),
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
