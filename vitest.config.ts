import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    alias: {
      'kafkalite/kafkajs': fileURLToPath(new URL('./src/kafkajs.ts', import.meta.url)),
      'kafkalite/testing': fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)),
      kafkalite: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/fail-on-unhandled.ts', 'test/support/fast-check-seed.ts'],
    // Property suites take tens of seconds on a loaded 2-core machine; a hang on virtual time fails sooner, by the clock's maxMs.
    testTimeout: 180_000,
    pool: 'forks',
  },
})
