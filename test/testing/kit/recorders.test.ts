import { describe, expect, it } from 'vitest'
import { checkHistory } from 'kafkalite'
import { readFinalLog, recordConsumer, recordProducer, withCluster } from 'kafkalite/testing'

describe('recorders', () => {
  it('a recorded producer and consumer fill the history and the observations: sends at their offsets, deliveries with generation, processing and commits', async () => {
    await withCluster({ brokers: 1 }, async (_cluster, kafka, { clock, recording }) => {
      const admin = kafka.admin()
      await admin.connect()
      await admin.createTopics({ topics: [{ topic: 't', numPartitions: 2 }], waitForLeaders: true })
      await admin.disconnect()
      const producer = recordProducer(kafka.producer(), recording, { process: 'p' })
      await producer.connect()
      await producer.send({ topic: 't', messages: [{ value: 'a', partition: 1 }, { value: 'b', partition: 1 }] })
      await producer.send({ topic: 't', messages: [{ value: 'c', partition: 0 }] })
      expect(recording.acknowledgements.map((a) => `${a.value}@${a.partition}/${a.offset}`)).toEqual(['a@1/0', 'b@1/1', 'c@0/0'])

      const consumer = recordConsumer(kafka.consumer({ groupId: 'g' }), recording, { process: 'c' })
      await consumer.connect()
      await consumer.subscribe({ topics: ['t'], fromBeginning: true })
      await consumer.run({ eachMessage: async () => undefined })
      while (recording.processed.length < 3) await clock.sleep(100)
      await consumer.disconnect()

      const generation = recording.assignments[0]!.generation
      expect(generation).toBeGreaterThanOrEqual(1)
      expect(recording.deliveries.map((d) => [d.value, d.generation, d.member, d.group])).toEqual(
        expect.arrayContaining([['a', generation, 'c', 'g'], ['b', generation, 'c', 'g'], ['c', generation, 'c', 'g']]),
      )
      expect(recording.processedRecords()).toHaveLength(3)
      expect(recording.commits.some((c) => c.topic === 't' && c.partition === 1 && c.offset === 2)).toBe(true)
      expect(checkHistory(recording.history).valid).toBe(true)
    })
  })

  it('a failed send is recorded as info (it may have been written) and still rejects to the caller', async () => {
    await withCluster({ brokers: 1 }, async (_cluster, kafka, { recording }) => {
      const producer = recordProducer(kafka.producer({ retry: { retries: 0 }, allowAutoTopicCreation: false }), recording)
      await producer.connect()
      await expect(producer.send({ topic: 'missing', messages: [{ value: 'x' }] })).rejects.toThrow()
      const [op] = recording.history.operations()
      expect(op).toMatchObject({ type: 'send', value: 'x', outcome: { type: 'info' } })
      expect(recording.acknowledgements).toEqual([])
    })
  })

  it('with wroteNothing, a failed send the network saw refused is recorded as fail, and the checker holds it to that', async () => {
    await withCluster({ brokers: 1 }, async (_cluster, kafka, { recording }) => {
      const refused = new Set(['x'])
      const producer = recordProducer(kafka.producer({ retry: { retries: 0 }, allowAutoTopicCreation: false }), recording, {
        wroteNothing: (_topic, message) => refused.has(String(message.value)),
      })
      await producer.connect()
      await expect(producer.send({ topic: 'missing', messages: [{ value: 'x' }] })).rejects.toThrow()
      await expect(producer.send({ topic: 'missing', messages: [{ value: 'y' }] })).rejects.toThrow()
      expect(recording.history.operations().map((op) => (op.type === 'send' ? [op.value, op.outcome.type] : op.type))).toEqual([
        ['x', 'fail'],
        ['y', 'info'],
      ])
    })
  })

  it('readFinalLog with a history records its reads as polls: a drained check then sees a lost acknowledgement', async () => {
    await withCluster({ brokers: 1 }, async (_cluster, kafka, { clock, recording }) => {
      const admin = kafka.admin()
      await admin.connect()
      await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1 }], waitForLeaders: true })
      await admin.disconnect()
      const producer = recordProducer(kafka.producer(), recording)
      await producer.connect()
      await producer.send({ topic: 't', messages: [{ value: 'a', partition: 0 }] })
      // An acknowledgement of a record the log never held: only the final read, recorded, can show it lost.
      recording.history.record({ type: 'send', process: 'ghost', topic: 't', value: 'ghost', partition: 0, outcome: { type: 'ok', partition: 0, offset: 1 } })
      const log = await readFinalLog(kafka, clock, ['t'], { isolation: 'read_committed', history: recording.history })
      expect(log.records.map((r) => r.value)).toEqual(['a'])
      const polls = recording.history.operations().filter((op) => op.type === 'poll')
      expect(polls).toHaveLength(1)
      expect(polls[0]).toMatchObject({ records: [{ topic: 't', partition: 0, offset: 0, value: 'a' }] })
      const report = checkHistory(recording.history, { drained: true })
      expect(report.anomalies.lostWrite.map((l) => l.value)).toEqual(['ghost'])
    })
  })
})
