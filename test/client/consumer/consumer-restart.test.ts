/**
 * Issue 8, defect 4: a restart after a crash runs in the background; when it fails (here: metadata out of reach), the
 * failure must be a crash of its own (CRASH event, log, restart policy again), never an unhandled rejection that
 * kills the process or leaves the consumer dead without a word.
 */
import { describe, expect, it } from 'vitest'
import { harness } from './harness.js'

describe('consumer: a restart that fails', () => {
  it('emits CRASH again (restart: true) and restarts once metadata is back', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 4)
    const crashes: Array<{ error: Error; restart: boolean }> = []
    let failures = 0
    let metadataDown: { remove(): void } | undefined
    const m = await h.start({
      groupId: 'g',
      topics: ['t'],
      metadataMaxAge: 50,
      retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 200 },
      onMessage: (r) => {
        if (r.offset === 2 && failures < 2) {
          failures++
          if (failures === 2) {
            // The crash after this failure restarts into a cluster whose Metadata requests all time out.
            metadataDown = h.cluster.transport.hooks.add({ api: 'Metadata', from: 'client', action: { type: 'drop' } })
          }
          throw new Error('flaky')
        }
      },
      setup: (c) => c.on(c.events.CRASH, (e) => crashes.push(e.payload)),
    })
    await h.clock.runUntil(() => crashes.length === 2, { maxMs: 300_000 })
    expect(crashes.map((c) => c.restart)).toEqual([true, true])
    expect(crashes[1]!.error.name).toBe('KafkaJSNumberOfRetriesExceeded')
    metadataDown!.remove()
    await h.clock.runUntil(() => m.received.length === 4, { maxMs: 300_000 })
    expect(m.received.map((r) => r.offset)).toEqual([0, 1, 2, 3])
    await h.clock.run(m.consumer.disconnect())
  })
})
