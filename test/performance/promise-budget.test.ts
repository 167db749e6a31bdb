/**
 * The promise budget of the hot path (issue 11): promises are the main allocation of an in-process
 * request, so their count per single-record send is a cost that must not creep up. Counted with V8's
 * promise hooks around warmed-up sends that need no cluster time.
 */
import { promiseHooks } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, VirtualClock, logLevel } from 'kafkalite'

/**
 * Promises per single-record acks=all send, the test's own `await` included. Issue 11 asks for at
 * most 10; measured now: 5 on 1 broker (the transport's request, one `then` each in the broker router,
 * the sender and the retrier), and the same 5 with replication factor 3: the follower fetch rounds
 * (the replica fetcher's requests go through the channel's callbacks, and a parked fetch waits with a
 * callback) and the produce's wait for the ISR create none (24 before). The budgets are those counts:
 * any promise more fails the test.
 */
const SEND_BUDGET = { oneBroker: 5, replicated: 5 }

async function promisesPerSend(brokers: number): Promise<number> {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers, clock, seed: 5, defaultReplicationFactor: brokers, minInsyncReplicas: Math.min(2, brokers) })
  const kafka = new Kafka({ clientId: 'budget', cluster, logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await clock.run(producer.connect())
  const send = (i: number) => producer.send({ topic: 'budget', acks: -1, messages: [{ key: `k${i}`, value: 'v' }] })
  for (let i = 0; i < 20; i++) await clock.run(send(i))
  let created = 0
  const stop = promiseHooks.onInit(() => void created++)
  const sends = 50
  try {
    // No clock.run: a warmed-up send needs no cluster time, so it settles on its own.
    for (let i = 0; i < sends; i++) await send(i)
  } finally {
    stop()
  }
  await clock.run(producer.disconnect())
  return created / sends
}

describe('promise budget', () => {
  it(`a single-record acks=all send creates at most ${SEND_BUDGET.oneBroker} promises on 1 broker`, async () => {
    expect(await promisesPerSend(1)).toBeLessThanOrEqual(SEND_BUDGET.oneBroker)
  })

  it(`a single-record acks=all send creates at most ${SEND_BUDGET.replicated} promises on 3 brokers with replication factor 3`, async () => {
    expect(await promisesPerSend(3)).toBeLessThanOrEqual(SEND_BUDGET.replicated)
  })
})
