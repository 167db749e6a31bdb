/**
 * KafkaJS's producer: `connect`, `send`, `sendBatch`, `disconnect`, instrumentation events. The
 * send path lives in `message-sender.ts`; this facade holds the configuration, the connection
 * status, and the checks every call makes first.
 */
import { createBrokerRouter, type ClientContext } from '../client-context.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSError, KafkaJSNonRetriableError } from '../errors.js'
import { InstrumentationEmitter, type InstrumentationEvent, type RemoveInstrumentationEventListener } from '../instrumentation/instrumentation-emitter.js'
import type { Logger } from '../logger.js'
import type { ProducerBatch, ProducerRecord, RecordMetadata } from '../message-types.js'
import { DefaultPartitioner } from '../partitioners/index.js'
import type { ICustomPartitioner, PartitionerArgs } from '../partitioners/partitioner-types.js'
import type { RetryOptions } from '../retry.js'
import { ensureIdempotentIdentity, Idempotence } from './idempotence.js'
import { sendMessages, type ProducerIdentity } from './message-sender.js'
import { ProducerEvents, type ProducerEventName } from './producer-events.js'
import { checkSendOptions, checkTopicMessages } from './send-validation.js'
import { createTransaction, type Transaction } from './transaction.js'
import { DEFAULT_TRANSACTION_TIMEOUT, TransactionManager } from './transaction-manager.js'

/** KafkaJS's `ProducerConfig`. */
export interface ProducerConfig {
  /** Partitioner factory (default `Partitioners.DefaultPartitioner`, Java-compatible). */
  createPartitioner?: ICustomPartitioner
  /** Overrides the client's `retry` for this producer. */
  retry?: RetryOptions
  /** Metadata older than this is reloaded before a send (default 300000 ms). */
  metadataMaxAge?: number
  /** Ask the broker to create unknown topics on first use (default true; the broker's `auto.create.topics.enable` must allow it). */
  allowAutoTopicCreation?: boolean
  /**
   * KIP-98 idempotence: the producer gets an id at `connect`, numbers every batch per partition,
   * and the broker drops a retried batch it already holds. Requires acks -1 (all) on every send
   * and `retry.retries` >= 1, as KafkaJS.
   */
  idempotent?: boolean
  /**
   * Makes the producer transactional (KIP-98): messages go through `producer.transaction()`, and
   * a new producer with the same id fences this one.
   */
  transactionalId?: string
  /** How long a transaction may stay open before the coordinator aborts it (default 60000 ms; at most the broker's `transaction.max.timeout.ms`). */
  transactionTimeout?: number
  /**
   * Accepted, as KafkaJS 2.2.4 accepts it without checking it against idempotence: a plain send is
   * one request per leader, awaited in parallel; an idempotent producer sends one batch set at a time.
   */
  maxInFlightRequests?: number
}

const DEFAULT_METADATA_MAX_AGE = 300_000
const DEFAULT_SEND_TIMEOUT = 30_000

/** A KafkaJS-compatible producer; create it with `kafka.producer()`. */
export class Producer {
  /** The event names accepted by {@link Producer.on}. */
  readonly events = ProducerEvents
  private readonly client: BrokerRouter
  private readonly emitter: InstrumentationEmitter
  private readonly partitioner: (args: PartitionerArgs) => number
  private readonly log: Logger
  private readonly transactionalId: string | undefined
  private readonly idempotent: boolean
  private readonly idempotence = new Idempotence()
  private readonly transactions: TransactionManager | undefined
  private connected = false

  constructor(context: ClientContext, config: ProducerConfig = {}) {
    this.idempotent = config.idempotent === true
    const retries = config.retry?.retries ?? context.retry.retries
    if (this.idempotent && retries !== undefined && retries < 1) {
      throw new KafkaJSNonRetriableError('Idempotent producer must allow retries to protect against transient errors')
    }
    this.log = context.logger.namespace('Producer')
    if (this.idempotent && retries !== undefined && retries < Number.MAX_SAFE_INTEGER) {
      this.log.warn('Limiting retries for the idempotent producer may invalidate EoS guarantees')
    }
    this.transactionalId = config.transactionalId
    this.emitter = new InstrumentationEmitter({ clock: context.connection.clock, events: ProducerEvents, client: 'producer', log: this.log })
    this.client = createBrokerRouter(context, {
      retry: config.retry,
      allowAutoTopicCreation: config.allowAutoTopicCreation ?? true,
      metadataMaxAge: config.metadataMaxAge ?? DEFAULT_METADATA_MAX_AGE,
      network: {
        request: (event) => this.emitter.emit(ProducerEvents.REQUEST, event),
        requestTimeout: (event) => this.emitter.emit(ProducerEvents.REQUEST_TIMEOUT, event),
      },
    })
    this.partitioner = (config.createPartitioner ?? DefaultPartitioner)({ random: context.connection.random })
    if (this.transactionalId) {
      this.transactions = new TransactionManager(this.client, this.log, this.transactionalId, config.transactionTimeout ?? DEFAULT_TRANSACTION_TIMEOUT)
    }
  }

