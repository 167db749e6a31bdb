/**
 * What every client made by one `Kafka` instance shares: the cluster connection, its client id,
 * retry and timeout settings, and the logger. `Kafka.producer()`, `.consumer()` and `.admin()`
 * hand it to the client they create.
 */
import type { ClientBootstrap } from './network/client-bootstrap.js'
import { BrokerRouter, type NetworkInstrumentation } from './network/broker-router.js'
import type { Logger } from './logger.js'
import type { RetryOptions } from './retry.js'

/** Shared settings of the clients of one `Kafka` instance. */
export interface ClientContext {
  readonly connection: ClientBootstrap
  readonly clientId: string
  /** The principal the clients act as (ACLs); undefined for Kafka's `User:ANONYMOUS`. */
  readonly principal?: string
  readonly requestTimeout: number
  readonly retry: RetryOptions
  readonly logger: Logger
}

/** A fresh cluster client (metadata cache, coordinator lookup) for one producer, consumer or admin. */
export function createBrokerRouter(
  context: ClientContext,
  overrides: { retry?: RetryOptions; allowAutoTopicCreation?: boolean; metadataMaxAge?: number; network?: NetworkInstrumentation } = {},
): BrokerRouter {
  return new BrokerRouter(context.connection, {
    clientId: context.clientId,
    principal: context.principal,
    requestTimeout: context.requestTimeout,
    retry: { ...context.retry, ...overrides.retry },
    allowAutoTopicCreation: overrides.allowAutoTopicCreation,
    metadataMaxAge: overrides.metadataMaxAge,
    network: overrides.network,
  })
}
