/**
 * Runs the listeners of service objects on a `Kafka` client, as Spring's listener container does:
 * one consumer per (object, listener) in the listener's group, so two objects of one class are two
 * members of the group and share its partitions, like two instances of a scaled-out service. Each
 * retry-topic delay gets its own consumer and group (`<groupId>-retry-<delayMs>`), so that waiting for
 * a retry never holds up the main topic.
 */
import type { Clock } from '../time/clock.js'
import type { SeededRandom } from '../time/seeded-random.js'
import { resolveTime, type ConsumerLike, type ConsumerOptions, type KafkaLike, type ProducerLike, type TimeSource } from './client-api.js'
import { InvalidListenerError, ListenerStoppedError } from './errors.js'
import { FailedRecordPublisher, type TopicSpec } from './failed-record-publisher.js'
import { listenersOf, type ListenerDefinition } from './kafka-listener.js'
import { ListenerPipeline, type ListenerEvent } from './listener-pipeline.js'

/** KafkaJS's default `heartbeatInterval`. */
const DEFAULT_HEARTBEAT_INTERVAL = 3000

/** Options of {@link startListeners}. */
export interface StartListenersOptions extends TimeSource {
  /** Consumer settings for every consumer the container creates (session timeout, heartbeat interval, ...). */
  consumer?: ConsumerOptions
  /**
   * Create missing topics before starting (default true): typed topics with `numPartitions`, and
   * retry and dead-letter topics with as many partitions as their source topic (as Spring's
   * `autoCreateTopics`).
   */
  createTopics?: boolean
  /** Called for each failed attempt, backoff, retry-topic forward and dead-lettered record. */
  onEvent?: (event: ListenerEvent) => void
}

/** One consumer the container runs; `consumer` has the client's own consumer type (events, `describeGroup`, ...). */
export interface RunningConsumer<C extends ConsumerLike = ConsumerLike> {
  /** `ClassName.method` of the listener. */
  readonly listenerId: string
  /** The object whose method handles the records. */
  readonly instance: object
  readonly groupId: string
  readonly topics: readonly string[]
  /** `main` for the listener's own topics, `retry` for one retry-topic delay. */
  readonly role: 'main' | 'retry'
  readonly consumer: C
}

/** The running listeners. */
export interface ListenerContainer<C extends ConsumerLike = ConsumerLike> {
  readonly consumers: readonly RunningConsumer<C>[]
  /** The clock the listeners wait on. */
  readonly clock: Clock
  /**
   * Stops every listener: in-flight attempts and waits are aborted (their records stay uncommitted and
   * are delivered again later), then every consumer leaves its group and disconnects. Idempotent.
   */
  stop(): Promise<void>
}

interface ConsumerPlan {
  listener: ListenerDefinition
  instance: object
  groupId: string
  topics: string[]
  role: 'main' | 'retry'
  fromBeginning: boolean
}

function planConsumers(instances: readonly object[]): ConsumerPlan[] {
  if (!Array.isArray(instances) || instances.length === 0) {
    throw new InvalidListenerError('startListeners(kafka, instances) needs a non-empty array of objects with @KafkaListener methods')
  }
  const plans: ConsumerPlan[] = []
  for (const instance of instances) {
    const listeners = typeof instance === 'object' && instance !== null ? listenersOf(instance) : []
    if (listeners.length === 0) {
      const name = (instance as { constructor?: { name?: string } } | null)?.constructor?.name ?? String(instance)
      throw new InvalidListenerError(`startListeners: ${name} has no @KafkaListener methods`)
    }
    for (const listener of listeners) {
      const { groupId, topics, fromBeginning, retryTopics } = listener.options
      plans.push({ listener, instance, groupId, topics: [...topics], role: 'main', fromBeginning })
      const byGroup = new Map<string, string[]>()
      for (const plan of retryTopics.values()) {
        for (const topic of plan.topics) {
          const retryGroup = `${groupId}${plan.retryTopicSuffix}-${plan.delayOf.get(topic)!}`
          byGroup.set(retryGroup, [...(byGroup.get(retryGroup) ?? []), topic])
        }
      }
      // Retry records were published before this group may have existed: always read them from the start.
      for (const [retryGroup, retryTopicNames] of byGroup) {
        plans.push({ listener, instance, groupId: retryGroup, topics: retryTopicNames, role: 'retry', fromBeginning: true })
      }
    }
  }
  checkRetryTopicsNotShared(plans)
  return plans
}

