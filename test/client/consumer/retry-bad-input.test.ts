import { describe, expect, it } from 'vitest'
import type { ConsumerRunConfig } from '../../../src/client/consumer/consumer-config.js'
import { InvalidRetryPolicyError } from '../../../src/client/dead-letter/retry-policy.js'
import { harness } from './harness.js'

const eachMessage = async (): Promise<void> => undefined

describe('consumer: run({ retry, deadLetter }) refuses a policy that cannot work, before anything starts', () => {
  const cases: Array<[string, ConsumerRunConfig, RegExp]> = [
    ['attempts < 1', { eachMessage, retry: { attempts: 0 } }, /retry\.attempts must be an integer of at least 1/],
    ['a negative timeout', { eachMessage, retry: { attempts: 3, timeoutMs: -1 } }, /retry\.timeoutMs must be a positive number/],
    ['a negative backoff', { eachMessage, retry: { attempts: 3, initialBackoffMs: -5 } }, /retry\.initialBackoffMs/],
    ['a dead-letter topic equal to the source topic', { eachMessage, deadLetter: { topic: 'orders' } }, /deadLetter\.topic "orders" is a topic this consumer reads/],
    ['a dead-letter topic that is another subscribed topic', { eachMessage, deadLetter: { topic: 'payments' } }, /deadLetter\.topic "payments"/],
    ['a policy with eachBatch', { eachBatch: async () => undefined, retry: { attempts: 2 } }, /applies to eachMessage only/],
    ['a policy without a handler', { deadLetter: {} }, /applies to eachMessage only/],
    ['a dead-letter policy that is not an object', { eachMessage, deadLetter: 'orders-dlt' as never }, /deadLetter must be an object/],
  ]

  for (const [name, config, message] of cases) {
    it(`${name}: InvalidRetryPolicyError, the consumer joins no group and can run afterwards`, async () => {
      const h = harness()
      await h.createTopic('orders', 1)
      await h.createTopic('payments', 1)
      await h.produce('orders', 1)
      const consumer = h.consumer({ groupId: 'g' })
      await h.clock.run(consumer.connect())
      await h.clock.run(consumer.subscribe({ topics: ['orders', 'payments'], fromBeginning: true }))
      const error = await h.clock.run(consumer.run(config)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InvalidRetryPolicyError)
      expect((error as Error).message).toMatch(message)
      expect((await h.clock.run(consumer.describeGroup())).members).toHaveLength(0)
      expect(() => consumer.pause([{ topic: 'orders' }])).toThrow(/consumer#run must be called first/)
      const seen: string[] = []
      await h.clock.run(consumer.run({ eachMessage: async ({ message: m }) => void seen.push(m.value!.toString()) }))
      await h.clock.runUntil(() => seen.length === 1)
      await h.clock.run(consumer.disconnect())
    })
  }
})
