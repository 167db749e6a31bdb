/**
 * The adversary's consume-transform-produce member. KafkaJS's `sendOffsets` carries no group metadata (no KIP-447
 * fencing by generation), so zombies are fenced the pre-KIP-447 way, as Kafka Streams' `exactly_once` did: one
 * transactional id per input partition, whose producer each new owner initialises (InitProducerId bumps the epoch and
 * fences the previous owner's producer; KafkaJS sends it at a producer's first `transaction()`, not at `connect()`).
 *
 * The new owner of a partition fences before it reads where to start, as Streams initialised a task's producer before
 * the task read its committed offsets: InitProducerId ends the previous owner's transaction (committed or aborted, never
 * open), so the committed offset read after it is the last one any owner can commit. Read before it, the offset may be
 * one a zombie then moves past, and both transform the same input (seed 34806: the consumer's position came from the
 * join, the zombie committed an input 2 ms before the new owner's first transaction fenced it, and the new owner
 * transformed it again). So the first record of each partition in a generation fences the partition's producer (an
 * empty transaction), reads the group's committed offset, and seeks to it if it is past that record.
 *
 * Two rules keep the pipeline live as well as exactly-once:
 * - A producer belongs to the generation that created it. Every join closes them all (Streams closed a task's producer
 *   when the task was revoked): one kept from an older generation may have been fenced meanwhile by the partition's
 *   interim owner, and would fail the first transaction of the new generation.
 * - After a failed transaction the member may be a zombie (fenced: PRODUCER_FENCED / INVALID_PRODUCER_EPOCH), so it
 *   must not initialise a new producer for that partition in the same generation: a zombie that did would fence the
 *   partition's new owner and commit its own output from a stale position. The partition waits for the next join, and
 *   the handler throws an error KafkaJS retries: the member heartbeats and rejoins, or restarts when retries run out.
 *   A fencing error itself is not retriable, and KafkaJS's consumer does not restart after a crash whose root cause is
 *   not retriable (`consumer/index.js` onCrash): rethrown as it is, it would stop the member for good.
 */
import type { Admin, Consumer, EachMessagePayload, Kafka, Producer } from 'kafkalite'

/** What one transformer needs from the run that starts it. */
export interface TransformerOptions {
  readonly kafka: Kafka
  /** Names the transformer in call names and in its outputs (`out:<input>:<index>`). */
  readonly index: number
  readonly groupId: string
  readonly input: string
  readonly output: string
  /** Bound of `run()`, which joins the group first. */
  readonly joinTimeoutMs: number
  /** Records a client call that must settle within its timeout. */
  readonly track: <T>(name: string, promise: Promise<T>, timeoutMs?: number) => Promise<T>
  /** Called when a transaction starts and when it ends, whatever its outcome. */
  readonly onTransaction?: (open: boolean) => void
  /** Called when the transaction that transformed `input` committed. */
  readonly onTransformed: (input: string) => void
}

/** A transformer: its consumer, the admin it reads committed offsets with, and the producers of its current generation. */
export interface Transformer {
  readonly consumer: Consumer
  readonly admin: Admin
  readonly producers: ReadonlyMap<number, Producer>
  /** Connects, subscribes and runs: settles once the consumer has joined its group. */
  start(): Promise<void>
}

/** The input a transformer output names (`out:<input>:<index>`), or null. */
export function inputOfOutput(value: string): string | null {
  return value.split(':')[1] ?? null
}

