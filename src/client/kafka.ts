/**
 * The `Kafka` client, as KafkaJS's: one per application, holding the connection to a cluster and
 * the shared settings, and making producers, consumers and admins. Unlike KafkaJS, it connects to
 * an in-process {@link ClientBootstrap} (`cluster`) rather than to `brokers` over TCP.
 */
import type { ClientContext } from './client-context.js'
import type { ClientBootstrap, TrackedClient } from './network/client-bootstrap.js'
import { Admin, type AdminConfig } from './admin/admin.js'
import { Consumer } from './consumer/consumer.js'
import { KafkaJSNonRetriableError } from './errors.js'
import { createLogger, logLevel as LogLevels, type LogCreator, type Logger, type LogLevel } from './logger.js'
import { Producer, type ProducerConfig } from './producer/producer.js'
import { checkRetryOptions, type RetryOptions } from './retry.js'
import { isWithin, MAX_INT32, showValue } from './numeric-option.js'
import type { Clock } from '../time/clock.js'
import type { SeededRandom } from '../time/seeded-random.js'

/** KafkaJS's default `requestTimeout`. */
const DEFAULT_REQUEST_TIMEOUT = 30_000

/** The consumer's config, as the consumer declares it (KafkaJS's `ConsumerConfig`). */
export type ConsumerConfig = ConstructorParameters<typeof Consumer>[1]

/**
 * KafkaJS's `KafkaConfig`, plus `cluster`. Network settings (`brokers`, `ssl`, `sasl`,
 * `connectionTimeout`, ...) are accepted so that KafkaJS configs type-check, and ignored: there is
 * no network in-process.
 */
export interface KafkaConfig {
  /** The cluster to connect to. Required, except through `kafkalite/kafkajs`, which supplies its default cluster. */
  cluster?: ClientBootstrap
  /** Accepted for KafkaJS compatibility; the cluster decides which brokers exist. */
  brokers?: string[] | (() => string[] | Promise<string[]>)
  /** Sent with every request and shown in group descriptions (default `'kafkajs'`, as KafkaJS). */
  clientId?: string
  /** How long a request may wait for its response, in ms of cluster time (default 30000). */
  requestTimeout?: number
  /** Retry settings shared by every client of this instance (KafkaJS's `retry`). */
  retry?: RetryOptions
  logLevel?: LogLevel
  logCreator?: LogCreator
  /** Accepted and ignored (no connections in-process). */
  connectionTimeout?: number
  /** Accepted and ignored. */
  authenticationTimeout?: number
  /** Accepted and ignored. */
  reauthenticationThreshold?: number
  /** Accepted and ignored: kafkalite always enforces `requestTimeout`. */
  enforceRequestTimeout?: boolean
  /** Accepted and ignored (no TLS in-process). */
  ssl?: unknown
  /** Accepted and ignored (no authentication in-process): give `principal` instead. */
  sasl?: unknown
  /**
   * The principal this client acts as, e.g. `'User:orders-service'`: what SASL would authenticate
   * on a real cluster. A cluster with an `authorizer` checks every request against its ACLs for
   * it; without one it is ignored. Default: Kafka's `User:ANONYMOUS`. A kafkalite extra.
   */
  principal?: string
  /** Accepted and ignored (no sockets in-process). */
  socketFactory?: unknown
}

/** Registers a new client with its cluster, so that closing the cluster disconnects it. */
function tracked<T extends TrackedClient>(context: ClientContext, client: T): T {
  context.connection.track?.(client)
  return client
}

/**
 * A KafkaJS-compatible client for a kafkalite cluster.
 *
 * ```ts
 * const kafka = new Kafka({ clientId: 'shop', cluster })
 * const producer = kafka.producer()
 * ```
 */
export class Kafka {
  private readonly context: ClientContext

  constructor(config: KafkaConfig) {
    if (config === null || typeof config !== 'object') {
      throw new KafkaJSNonRetriableError(`new Kafka(config) needs a config object, got ${String(config)}`)
    }
    const { cluster } = config
    if (cluster === undefined || cluster === null) {
      throw new KafkaJSNonRetriableError(
        'new Kafka() needs a cluster: pass `cluster: new Cluster()`, or import Kafka from "kafkalite/kafkajs" to use the default cluster',
      )
    }
    const requestTimeout = config.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT
    // Kafka's request.timeout.ms is an INT32.
    if (!isWithin(requestTimeout, { min: 1 })) {
      throw new KafkaJSNonRetriableError(`requestTimeout must be a positive number of ms up to ${MAX_INT32}, got ${showValue(config.requestTimeout)}`)
    }
    if (config.retry !== undefined) checkRetryOptions(config.retry)
    this.context = {
      connection: cluster,
      clientId: config.clientId ?? 'kafkajs',
      principal: config.principal,
      requestTimeout,
      retry: config.retry ?? {},
      logger: createLogger({ level: config.logLevel ?? LogLevels.INFO, logCreator: config.logCreator, now: () => cluster.clock.now() }),
    }
  }

  /** A new producer (KafkaJS `kafka.producer(config)`). */
  producer(config: ProducerConfig = {}): Producer {
    const context = this.clientContext()
    return tracked(context, new Producer(context, config))
  }

  /** A new consumer in group `config.groupId` (KafkaJS `kafka.consumer(config)`). */
  consumer(config: ConsumerConfig): Consumer {
    const context = this.clientContext()
    return tracked(context, new Consumer(context, config))
  }

  /** A new admin client (KafkaJS `kafka.admin(config)`). */
  admin(config: AdminConfig = {}): Admin {
    const context = this.clientContext()
    return tracked(context, new Admin(context, config))
  }

  /** The context a new client gets; `kafkalite/kafkajs` binds it to the default cluster of the moment. */
  protected clientContext(): ClientContext {
    return this.context
  }

  /** The cluster's clock: patterns (listeners, retry topics) wait on it, so they run on virtual time too. Not in KafkaJS. */
  get clock(): Clock {
    return this.context.connection.clock
  }

  /** The cluster's seeded random source, for reproducible backoff jitter in patterns. Not in KafkaJS. */
  get random(): SeededRandom {
    return this.context.connection.random
  }

  /** The root logger (KafkaJS `kafka.logger()`). */
  logger(): Logger {
    return this.context.logger
  }
}
