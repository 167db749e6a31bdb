import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * Test files that change state shared by every module of their process, and so run each in a fresh one: the default
 * cluster of `kafkalite/kafkajs` (module state by design: `resetDefaultCluster`), module mocks (`vi.mock`), and a spy
 * installed on a prototype for the whole file. Any file that does so belongs here.
 */
const ISOLATED = [
  'test/scenarios/kafkajs-behaviour.test.ts',
  'test/scenarios/kafkajs-default-import.test.ts',
  'test/scenarios/kafkajs-drop-in.test.ts',
  'test/scenarios/kafkajs-reset.test.ts',
  'test/wire/compression-unavailable.test.ts',
  'test/properties/idempotence.property.test.ts',
]

/** The tests of the packed package, which need dist/ built first. */
const PACKAGE = 'test/package/**/*.test.ts'

export default defineConfig({
  resolve: {
    alias: {
      'kafkalite/kafkajs': fileURLToPath(new URL('./src/kafkajs.ts', import.meta.url)),
      'kafkalite/testing': fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)),
      kafkalite: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    setupFiles: ['test/support/fail-on-unhandled.ts', 'test/support/fast-check-seed.ts'],
    // Property suites take tens of seconds on a loaded 2-core machine; a hang on virtual time fails sooner, by the clock's maxMs.
    testTimeout: 180_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores, which is one on a 2-core machine: the second core sat idle.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // src/ keeps no module state but the default cluster and id counters no test reads, so the other files share a
        // worker's modules: each worker evaluates src/ once instead of once per file, a third of the suite's time.
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [...ISOLATED, PACKAGE], isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
      // The packed dist/: `npm test` (scripts/test.ts) runs this project on its own, once the build it runs beside the rest is done.
      { extends: true, test: { name: 'package', include: [PACKAGE] } },
    ],
  },
})
