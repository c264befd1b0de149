import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // A ceiling that only catches hangs: tests wait on conditions, and on a loaded 2-core machine a
    // test that spawns the real CLI a few times can take minutes without anything being wrong.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // 2 cores: integration tests spawn the real Claude Code CLI; keep parallelism modest.
    maxWorkers: 2,
  },
});
