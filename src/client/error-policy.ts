/**
 * The client's error policy, in one place: which errors mean "reload metadata and retry", "rejoin
 * the group", "retry", or "give up". The producer's send loop, the consumer's runner, its group
 * membership and its restart decision all ask here instead of comparing `name` or `type` strings
 * themselves, so a new error is classified once. The classes follow KafkaJS's behaviour
 * (`isRebalancing`, the retriable flag of Kafka's error codes, `restartOnFailure`). Some classes
 * are recognised by `name`, as KafkaJS does, so that an error made by a second copy of the library
 * (its ESM and CommonJS builds both loaded) is classified the same.
 */
import { Errors } from '../protocol/error-codes.js'
import {
  KafkaJSConnectionError,
  KafkaJSMetadataNotLoaded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
  KafkaJSStaleTopicMetadataAssignment,
  isRebalancing,
} from './errors.js'

/**
 * The partition errors that mean a client's metadata is stale: the leader moved, the partition is
 * being created or moved, or the leader epoch changed (KIP-320). The cure is the same everywhere:
 * reload metadata and send the request again to the leader it names.
 */
const STALE_METADATA = new Set<number>([
  Errors.NOT_LEADER_OR_FOLLOWER.code,
  Errors.LEADER_NOT_AVAILABLE.code,
  Errors.UNKNOWN_TOPIC_OR_PARTITION.code,
  Errors.FENCED_LEADER_EPOCH.code,
  Errors.UNKNOWN_LEADER_EPOCH.code,
  Errors.REPLICA_NOT_AVAILABLE.code,
  Errors.KAFKA_STORAGE_ERROR.code,
])

// The `name`s of KafkaJS's error classes (string literals: a bundler may rename the classes themselves).
const NOT_IMPLEMENTED = 'KafkaJSNotImplemented'
const NO_BROKER_AVAILABLE = 'KafkaJSNoBrokerAvailableError'
const RETRIES_EXCEEDED = 'KafkaJSNumberOfRetriesExceeded'
const PROTOCOL_ERROR = 'KafkaJSProtocolError'

const typeOf = (e: unknown): string | undefined => (e as { type?: unknown } | null)?.type as string | undefined

/** Stale metadata: a partition error after which the client reloads metadata and retries at the leader it names. */
export function isStaleMetadataError(errorCode: number): boolean {
  return STALE_METADATA.has(errorCode)
}

/** Rebalance: the member must rejoin its group (KafkaJS's `isRebalancing`: REBALANCE_IN_PROGRESS, NOT_COORDINATOR, ILLEGAL_GENERATION). */
export function isRebalanceError(e: unknown): boolean {
  return isRebalancing({ type: typeOf(e) })
}

/** The coordinator forgot the member (its session expired): it rejoins with an empty member id. */
export function isUnknownMemberError(e: unknown): boolean {
  return typeOf(e) === Errors.UNKNOWN_MEMBER_ID.type
}

/** The member's generation is over: its partitions are no longer its own, so it must not commit them. */
export function isIllegalGenerationError(e: unknown): boolean {
  return typeOf(e) === Errors.ILLEGAL_GENERATION.type
}

/** The group is rebalancing right now (a cooperative member keeps its partitions while it rejoins, KIP-429). */
export function isRebalanceInProgressError(e: unknown): boolean {
  return typeOf(e) === Errors.REBALANCE_IN_PROGRESS.type
}

/** Errors after which a running consumer rejoins its group rather than retrying the fetch. */
export function needsRejoin(e: unknown): boolean {
  return isRebalanceError(e) || isUnknownMemberError(e) || e instanceof KafkaJSStaleTopicMetadataAssignment
}

/** Fatal for a consumer's fetch loop: retrying cannot help (an unsupported feature, no broker at all). */
export function isFatalForConsumer(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name
  return name === NOT_IMPLEMENTED || name === NO_BROKER_AVAILABLE
}

/**
 * Lost on the network: the broker could not be reached (down, cut off, the cluster closing) or did not
 * answer in time. Whether the request was served is unknown; the cure is another broker, or the same
 * one after fresh metadata.
 */
export function isNetworkError(e: unknown): e is KafkaJSConnectionError | KafkaJSRequestTimeoutError {
  return e instanceof KafkaJSConnectionError || e instanceof KafkaJSRequestTimeoutError
}

/** Retriable for a send: the metadata is reloaded and the batch sent again (stale leader, lost connection, timeout, retriable Kafka error). */
export function isRetriableSendError(e: unknown): boolean {
  return (
    (e instanceof KafkaJSProtocolError && isStaleMetadataError(e.code)) ||
    e instanceof KafkaJSMetadataNotLoaded ||
    isNetworkError(e) ||
    ((e as Error).name === PROTOCOL_ERROR && (e as KafkaJSProtocolError).retriable)
  )
}

function originalCause(error: unknown): unknown {
  const cause = (error as { cause?: unknown }).cause
  return cause !== undefined && cause !== null ? originalCause(cause) : error
}

/** Whether a consumer that crashed with `error` may restart: its retries ran out, or the root cause is retriable (KafkaJS's rule). */
export function isRetriableCrash(error: Error): boolean {
  return error.name === RETRIES_EXCEEDED || (originalCause(error) as { retriable?: boolean }).retriable === true
}