  /** Loads cluster metadata; sends are refused until this resolves. */
  async connect(): Promise<void> {
    await this.client.refreshMetadata()
    this.connected = true
    this.emitter.emit(ProducerEvents.CONNECT, undefined)
    if (this.idempotent && !this.idempotence.isInitialized()) await ensureIdempotentIdentity(this.client, this.idempotence)
  }

  /** Stops accepting sends. Sends already under way complete (there is no socket to close in-process). */
  async disconnect(): Promise<void> {
    this.connected = false
    this.emitter.emit(ProducerEvents.DISCONNECT, undefined)
  }

  /** Whether the producer was created with `idempotent: true`. */
  isIdempotent(): boolean {
    return this.idempotent
  }

  /** The producer's logger (namespace `Producer`). */
  logger(): Logger {
    return this.log
  }

  /**
   * Adds an instrumentation listener; returns the function that removes it. A listener that throws
   * or rejects is logged, never propagated, as in KafkaJS.
   */
  on(eventName: ProducerEventName, listener: (event: InstrumentationEvent<any>) => unknown): RemoveInstrumentationEventListener {
    return this.emitter.on(eventName, listener)
  }


  /** Sends messages to one topic; resolves with one RecordMetadata per partition written (`[]` with acks=0). */
  // Not `async`: one promise fewer per send on the hot path; bad input still rejects, never throws.
  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    if (record === null || typeof record !== 'object') {
      return Promise.reject(new KafkaJSNonRetriableError(`Invalid record ${String(record)}: expected { topic, messages }`))
    }
    const { topic, messages, acks, timeout, compression } = record
    return this.sendBatch({ acks, timeout, compression, topicMessages: [{ topic, messages }] })
  }

  /** Sends messages to several topics in one go (one Produce request per partition leader). */
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    try {
      return this.startSend(batch)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** Validates and starts a send; throws on bad input (sendBatch turns that into a rejection). */
  private startSend(batch: ProducerBatch): Promise<RecordMetadata[]> {
    if (batch === null || typeof batch !== 'object') {
      throw new KafkaJSNonRetriableError(`Invalid batch ${String(batch)}: expected { topicMessages }`)
    }
    const topicMessages = batch.topicMessages ?? []
    checkTopicMessages(topicMessages)
    const acks = checkSendOptions(batch, this.idempotent)
    if (!this.connected) throw new KafkaJSError('The producer is disconnected')
    // On a producer with a transactionalId, a send outside a transaction is an ordinary send, idempotent
    // when `idempotent` is set, under a producer id of its own: KafkaJS's separate non-transactional EoS
    // manager. It is visible at once, to read_committed consumers too, and no transaction's abort undoes it.
    const request = { acks, timeout: batch.timeout ?? DEFAULT_SEND_TIMEOUT, topicMessages }
    if (!this.idempotent) return sendMessages({ client: this.client, partitioner: this.partitioner, logger: this.log }, request)
    const identity: ProducerIdentity = { idempotence: this.idempotence, transactionalId: null }
    return this.idempotence.exclusive(async () => {
      // After a batch given up that the broker may hold, the next send starts a new epoch (KIP-360).
      await ensureIdempotentIdentity(this.client, this.idempotence)
      return sendMessages({ client: this.client, partitioner: this.partitioner, logger: this.log, identity }, request)
    })
  }

  /**
   * Begins a transaction (InitProducerId at the first one). Only messages sent through the returned
   * object belong to it; end it with `commit` or `abort` before beginning another.
   */
  async transaction(): Promise<Transaction> {
    const manager = this.transactions
    if (manager === undefined) throw new KafkaJSNonRetriableError('Must provide transactional id for transactional producer')
    if (!this.connected) throw new KafkaJSError('The producer is disconnected')
    await manager.begin()
    const identity: ProducerIdentity = {
      idempotence: manager.idempotence,
      transactionalId: manager.transactionalId,
      addPartitions: (partitions) => manager.addPartitions(partitions),
    }
    return createTransaction(manager, async (batch) => {
      if (batch === null || typeof batch !== 'object') throw new KafkaJSNonRetriableError(`Invalid batch ${String(batch)}: expected { topicMessages }`)
      const topicMessages = batch.topicMessages ?? []
      checkTopicMessages(topicMessages)
      const acks = checkSendOptions(batch, true)
      if (!this.connected) throw new KafkaJSError('The producer is disconnected')
      const request = { acks, timeout: batch.timeout ?? DEFAULT_SEND_TIMEOUT, topicMessages }
      return manager.idempotence.exclusive(async () => {
        manager.checkSendable()
        try {
          return await sendMessages({ client: this.client, partitioner: this.partitioner, logger: this.log, identity }, request)
        } catch (error) {
          manager.sendFailed(error as Error)
          throw error
        }
      })
    })
  }
}
