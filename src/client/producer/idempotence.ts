/**
 * The idempotent producer's identity and sequence numbers (KIP-98), as KafkaJS's EosManager keeps
 * them: a producer id and epoch from InitProducerId, and per partition the sequence of the next
 * record. A batch gets its sequence once and keeps it through every retry, which is what lets the
 * broker recognise a retried batch it already appended.
 *
 * A sequence is never handed to a different batch once the broker may hold it: when a batch that
 * went out is given up (its answer lost, REQUEST_TIMED_OUT or NOT_ENOUGH_REPLICAS_AFTER_APPEND
 * after the leader appended, retries exhausted), the next send starts a new epoch with sequences
 * from 0, as the Java producer does (KIP-360): an idempotent producer bumps its epoch itself, a
 * new producer id once the epoch is exhausted; a transactional one asks its coordinator.
 *
 * Sends of an idempotent producer run one at a time (KafkaJS serialises them per broker with a
 * lock; kafkalite per producer), so a retry can never be overtaken by a later batch to the same
 * partition and sequences stay gap-free.
 */
import { topicPartitionKey } from '../../protocol/topic-partition.js'
import { NO_PRODUCER_ID } from '../../protocol/records.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { protocolError } from '../errors.js'

/** Kafka's sequence numbers are int32; they wrap to 0 (as KafkaJS's `updateSequence`). */
const INT32_MAX = 2 ** 31 - 1

/** Kafka's producer epoch is an int16: at `Short.MAX_VALUE` the Java producer takes a new producer id. */
const MAX_PRODUCER_EPOCH = 32767


/** The producer id, epoch and sequences of an idempotent or transactional producer. */
export class Idempotence {
  private id = NO_PRODUCER_ID
  private epoch = 0
  private sequences = new Map<string, number>()
  /** Set when a batch the broker may hold was given up: its sequences must not go to another batch. */
  private bumpRequired = false
  private queue: Promise<unknown> = Promise.resolve()

  get producerId(): number {
    return this.id
  }

  get producerEpoch(): number {
    return this.epoch
  }

  /** Whether InitProducerId has given this producer an id. */
  isInitialized(): boolean {
    return this.id !== NO_PRODUCER_ID
  }

  /** Whether a batch was given up that the broker may hold: the next send needs a new epoch first. */
  get epochBumpRequired(): boolean {
    return this.bumpRequired
  }

  /** Takes a new identity from InitProducerId: sequences start again at 0. */
  reset(producerId: number, producerEpoch: number): void {
    this.id = producerId
    this.epoch = producerEpoch
    this.sequences = new Map()
    this.bumpRequired = false
  }

  /**
   * Notes that a batch was given up while the broker may hold it (or the broker's sequences no
   * longer match ours): the Java producer's `requestEpochBumpForPartition` (KIP-360).
   */
  requireEpochBump(): void {
    this.bumpRequired = true
  }

  /**
   * The idempotent producer's own epoch bump (the Java producer's `bumpIdempotentProducerEpoch`):
   * the next epoch, sequences from 0 on every partition. Returns false, bumping nothing, when the
   * epoch is exhausted and a new producer id is needed.
   */
  bumpEpoch(): boolean {
    if (this.epoch >= MAX_PRODUCER_EPOCH) return false
    this.reset(this.id, this.epoch + 1)
    return true
  }

  /** Reserves `count` sequences on a partition; returns the first. */
  reserve(topic: string, partition: number, count: number): number {
    const key = topicPartitionKey(topic, partition)
    const base = this.sequences.get(key) ?? 0
    const next = base + count
    this.sequences.set(key, next > INT32_MAX ? next - INT32_MAX - 1 : next)
    return base
  }

  /** Gives back the sequences of a batch the broker certainly did not append (only the latest batch of its partition). */
  release(topic: string, partition: number, baseSequence: number): void {
    this.sequences.set(topicPartitionKey(topic, partition), baseSequence)
  }

  /** Runs `work` after every earlier one has settled: one idempotent send at a time. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work)
    this.queue = run.catch(() => undefined)
    return run
  }
}

/**
 * Makes an idempotent producer ready to send: an id at the first send, a new epoch after a batch
 * was given up (a new id once the epoch is exhausted), as the Java producer's
 * `bumpIdempotentEpochAndResetIdIfNeeded`.
 */
export async function ensureIdempotentIdentity(client: BrokerRouter, idempotence: Idempotence): Promise<void> {
  if (idempotence.isInitialized() && (!idempotence.epochBumpRequired || idempotence.bumpEpoch())) return
  await initIdempotentProducer(client, idempotence)
}

/**
 * InitProducerId for an idempotent producer without transactional id: any broker answers (KafkaJS
 * asks the controller). Retries retriable errors with the client's retrier.
 */
export async function initIdempotentProducer(client: BrokerRouter, idempotence: Idempotence): Promise<void> {
  const response = await client.retrier(async (bail) => {
    await client.refreshMetadataIfNecessary()
    const controller = client.controller()
    const result = controller >= 0 ? await client.send(controller, 'InitProducerId', { transactionalId: null, transactionTimeoutMs: -1 }) : await client.sendToAny('InitProducerId', { transactionalId: null, transactionTimeoutMs: -1 })
    const error = protocolError(result.errorCode, 'InitProducerId')
    if (error === undefined) return result
    if (error.retriable) throw error
    return bail(error)
  })
  idempotence.reset(response.producerId, response.producerEpoch)
}
