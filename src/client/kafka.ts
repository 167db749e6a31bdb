/**
 * The `Kafka` client, as KafkaJS's: one per application, holding the connection to a cluster and
 * the shared settings, and making producers, consumers and admins. Unlike KafkaJS, it connects to
 * an in-process {@link ClusterConnection} (`cluster`) rather than to `brokers` over TCP.
 */
import type { ClientContext } from './client-context.js'
import type { ClusterConnection } from './cluster/cluster-connection.js'
import { Admin, type AdminConfig } from './admin/admin.js'
import { Consumer } from './consumer/consumer.js'
import { KafkaJSNonRetriableError } from './errors.js'
import { createLogger, logLevel as LogLevels, type LogCreator, type Logger, type LogLevel } from './logger.js'
import { Producer, type ProducerConfig } from './producer/producer.js'
import type { RetryOptions } from './retry.js'
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
  cluster?: ClusterConnection
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
    if (!(Number.isFinite(requestTimeout) && requestTimeout > 0)) {
      throw new KafkaJSNonRetriableError(`requestTimeout must be a positive number of ms, got ${String(config.requestTimeout)}`)
    }
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
    return new Producer(this.context, config)
  }

  /** A new consumer in group `config.groupId` (KafkaJS `kafka.consumer(config)`). */
  consumer(config: ConsumerConfig): Consumer {
    return new Consumer(this.context, config)
  }

  /** A new admin client (KafkaJS `kafka.admin(config)`). */
  admin(config: AdminConfig = {}): Admin {
    return new Admin(this.context, config)
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
