import { describe, expect, it } from 'vitest'
import { harness } from './harness.js'

describe('consumer: seek, pause and resume', () => {
  it('seek moves the position: the partition is read again from the offset given', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 10)
    const m = await h.start({ groupId: 'g', topics: ['t'] })
    await h.clock.runUntil(() => m.received.length === 10)
    m.consumer.seek({ topic: 't', partition: 0, offset: '4' })
    await h.clock.runUntil(() => m.received.length === 16)
    await h.clock.advance(10_000)
    expect(m.received.slice(10).map((r) => r.offset)).toEqual([4, 5, 6, 7, 8, 9])
    // With auto-commit, the seek was committed and then the re-read moved it to the end again.
    expect((await h.committed('g', 't')).get(0)).toBe(10)
    await h.clock.run(m.consumer.disconnect())
  })

  it('seek to -2 (earliest) replays the partition; a seek inside eachMessage drops the rest of the batch', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 6)
    let seeked = false
    const consumer = h.consumer({ groupId: 'g' })
    const offsets: number[] = []
    await h.clock.run(consumer.connect())
    await h.clock.run(consumer.subscribe({ topic: 't', fromBeginning: true }))
    await h.clock.run(
      consumer.run({
        eachMessage: async ({ message }) => {
          offsets.push(Number(message.offset))
          if (message.offset === '2' && !seeked) {
            seeked = true
            consumer.seek({ topic: 't', partition: 0, offset: '-2' })
          }
        },
      }),
    )
    await h.clock.runUntil(() => offsets.length >= 9)
    await h.clock.advance(10_000)
    expect(offsets).toEqual([0, 1, 2, 0, 1, 2, 3, 4, 5])
    await h.clock.run(consumer.disconnect())
  })

  it('a seek to -1 whose lookup keeps failing (OFFSET_NOT_AVAILABLE at a new leader, KIP-207) waits without a crash, and lands once it answers', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 5)
    const m = await h.start({ groupId: 'g', topics: ['t'] })
    await h.clock.runUntil(() => m.received.length === 5)
    let crashes = 0
    m.consumer.on(m.consumer.events.CRASH, () => void crashes++)
    // Enough failures to run out of the lookup's retries more than once.
    const unsettled = h.cluster.transport.hooks.add({ api: 'ListOffsets', action: { type: 'fail', errorCode: 78 }, times: 20 })
    m.consumer.seek({ topic: 't', partition: 0, offset: '-1' })
    await h.produce('t', 3)
    await h.clock.advance(120_000)
    expect(unsettled.fired).toBe(20)
    await h.produce('t', 2)
    await h.clock.advance(30_000)
    // The seek held the partition: the 3 records sent while it waited are skipped, the 2 after it landed are read; nothing crashed.
    expect(m.received.slice(5).map((r) => r.offset)).toEqual([8, 9])
    expect(crashes).toBe(0)
    await h.clock.run(m.consumer.disconnect())
  })

  it('without auto-commit, seek sets the position without committing', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 5)
    const m = await h.start({ groupId: 'g', topics: ['t'], run: { autoCommit: false } })
    await h.clock.runUntil(() => m.received.length === 5)
    m.consumer.seek({ topic: 't', partition: 0, offset: '3' })
    await h.clock.runUntil(() => m.received.length === 7)
    expect(m.received.slice(5).map((r) => r.offset)).toEqual([3, 4])
    expect((await h.committed('g', 't')).has(0)).toBe(false)
    await h.clock.run(m.consumer.disconnect())
  })

  it('pause stops fetching a partition until resume; paused() lists it', async () => {
    const h = harness()
    await h.createTopic('t', 2)
    const m = await h.start({ groupId: 'g', topics: ['t'] })
    m.consumer.pause([{ topic: 't', partitions: [0] }])
    expect(m.consumer.paused()).toEqual([{ topic: 't', partitions: [0] }])
    const producer = h.producer()
    await h.clock.run(producer.connect())
    await h.clock.run(producer.send({ topic: 't', messages: [0, 1, 2].flatMap((i) => [{ value: `p0-${i}`, partition: 0 }, { value: `p1-${i}`, partition: 1 }]) }))
    await h.clock.runUntil(() => m.received.length === 3)
    await h.clock.advance(30_000)
    expect(m.received.every((r) => r.partition === 1)).toBe(true)
    m.consumer.resume([{ topic: 't', partitions: [0] }])
    expect(m.consumer.paused()).toEqual([])
    await h.clock.runUntil(() => m.received.length === 6)
    expect(m.received.slice(3).map((r) => r.value)).toEqual(['p0-0', 'p0-1', 'p0-2'])
    await h.clock.run(m.consumer.disconnect())
  })

  it('pausing a whole topic and resuming one partition of it', async () => {
    const h = harness()
    await h.createTopic('t', 2)
    const m = await h.start({ groupId: 'g', topics: ['t'] })
    m.consumer.pause([{ topic: 't' }])
    expect(m.consumer.paused()).toEqual([{ topic: 't', partitions: [0, 1] }])
    m.consumer.resume([{ topic: 't', partitions: [1] }])
    expect(m.consumer.paused()).toEqual([{ topic: 't', partitions: [0] }])
    m.consumer.resume([{ topic: 't' }])
    expect(m.consumer.paused()).toEqual([])
    expect(() => m.consumer.pause([{ topic: 't', partitions: ['x' as never] }])).toThrow(/Array of valid partitions/)
    await h.clock.run(m.consumer.disconnect())
  })

  it("the payload's pause() stops the partition after the current message and returns a resume function", async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 5)
    const consumer = h.consumer({ groupId: 'g' })
    const offsets: number[] = []
    let resume: (() => void) | undefined
    await h.clock.run(consumer.connect())
    await h.clock.run(consumer.subscribe({ topic: 't', fromBeginning: true }))
    await h.clock.run(
      consumer.run({
        eachMessage: async ({ message, pause }) => {
          offsets.push(Number(message.offset))
          if (message.offset === '1' && resume === undefined) resume = pause()
        },
      }),
    )
    await h.clock.runUntil(() => offsets.length === 2)
    await h.clock.advance(30_000)
    expect(offsets).toEqual([0, 1])
    expect(consumer.paused()).toEqual([{ topic: 't', partitions: [0] }])
    resume!()
    await h.clock.runUntil(() => offsets.length === 5)
    expect(offsets).toEqual([0, 1, 2, 3, 4])
    await h.clock.run(consumer.disconnect())
  })

  it('a partition paused by the handler of another before its batch starts stops after its current message, as KafkaJS checks pauses', async () => {
    // One broker, one worker: both partitions come in one fetch and their batches run one after the other, so the
    // second batch starts after the pause. The runner looks at pauses once per message only when one changed.
    const h = harness()
    await h.createTopic('t', 2)
    await h.produce('t', 20)
    const consumer = h.consumer({ groupId: 'g' })
    const seen: Array<[number, number]> = []
    await h.clock.run(consumer.connect())
    await h.clock.run(consumer.subscribe({ topic: 't', fromBeginning: true }))
    let first: number | undefined
    await h.clock.run(
      consumer.run({
        partitionsConsumedConcurrently: 1,
        eachMessage: async ({ partition, message }) => {
          seen.push([partition, Number(message.offset)])
          if (first === undefined) {
            first = partition
            consumer.pause([{ topic: 't', partitions: [1 - partition] }])
          }
        },
      }),
    )
    await h.clock.runUntil(() => first !== undefined)
    await h.clock.advance(30_000)
    const other = seen.filter(([p]) => p !== first)
    expect(other).toEqual([[1 - first!, 0]])
    expect(consumer.paused()).toEqual([{ topic: 't', partitions: [1 - first!] }])
    consumer.resume([{ topic: 't', partitions: [1 - first!] }])
    await h.clock.runUntil(() => seen.length === 20)
    const otherOffsets = seen.filter(([p]) => p !== first).map(([, offset]) => offset)
    expect(otherOffsets).toEqual([...otherOffsets.keys()])
    await h.clock.run(consumer.disconnect())
  })
})