/** A transformer, not started: once started it transforms each input in a transaction with its consumed offset. */
export function createTransformer(options: TransformerOptions): Transformer {
  const { kafka, index, groupId, input, output, track } = options
  const name = `transformer-${index}`
  const producers = new Map<number, Producer>()
  /** Partitions whose transaction failed in this generation: no new producer for them until the next join. */
  const waiting = new Set<number>()
  /** Partitions fenced in this generation, their position checked against the committed offset read after. */
  const fenced = new Set<number>()
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 })
  const admin = kafka.admin()
  let adminConnected: Promise<void> | undefined
  const closeProducers = (): void => {
    for (const producer of producers.values()) void producer.disconnect().catch(() => undefined)
    producers.clear()
    waiting.clear()
    fenced.clear()
  }
  // Emitted synchronously when the join completes, before the new generation's first fetch.
  consumer.on(consumer.events.GROUP_JOIN, closeProducers)
  const producerFor = async (partition: number): Promise<Producer> => {
    const kept = producers.get(partition)
    if (kept !== undefined) return kept
    const producer = kafka.producer({ transactionalId: `transform-${input}-${partition}`, idempotent: true, maxInFlightRequests: 1 })
    try {
      await track(`${name}.producer(${partition}).connect`, producer.connect())
    } catch (e) {
      void producer.disconnect().catch(() => undefined)
      throw e
    }
    producers.set(partition, producer)
    return producer
  }
  const transform = async (producer: Producer, topic: string, partition: number, offset: string, value: string): Promise<void> => {
    options.onTransaction?.(true)
    try {
      const txn = await producer.transaction()
      try {
        await txn.send({ topic: output, acks: -1, messages: [{ value: `out:${value}:${index}` }] })
        await txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition, offset: String(Number(offset) + 1) }] }] })
        await txn.commit()
      } catch (e) {
        await txn.abort().catch(() => undefined)
        throw e
      }
    } finally {
      options.onTransaction?.(false)
    }
    options.onTransformed(value)
  }
  /**
   * Fences the partition's earlier producers (KafkaJS sends InitProducerId at a producer's first transaction; an empty
   * one sends nothing else) and returns the group's committed offset for it, read after.
   */
  const fenceAndReadCommitted = async (producer: Producer, topic: string, partition: number): Promise<number> => {
    const empty = await producer.transaction()
    await empty.abort()
    // Connected here, not in start(): a failure is then the handler's, which KafkaJS retries, not a start that never runs.
    adminConnected ??= track(`${name}.admin.connect`, admin.connect()).catch((e: unknown) => {
      adminConnected = undefined
      throw e
    })
    await adminConnected
    const [offsets] = await track(`${name}.fetchOffsets`, admin.fetchOffsets({ groupId, topics: [topic] }))
    return Number(offsets?.partitions.find((p) => p.partition === partition)?.offset ?? -1)
  }
  const handle = async ({ topic, partition, message }: EachMessagePayload): Promise<void> => {
    const value = message.value?.toString() ?? ''
    if (waiting.has(partition)) throw new Error(`${name}: a transaction of ${topic}/${partition} failed in this generation; waiting for the next join`)
    let producer: Producer | undefined
    try {
      producer = await producerFor(partition)
      if (!fenced.has(partition)) {
        const committed = await fenceAndReadCommitted(producer, topic, partition)
        fenced.add(partition)
        if (committed > Number(message.offset)) {
          consumer.seek({ topic, partition, offset: String(committed) })
          return
        }
      }
      await transform(producer, topic, partition, message.offset, value)
    } catch (e) {
      if (producers.get(partition) === producer) producers.delete(partition)
      void producer?.disconnect().catch(() => undefined)
      waiting.add(partition)
      // A plain Error is retriable for KafkaJS: the consumer retries, then restarts; it never stops for good.
      throw new Error(`${name}: the transaction of ${topic}/${partition}@${message.offset} failed: ${(e as Error).message}`, { cause: e })
    }
  }
  const start = async (): Promise<void> => {
    await track(`${name}.connect`, consumer.connect())
    await track(`${name}.subscribe`, consumer.subscribe({ topics: [input], fromBeginning: true }))
    await track(`${name}.run`, consumer.run({ autoCommit: false, eachMessage: handle }), options.joinTimeoutMs)
  }
  return { consumer, admin, producers, start }
}
