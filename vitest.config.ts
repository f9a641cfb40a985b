import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    // expect.poll waits for what a page or a server will do: give it what a loaded 2-core machine needs.
    expect: { poll: { timeout: 10_000, interval: 100 } },
    hookTimeout: 180_000,
    pool: 'forks',
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
