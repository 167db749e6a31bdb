/**
 * What every client made by one `Kafka` instance shares: the cluster connection, its client id,
 * retry and timeout settings, and the logger. `Kafka.producer()`, `.consumer()` and `.admin()`
 * hand it to the client they create.
 */
import type { ClusterConnection } from './cluster/cluster-connection.js'
import { ClusterClient, type NetworkInstrumentation } from './cluster/cluster-client.js'
import type { Logger } from './logger.js'
import type { RetryOptions } from './retry.js'

/** Shared settings of the clients of one `Kafka` instance. */
export interface ClientContext {
  readonly connection: ClusterConnection
  readonly clientId: string
  /** The principal the clients act as (ACLs); undefined for Kafka's `User:ANONYMOUS`. */
  readonly principal?: string
  readonly requestTimeout: number
  readonly retry: RetryOptions
  readonly logger: Logger
}

/** A fresh cluster client (metadata cache, coordinator lookup) for one producer, consumer or admin. */
export function createClusterClient(
  context: ClientContext,
  overrides: { retry?: RetryOptions; allowAutoTopicCreation?: boolean; metadataMaxAge?: number; network?: NetworkInstrumentation } = {},
): ClusterClient {
  return new ClusterClient(context.connection, {
    clientId: context.clientId,
    principal: context.principal,
    requestTimeout: context.requestTimeout,
    retry: { ...context.retry, ...overrides.retry },
    allowAutoTopicCreation: overrides.allowAutoTopicCreation,
    metadataMaxAge: overrides.metadataMaxAge,
    network: overrides.network,
  })
}
