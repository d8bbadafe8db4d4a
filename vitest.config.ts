import { defineConfig } from 'vitest/config';

// Two projects: `unit` (no network, no store, fast) and `integration` (embedded ClickHouse,
// a real Kafka broker, real sockets, Chromium). chDB allows one data directory per process,
// so integration files run in forked processes.
export default defineConfig({
  test: {
    // CI reads the JSON report to print its `N passed, N failed` line.
    reporters: process.env['CI'] ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          globalSetup: ['test/integration/kafka/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
