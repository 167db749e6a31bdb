/**
 * What every API codec of the wire layer provides: its key, the versions it serves, its request
 * and response schemas, and `serve`, which turns the decoded request into the protocol request of
 * the same broker handler the in-process transport calls, sends it through the cluster's
 * transport (so request hooks and faults apply), and maps the answer back to wire fields.
 */
import type { ApiName, RequestOf, ResponseOf } from '../protocol/index.js'
import type { SaslAuthenticator, SaslMechanism } from './sasl.js'
import type { SaslExchange } from './sasl-exchange.js'
import type { Message, Schema } from './schema.js'

/** The host and port a broker is advertised at (Metadata, FindCoordinator, DescribeCluster). */
export interface AdvertisedAddress {
  readonly host: string
  readonly port: number
}

/** What a codec may use while serving one request on one connection. */
export interface ServeContext {
  /** The client id of the request header. */
  readonly clientId: string
  /** Sends a protocol request to this connection's broker through the cluster transport. */
  send<K extends ApiName>(api: K, request: RequestOf<K>): Promise<ResponseOf<K>>
  /** Where a broker listens, or undefined for a broker without a listener. */
  address(brokerId: number): AdvertisedAddress | undefined
  /** Every API the listener serves with its version range, for ApiVersions. */
  served(): ReadonlyArray<{ readonly key: number; readonly minVersion: number; readonly maxVersion: number }>
  /** SASL state of the connection (SaslHandshake, SaslAuthenticate). */
  readonly sasl: SaslState
  /** A log line at the listener's logger. */
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void
}

/** Where a connection is in SASL authentication (KIP-43, KIP-152). */
export interface SaslState {
  mechanism: SaslMechanism | null
  /** The authentication SaslHandshake started, until it succeeds or fails. */
  exchange: SaslExchange | null
  authenticatedAs: string | null
  /** After a SaslHandshake v0, the next frames are raw SASL tokens, without a request header (KIP-43). */
  rawTokenNext: boolean
  /** The listener's users and mechanisms; when not enabled, SASL is off and any client is served. */
  readonly authenticator: SaslAuthenticator
}

/** The codec of one Kafka API. */
export interface ApiCodec {
  readonly key: number
  readonly name: string
  readonly minVersion: number
  readonly maxVersion: number
  /**
   * The lowest version ApiVersions advertises, when it is below {@link minVersion}: Produce only, which Kafka 4.0
   * advertises from v0 while serving v3+ (KAFKA-18659), because librdkafka before 2.8 enables gzip and snappy only
   * against a broker that lists Produce v2.
   */
  readonly advertisedMinVersion?: number
  readonly request: Schema
  readonly response: Schema
  /**
   * Serves a decoded request; resolves with the response fields (fields left out, such as
   * throttleTimeMs, take the schema default), or null when Kafka sends no response (acks=0).
   */
  serve(ctx: ServeContext, request: Message, version: number): Promise<Message | null>
  /** ApiVersions only: its response header is v0 in every version, so a client that does not yet know the broker's versions can read it (KIP-511). */
  readonly responseHeaderV0?: boolean
}

/** The response header version for an API version: v1 (with tagged fields) when flexible, except ApiVersions (KIP-511: always v0). */
export function responseHeaderVersion(codec: ApiCodec, version: number): 0 | 1 {
  if (codec.responseHeaderV0 === true) return 0
  return version >= codec.response.flexibleFrom ? 1 : 0
}

/** The request header version: v2 (tagged fields) when flexible, else v1. */
export function requestHeaderVersion(codec: ApiCodec, version: number): 1 | 2 {
  return version >= codec.request.flexibleFrom ? 2 : 1
}
