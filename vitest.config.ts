import { availableParallelism } from 'node:os'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * Test files that change state shared by every module of their process, and so run each in a fresh one: module mocks
 * (`vi.mock`). Any file that does so belongs here. The default cluster of `kafkalite/kafkajs` is module state too (by
 * design: `resetDefaultCluster`), but the files that use it reset it before they use it and no other file reads it, and
 * a spy on a prototype that a file installs in its beforeAll and removes in its afterAll is gone before the next file
 * of its worker starts: such files share a worker's modules, which saves a process that evaluates src/ again (~0.8 s
 * of CPU each).
 */
const ISOLATED = ['test/scenarios/kafkajs-default-import.test.ts', 'test/scenarios/kafkajs-drop-in.test.ts', 'test/wire/compression-unavailable.test.ts']

/** The tests of the packed package, which need dist/ built first. */
const PACKAGE = 'test/package/**/*.test.ts'

const root = fileURLToPath(new URL('.', import.meta.url))

/**
 * The files that take longest on the wall clock (2 idle cores, `npm test`), longest first: real browsers and clients
 * that wait on real time, then the costliest on the CPU. Started first, they overlap with the type-check and the build
 * and with each other (the waiting ones leave the cores to the others), and no long file is left to run alone on one
 * core at the end. Vitest's own order puts the slowest first only with the timings it caches from an earlier run; a
 * fresh clone (CI) has none and orders by file size, which put the adversary (a short file, the suite's most CPU) last.
 */
const LONGEST_FIRST = [
  'test/console/console-tour.test.ts',
  'test/console/console-browser.test.ts',
  'test/adversary/adversary.test.ts',
  'test/wire/librdkafka.test.ts',
  'test/console/web-demo.test.ts',
  'test/wire/librdkafka-security.test.ts',
  'test/properties/at-least-once.property.test.ts',
  'test/wire/kafkajs-admin.test.ts',
  'test/patterns/dead-letter.property.test.ts',
  'test/properties/retry-dead-letter.property.test.ts',
  'test/properties/acks-all-durability.property.test.ts',
  'test/architecture/api-report.test.ts',
  'test/examples/inventory.property.test.ts',
  'test/examples/order-workflow.property.test.ts',
  'test/wire/scenarios-over-tcp.test.ts',
  'test/scenarios/readme-script-exits.test.ts',
  'test/properties/committed-epoch.property.test.ts',
  'test/properties/failed-send-reported.property.test.ts',
  'test/properties/exactly-once.property.test.ts',
]

/**
 * Where the isolated files start in a run of every project (`npx vitest run`; `npm test` runs them apart, beside the
 * package tests): after the files that wait on real time (chromium, kcat and python clients, KafkaJS's own sleeps) have
 * started, while they leave cores idle. A worker that shares its modules across files ends when the next file in the
 * queue needs a fresh process, and the shared files after it then start a new one that evaluates src/ again (~0.8 s of
 * CPU each), which the idle cores absorb there. Last in the queue they cost no such restart, but the shared workers were
 * then shut down and three fresh processes started and evaluated src/ on an otherwise idle machine: 3-4 s at the end of
 * the run. Vitest's own order puts them first, where the cores are busiest.
 */
const ISOLATED_AFTER = 'test/wire/kafkajs-admin.test.ts'
const ISOLATED_RANK = LONGEST_FIRST.indexOf(ISOLATED_AFTER) + 0.5
// Missing from the list, the isolated files would silently go first: say so instead.
if (ISOLATED_RANK < 0) throw new Error(`vitest.config.ts: ISOLATED_AFTER (${ISOLATED_AFTER}) must be one of LONGEST_FIRST`)

/** {@link LONGEST_FIRST} with the isolated files after {@link ISOLATED_AFTER}, then the other files of the shared project. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification): number => {
      if (spec.project.config.isolate) return ISOLATED_RANK
      const index = LONGEST_FIRST.indexOf(relative(root, spec.moduleId))
      return index === -1 ? LONGEST_FIRST.length : index
    }
    // Stable: within a rank, files keep vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b))
  }
}

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
    sequence: { sequencer: LongestFirst },
    // One worker more than the cores. Vitest's default, one fewer, left one of 2 cores idle; as many as the cores still
    // left a fifth of them idle (31 core-seconds of `npm test`'s 150), because a third of the suite's file time is spent
    // waiting on real time (chromium, kcat and python clients, KafkaJS's own sleeps): a third worker runs a file meanwhile.
    maxWorkers: availableParallelism() + 1,
    projects: [
      {
        extends: true,
        // src/ keeps no module state but the default cluster and id counters no test reads, so the other files share a
        // worker's modules: each worker evaluates src/ once instead of once per file, a third of the suite's time.
        // One chromium for the browser test files (test/console/browser-server.ts), started when the first connects.
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [...ISOLATED, PACKAGE], isolate: false, globalSetup: ['test/console/browser-server.ts'] },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
      // The packed dist/: `npm test` (scripts/test.ts) runs this project on its own, once the build it runs beside the rest is done.
      { extends: true, test: { name: 'package', include: [PACKAGE] } },
    ],
  },
})