/** Two groups reading one retry topic would each retry the other's failures (Spring 3.0 asks for distinct suffixes too). */
function checkRetryTopicsNotShared(plans: readonly ConsumerPlan[]): void {
  const ownerOf = new Map<string, string>()
  for (const plan of plans) {
    if (plan.role !== 'retry') continue
    for (const topic of plan.topics) {
      const owner = ownerOf.get(topic)
      if (owner !== undefined && owner !== plan.listener.options.groupId) {
        throw new InvalidListenerError(
          `Retry topic "${topic}" would be shared by groups "${owner}" and "${plan.listener.options.groupId}"; ` +
            'give one of the listeners its own retryTopics.retryTopicSuffix',
        )
      }
      ownerOf.set(topic, plan.listener.options.groupId)
    }
  }
}

async function createMissingTopics(publisher: FailedRecordPublisher, listeners: readonly ListenerDefinition[]): Promise<void> {
  const sources = [...new Set(listeners.flatMap((listener) => listener.options.topics))]
  const known = await publisher.existingPartitionCounts(sources)
  const specs: TopicSpec[] = []
  for (const listener of listeners) {
    for (const [topic, decoder] of listener.options.decoders) {
      if (!known.has(topic) && decoder.numPartitions !== undefined) {
        specs.push({ topic, numPartitions: decoder.numPartitions, replicationFactor: decoder.replicationFactor })
        known.set(topic, decoder.numPartitions)
      }
    }
  }
  for (const listener of listeners) {
    for (const topic of listener.options.topics) {
      const numPartitions = known.get(topic)
      if (numPartitions === undefined) continue
      const derived = [...(listener.options.retryTopics.get(topic)?.topics ?? []), listener.options.deadLetterTopics.get(topic)]
      for (const name of derived) if (name !== undefined) specs.push({ topic: name, numPartitions })
    }
  }
  await publisher.ensureTopics(specs)
}

/**
 * Starts the `@KafkaListener` methods of `instances` on `kafka`: creates missing topics, then one
 * consumer per (object, listener) and per retry-topic delay, subscribes and runs them. Resolves once
 * every consumer runs (KafkaJS `run()` does not wait for the group to form); rejects, after stopping
 * whatever had started, if any of them fails to start.
 *
 * ```ts
 * const container = await startListeners(kafka, [new InventoryService(), new InventoryService()], { clock })
 * ...
 * await container.stop()
 * ```
 */
export async function startListeners<K extends KafkaLike>(
  kafka: K,
  instances: readonly object[],
  options: StartListenersOptions = {},
): Promise<ListenerContainer<ReturnType<K['consumer']>>> {
  type C = ReturnType<K['consumer']>
  const plans = planConsumers(instances)
  const time: { clock: Clock; random: SeededRandom } = resolveTime(kafka, options)
  const stopper = new AbortController()
  const consumers: RunningConsumer<C>[] = []
  const admin = kafka.admin()
  const producer: ProducerLike = kafka.producer()
  let stopping: Promise<void> | undefined

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      stopper.abort(new ListenerStoppedError())
      await Promise.allSettled(consumers.map(({ consumer }) => consumer.disconnect()))
      await Promise.allSettled([producer.disconnect(), admin.disconnect()])
    })()
    return stopping
  }

  try {
    await admin.connect()
    await producer.connect()
    const publisher = new FailedRecordPublisher(producer, admin)
    if (options.createTopics ?? true) await createMissingTopics(publisher, [...new Set(plans.map((plan) => plan.listener))])
    const pipelines = new Map<ListenerDefinition, Map<object, ListenerPipeline>>()
    const environment = {
      ...time,
      publisher,
      stopSignal: stopper.signal,
      heartbeatEveryMs: options.consumer?.heartbeatInterval ?? DEFAULT_HEARTBEAT_INTERVAL,
      onEvent: options.onEvent,
    }
    const starts: Array<() => Promise<void>> = []
    for (const plan of plans) {
      const byInstance = pipelines.get(plan.listener) ?? new Map<object, ListenerPipeline>()
      pipelines.set(plan.listener, byInstance)
      const pipeline = byInstance.get(plan.instance) ?? new ListenerPipeline(plan.listener, environment)
      byInstance.set(plan.instance, pipeline)

      const consumer = kafka.consumer({ ...options.consumer, groupId: plan.groupId }) as C
      consumers.push({ listenerId: plan.listener.id, instance: plan.instance, groupId: plan.groupId, topics: plan.topics, role: plan.role, consumer })
      starts.push(async () => {
        await consumer.connect()
        await consumer.subscribe({ topics: plan.topics, fromBeginning: plan.fromBeginning })
        await consumer.run({
          partitionsConsumedConcurrently: plan.listener.options.concurrency,
          eachMessage: (payload) => pipeline.process(payload),
        })
      })
    }
    // Start every member at once, as separate processes would: the group forms in one rebalance
    // instead of one per member (run() waits for the member's join and sync).
    const started = await Promise.allSettled(starts.map((start) => start()))
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  } catch (error) {
    await stop()
    throw error
  }
  return { consumers, clock: time.clock, stop }
}
