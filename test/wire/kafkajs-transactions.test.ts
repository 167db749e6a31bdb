/**
 * KafkaJS transactions over TCP: a committed transaction is visible to a read_committed consumer, an aborted one is
 * not (the consumer drops its records with the aborted-transaction list and skips the control batches), and
 * offsets sent in a transaction are committed with it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Consumer } from 'kafkajs'
import { condition, tcpKafka, type TcpKafka } from './tcp-kafka.js'

let env: TcpKafka | undefined
const consumers: Consumer[] = []

afterEach(async () => {
  for (const c of consumers.splice(0)) await c.disconnect().catch(() => undefined)
  await env?.close()
  env = undefined
})

describe('KafkaJS over TCP: transactions', () => {
  it('read_committed sees committed transactions only; read_uncommitted sees aborted records too', async () => {
    env = await tcpKafka({ numPartitions: 2 })
    const producer = env.kafka.producer({ transactionalId: 'tx-1', idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    const committed = await producer.transaction()
    await committed.send({ topic: 'payments', messages: [{ key: 'a', value: 'c1' }, { key: 'b', value: 'c2' }] })
    await committed.commit()
    const aborted = await producer.transaction()
    await aborted.send({ topic: 'payments', messages: [{ key: 'a', value: 'x1' }, { key: 'b', value: 'x2' }] })
    await aborted.abort()
    const last = await producer.transaction()
    await last.send({ topic: 'payments', messages: [{ key: 'a', value: 'c3' }] })
    await last.sendOffsets({ consumerGroupId: 'tx-group', topics: [{ topic: 'payments', partitions: [{ partition: 0, offset: '1' }] }] })
    await last.commit()
    await producer.disconnect()

    const read = async (groupId: string, readUncommitted: boolean, expected: number): Promise<string[]> => {
      const consumer = env!.kafka.consumer({ groupId, readUncommitted, maxWaitTimeInMs: 100, heartbeatInterval: 300 })
      consumers.push(consumer)
      await consumer.connect()
      await consumer.subscribe({ topic: 'payments', fromBeginning: true })
      const values: string[] = []
      const done = condition(() => values.length >= expected)
      await consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value!.toString())
          done.check()
        },
      })
      await done.promise
      return values.sort()
    }
    expect(await read('committed-reader', false, 3)).toEqual(['c1', 'c2', 'c3'])
    expect(await read('uncommitted-reader', true, 5)).toEqual(['c1', 'c2', 'c3', 'x1', 'x2'])

    const admin = env.kafka.admin()
    await admin.connect()
    const offsets = await admin.fetchOffsets({ groupId: 'tx-group', topics: ['payments'] })
    expect(offsets[0]!.partitions.find((p) => p.partition === 0)!.offset).toBe('1')
    await admin.disconnect()
  }, 60_000)
})
