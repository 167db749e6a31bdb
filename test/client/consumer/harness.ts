/**
 * Test harness for the consumer: a cluster on virtual time, producers and consumers made from one
 * client context, and helpers that collect what a consumer receives.
 */
import { Cluster } from '../../../src/cluster.js'
import { createBrokerRouter, type ClientContext } from '../../../src/client/client-context.js'
import { Consumer } from '../../../src/client/consumer/consumer.js'
import type { ConsumerConfig, ConsumerRunConfig } from '../../../src/client/consumer/consumer-config.js'
import { createLogger, logLevel } from '../../../src/client/logger.js'
import { Producer } from '../../../src/client/producer/producer.js'
import { VirtualClock } from '../../../src/time/index.js'
import type { ClusterOptions } from '../../../src/cluster.js'

export interface Harness {
  clock: VirtualClock
  cluster: Cluster
  context: ClientContext
  consumer(config: ConsumerConfig, clientId?: string): Consumer
  producer(): Producer
  /** Sends `count` keyed messages `${prefix}-${i}` to `topic`, spread over its partitions by key. */
  produce(topic: string, count: number, prefix?: string): Promise<void>
  /** Creates a topic with `partitions` partitions. */
  createTopic(topic: string, partitions: number): Promise<void>
  /** The group's committed offsets of a topic, by partition (OffsetFetch); partitions never committed are left out. */
  committed(groupId: string, topic: string): Promise<Map<number, number>>
  /** Connects, subscribes and runs a consumer that records every message it gets. */
  start(options: StartOptions): Promise<Member>
}

export interface StartOptions extends Partial<ConsumerConfig> {
  groupId: string
  topics: string[]
  fromBeginning?: boolean
  clientId?: string
  run?: Omit<ConsumerRunConfig, 'eachMessage'>
  /** Runs before each message is recorded (e.g. to fail or to block). */
  onMessage?: (message: Received) => Promise<void> | void
  /** Called with the consumer before it connects, e.g. to add event listeners. */
  setup?: (consumer: Consumer) => void
}

export interface Member {
  consumer: Consumer
  received: Received[]
  /** The member's partitions as its last GROUP_JOIN reported them, and how many joins it went through. */
  group: { assignment: Record<string, number[]>; joins: number }
}

export function harness(options: ClusterOptions & { logs?: boolean } = {}): Harness {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 1, seed: 1, ...options, clock })
  const logger = createLogger({ level: options.logs === true ? logLevel.DEBUG : logLevel.NOTHING, now: () => clock.now() })
  const contextFor = (clientId: string): ClientContext => ({ connection: cluster, clientId, requestTimeout: 30_000, retry: {}, logger })
  const context = contextFor('test')
  let producer: Producer | undefined
  const h: Harness = {
    clock,
    cluster,
    context,
    consumer: (config, clientId = 'test') => new Consumer(contextFor(clientId), config),
    producer: () => new Producer(context, {}),
    async produce(topic, count, prefix = 'm') {
      if (producer === undefined) {
        producer = h.producer()
        await clock.run(producer.connect())
      }
      const messages = Array.from({ length: count }, (_, i) => ({ key: `k-${prefix}-${i}`, value: `${prefix}-${i}` }))
      await clock.run(producer.send({ topic, messages }))
    },
    async createTopic(topic, partitions) {
      const response = await clock.run(
        createBrokerRouter(context).sendToAny('CreateTopics', {
          topics: [{ name: topic, numPartitions: partitions, replicationFactor: -1, replicaAssignment: [], configs: [] }],
          timeoutMs: 1000,
          validateOnly: false,
        }),
      )
      const error = response.topics[0]?.errorCode
      if (error !== 0) throw new Error(`createTopic ${topic} failed with error code ${error}`)
    },
    async committed(groupId, topic) {
      const client = createBrokerRouter(context)
      const coordinator = await clock.run(client.findCoordinator(groupId))
      const response = await clock.run(client.send(coordinator, 'OffsetFetch', { groupId, topics: null, requireStable: false }))
      const result = new Map<number, number>()
      for (const t of response.topics) {
        if (t.topic !== topic) continue
        for (const p of t.partitions) if (p.offset >= 0) result.set(p.partition, p.offset)
      }
      return result
    },
    async start({ groupId, topics, fromBeginning = true, clientId, run, onMessage, setup, ...config }) {
      const consumer = h.consumer({ groupId, ...config }, clientId)
      setup?.(consumer)
      const received: Received[] = []
      const group = { assignment: {} as Record<string, number[]>, joins: 0 }
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        group.assignment = event.payload.memberAssignment
        group.joins++
      })
      await clock.run(consumer.connect())
      await clock.run(consumer.subscribe({ topics, fromBeginning }))
      await clock.run(
        consumer.run({
          ...run,
          eachMessage: async ({ topic, partition, message }) => {
            const r = { topic, partition, offset: Number(message.offset), key: message.key?.toString() ?? null, value: message.value?.toString() ?? null }
            await onMessage?.(r)
            received.push(r)
          },
        }),
      )
      return { consumer, received, group }
    },
  }
  return h
}

/** A received message, flattened for assertions. */
export interface Received {
  topic: string
  partition: number
  offset: number
  key: string | null
  value: string | null
}

/** An eachMessage handler that records what it receives into `into`. */
export function collect(into: Received[]) {
  return async ({ topic, partition, message }: { topic: string; partition: number; message: { offset: string; key: Buffer | null; value: Buffer | null } }) => {
    into.push({ topic, partition, offset: Number(message.offset), key: message.key?.toString() ?? null, value: message.value?.toString() ?? null })
  }
}
