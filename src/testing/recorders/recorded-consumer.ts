/**
 * `recordConsumer(consumer, recording)`: a KafkaJS-API consumer whose group membership and deliveries land in a
 * {@link Recording}. Each GROUP_JOIN is a rebalance and an assignment of its generation; each COMMIT_OFFSETS a
 * successful commit; each message handed to `eachMessage` (or in a batch handed to `eachBatch`) a one-record poll and
 * a delivery with its partition, offset and generation; a handler that finishes with a record marks it processed.
 */
import type { Consumer, ConsumerRunConfig, EachBatchPayload, EachMessagePayload, KafkaMessage, TopicPartitionOffset } from 'kafkalite'
import type { Recording } from './recording.js'

/** What {@link recordConsumer} needs of a consumer: KafkaJS's `run`, `seek`, `on` and `events`. */
export type RecordableConsumer = Pick<Consumer, 'run' | 'seek' | 'on' | 'events'>

/** Options of {@link recordConsumer}. */
export interface RecordConsumerOptions {
  /** The history's process id of this member (default `consumer`). Give each member its own. */
  readonly process?: string
}

/**
 * Wraps `consumer` so that what it is given and what it commits is recorded in `recording`; everything else passes
 * through. Call it before `run`. The wrapper is the consumer (a `Proxy`), so it works with kafkalite's consumer and
 * with KafkaJS's alike; with KafkaJS, whose GROUP_JOIN does not say the generation, generations are counted joins.
 */
export function recordConsumer<C extends RecordableConsumer>(consumer: C, recording: Recording, options: RecordConsumerOptions = {}): C {
  const member = options.process ?? 'consumer'
  let group = ''
  let generation = -1
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const payload = event.payload as { groupId: string; generationId?: number; memberAssignment: Record<string, number[]> }
    group = payload.groupId
    generation = payload.generationId ?? generation + 1
    const partitions = Object.entries(payload.memberAssignment).flatMap(([topic, list]) => list.map((partition) => ({ topic, partition })))
    recording.history.record({ type: 'rebalance', process: member, partitions })
    recording.assignments.push({ group, generation, member, partitions, seq: recording.nextSeq() })
  })
  consumer.on(consumer.events.COMMIT_OFFSETS, (event) => {
    const payload = event.payload as { groupId: string; topics: Array<{ topic: string; partitions: Array<{ partition: string; offset: string }> }> }
    const offsets = payload.topics.flatMap(({ topic, partitions }) => partitions.map(({ partition, offset }) => ({ topic, partition: Number(partition), offset: Number(offset) })))
    recording.history.record({ type: 'commit', process: member, offsets, outcome: { type: 'ok' } })
    for (const o of offsets) recording.commits.push({ group: payload.groupId, ...o, member, seq: recording.nextSeq(), cause: 'commit' })
  })

  const deliver = (topic: string, partition: number, message: KafkaMessage) => {
    const delivery = { topic, partition, offset: Number(message.offset), value: message.value?.toString() ?? '', group, member, generation, seq: recording.nextSeq() }
    recording.history.record({ type: 'poll', process: member, records: [{ topic, partition, offset: delivery.offset, key: message.key?.toString() ?? null, value: delivery.value }] })
    recording.deliveries.push(delivery)
    return delivery
  }
  const processed = (delivery: ReturnType<typeof deliver>): void => {
    recording.processed.push({ ...delivery, seq: recording.nextSeq() })
  }

  const wrapEachMessage = (handler: NonNullable<ConsumerRunConfig['eachMessage']>) => async (payload: EachMessagePayload) => {
    const delivery = deliver(payload.topic, payload.partition, payload.message)
    await handler(payload)
    processed(delivery)
  }
  const wrapEachBatch = (handler: NonNullable<ConsumerRunConfig['eachBatch']>, autoResolve: boolean) => async (payload: EachBatchPayload) => {
    const { topic, partition, messages } = payload.batch
    const deliveries = messages.map((message) => deliver(topic, partition, message))
    const done = new Set<number>()
    const resolveUpTo = (offset: number): void => {
      for (const d of deliveries) {
        if (d.offset <= offset && !done.has(d.offset)) {
          done.add(d.offset)
          processed(d)
        }
      }
    }
    await handler({
      ...payload,
      resolveOffset: (offset: string) => {
        payload.resolveOffset(offset)
        resolveUpTo(Number(offset))
      },
    })
    if (autoResolve && deliveries.length > 0) resolveUpTo(deliveries.at(-1)!.offset)
  }

  const run = (config: ConsumerRunConfig = {}): Promise<void> =>
    consumer.run({
      ...config,
      ...(config.eachMessage === undefined ? {} : { eachMessage: wrapEachMessage(config.eachMessage) }),
      ...(config.eachBatch === undefined ? {} : { eachBatch: wrapEachBatch(config.eachBatch, config.eachBatchAutoResolve ?? true) }),
    })
  const seek = (target: TopicPartitionOffset): void => {
    consumer.seek(target)
    recording.history.record({ type: 'seek', process: member, topic: target.topic, partition: target.partition, offset: Number(target.offset) })
    recording.commits.push({ group, topic: target.topic, partition: target.partition, offset: Number(target.offset), member, seq: recording.nextSeq(), cause: 'seek' })
  }
  return new Proxy(consumer, {
    get(target, property, receiver) {
      if (property === 'run') return run
      if (property === 'seek') return seek
      const value: unknown = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
