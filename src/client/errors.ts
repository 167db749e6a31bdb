/**
 * KafkaJS's error classes, with the same names, fields and `retriable` flags, so that code
 * written against KafkaJS (`instanceof KafkaJSProtocolError`, `error.type === 'REBALANCE_IN_PROGRESS'`)
 * works unchanged. Kafka protocol errors carry Kafka's `type` (error name) and `code`.
 */
import { errorForCode, type KafkaErrorCode } from '../protocol/error-codes.js'

type ErrorInput = string | Error | { message: string }

function messageOf(e: ErrorInput): string {
  return typeof e === 'string' ? e : e.message
}

/** Base class of every kafkalite/KafkaJS client error. */
export class KafkaJSError extends Error {
  override name = 'KafkaJSError'
  readonly retriable: boolean
  readonly helpUrl?: string
  /** Typed `Error` as KafkaJS declares it; what was thrown is kept as it is. */
  override readonly cause?: Error

  constructor(e: ErrorInput, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(messageOf(e))
    this.retriable = options.retriable ?? true
    this.cause = options.cause as Error | undefined
  }
}

/** An error that retrying cannot fix. */
export class KafkaJSNonRetriableError extends KafkaJSError {
  override name = 'KafkaJSNonRetriableError'
  constructor(e: ErrorInput, options: { cause?: unknown } = {}) {
    super(e, { retriable: false, cause: options.cause })
  }
}

/** A Kafka protocol error returned by a broker: `type` is Kafka's error name, `code` its number. */
export class KafkaJSProtocolError extends KafkaJSError {
  override name = 'KafkaJSProtocolError'
  readonly type: string
  readonly code: number
  /**
   * What the request was about and the broker's own error message, when known. Not in KafkaJS:
   * `message` keeps KafkaJS's exact text for the code, so apps that match on it keep working;
   * the detail shows up where errors are printed (util.inspect lists it).
   */
  readonly detail?: string

  constructor(e: KafkaErrorCode | (ErrorInput & { type?: string; code?: number }), options: { retriable?: boolean; detail?: string | undefined } = {}) {
    const known = e as Partial<KafkaErrorCode>
    super(messageOf(e as ErrorInput), { retriable: options.retriable ?? known.retriable ?? false })
    this.type = known.type ?? 'UNKNOWN'
    this.code = known.code ?? -1
    if (options.detail !== undefined) this.detail = options.detail
  }
}

/** OFFSET_OUT_OF_RANGE for one partition. */
export class KafkaJSOffsetOutOfRange extends KafkaJSProtocolError {
  override name = 'KafkaJSOffsetOutOfRange'
  constructor(
    e: KafkaErrorCode,
    readonly details: { topic: string; partition: number },
  ) {
    super(e)
  }
  get topic(): string {
    return this.details.topic
  }
  get partition(): number {
    return this.details.partition
  }
}

/** MEMBER_ID_REQUIRED (KIP-394): the consumer must rejoin with the member id the coordinator gave it. */
export class KafkaJSMemberIdRequired extends KafkaJSProtocolError {
  override name = 'KafkaJSMemberIdRequired'
  constructor(
    e: KafkaErrorCode,
    readonly details: { memberId: string },
  ) {
    super(e)
  }
  get memberId(): string {
    return this.details.memberId
  }
}

/** Retries ran out; `cause` holds the last error. */
export class KafkaJSNumberOfRetriesExceeded extends KafkaJSNonRetriableError {
  override name = 'KafkaJSNumberOfRetriesExceeded'
  readonly retryCount: number
  readonly retryTime: number
  constructor(e: Error, options: { retryCount: number; retryTime: number }) {
    super(e, { cause: e })
    this.retryCount = options.retryCount
    this.retryTime = options.retryTime
    this.stack = `${this.name}\n  Caused by: ${e.stack ?? e.message}`
  }
}

/** The broker could not be reached (it is down, or cut off by a network partition). */
export class KafkaJSConnectionError extends KafkaJSError {
  override name = 'KafkaJSConnectionError'
  readonly broker?: string
  readonly code?: string
  constructor(e: ErrorInput, options: { broker?: string; code?: string } = {}) {
    super(e)
    this.broker = options.broker
    this.code = options.code
  }
}

/** The connection closed while a request was in flight. */
export class KafkaJSConnectionClosedError extends KafkaJSConnectionError {
  override name = 'KafkaJSConnectionClosedError'
  constructor(
    e: ErrorInput,
    readonly details: { host: string; port: number },
  ) {
    super(e, { broker: `${details.host}:${details.port}` })
  }
}

/** No response within `requestTimeout`. */
export class KafkaJSRequestTimeoutError extends KafkaJSError {
  override name = 'KafkaJSRequestTimeoutError'
  readonly broker?: string
  readonly correlationId?: number
  readonly createdAt?: number
  readonly sentAt?: number
  readonly pendingDuration?: number
  constructor(e: ErrorInput, options: { broker?: string; correlationId?: number; createdAt?: number; sentAt?: number; pendingDuration?: number } = {}) {
    super(e)
    Object.assign(this, options)
  }
}

/** Metadata has not been loaded yet. */
export class KafkaJSMetadataNotLoaded extends KafkaJSError {
  override name = 'KafkaJSMetadataNotLoaded'
}

/** Metadata for a topic has not been loaded. */
export class KafkaJSTopicMetadataNotLoaded extends KafkaJSMetadataNotLoaded {
  override name = 'KafkaJSTopicMetadataNotLoaded'
  constructor(
    e: ErrorInput,
    readonly details: { topic: string },
  ) {
    super(e)
  }
  get topic(): string {
    return this.details.topic
  }
}

/** An assignment names partitions that the client's metadata does not know. */
export class KafkaJSStaleTopicMetadataAssignment extends KafkaJSError {
  override name = 'KafkaJSStaleTopicMetadataAssignment'
  constructor(
    e: ErrorInput,
    readonly details: { topic: string; unknownPartitions: number[] },
  ) {
    super(e)
  }
  get topic(): string {
    return this.details.topic
  }
  get unknownPartitions(): number[] {
    return this.details.unknownPartitions
  }
}

/** Some groups could not be deleted; `groups` lists each with its error. */
export class KafkaJSDeleteGroupsError extends KafkaJSError {
  override name = 'KafkaJSDeleteGroupsError'
  constructor(
    e: ErrorInput,
    readonly groups: Array<{ groupId: string; errorCode: number; error: KafkaJSProtocolError }> = [],
  ) {
    super(e)
  }
}

/** The broker does not support an API. */
export class KafkaJSServerDoesNotSupportApiKey extends KafkaJSNonRetriableError {
  override name = 'KafkaJSServerDoesNotSupportApiKey'
}

/** No broker with that id is known. */
export class KafkaJSBrokerNotFound extends KafkaJSError {
  override name = 'KafkaJSBrokerNotFound'
}

/** A message could only be partially decoded. */
export class KafkaJSPartialMessageError extends KafkaJSNonRetriableError {
  override name = 'KafkaJSPartialMessageError'
}

/** SASL authentication failed (kafkalite has no authentication; kept for API compatibility). */
export class KafkaJSSASLAuthenticationError extends KafkaJSNonRetriableError {
  override name = 'KafkaJSSASLAuthenticationError'
}

/** No group coordinator could be found. */
export class KafkaJSGroupCoordinatorNotFound extends KafkaJSNonRetriableError {
  override name = 'KafkaJSGroupCoordinatorNotFound'
}

/** A feature KafkaJS (or kafkalite) does not implement. */
export class KafkaJSNotImplemented extends KafkaJSNonRetriableError {
  override name = 'KafkaJSNotImplemented'
}

/** An operation did not finish in time. */
export class KafkaJSTimeout extends KafkaJSNonRetriableError {
  override name = 'KafkaJSTimeout'
}

/** A lock was not acquired in time. */
export class KafkaJSLockTimeout extends KafkaJSTimeout {
  override name = 'KafkaJSLockTimeout'
}

/** Unsupported magic byte (kept for API compatibility). */
export class KafkaJSUnsupportedMagicByteInMessageSet extends KafkaJSNonRetriableError {
  override name = 'KafkaJSUnsupportedMagicByteInMessageSet'
}

/** Deleting records failed for some partitions. */
export class KafkaJSDeleteTopicRecordsError extends KafkaJSError {
  override name = 'KafkaJSDeleteTopicRecordsError'
  constructor(readonly partitions: Array<{ partition: number; offset: string; error: KafkaJSError }>) {
    // As KafkaJS: retriable only if every partition's error is.
    super('Error while deleting records', { retriable: partitions.every((p) => p.error.retriable) })
  }
}

/** An internal invariant broke: a bug. */
export class KafkaJSInvariantViolation extends KafkaJSNonRetriableError {
  override name = 'KafkaJSInvariantViolation'
  constructor(message: string) {
    super(`Invariant violated: ${message}. This is likely a bug and should be reported.`)
  }
}

/** Invalid varint (kept for API compatibility). */
export class KafkaJSInvalidVarIntError extends KafkaJSNonRetriableError {}

/** Invalid long (kept for API compatibility). */
export class KafkaJSInvalidLongError extends KafkaJSNonRetriableError {}

/** Creating a topic failed: `topic` names it. */
export class KafkaJSCreateTopicError extends KafkaJSProtocolError {
  override name = 'KafkaJSCreateTopicError'
  constructor(
    e: KafkaErrorCode | (ErrorInput & { type?: string; code?: number; retriable?: boolean; detail?: string }),
    readonly topic: string,
  ) {
    super(e, { detail: typeof e === 'object' && 'detail' in e ? e.detail : undefined })
  }
}

/** A partition reassignment failed. */
export class KafkaJSAlterPartitionReassignmentsError extends KafkaJSProtocolError {
  override name = 'KafkaJSAlterPartitionReassignmentsError'
  constructor(
    e: KafkaErrorCode,
    readonly topic?: string,
    readonly partition?: number,
  ) {
    super(e)
  }
}

/** Several errors at once (e.g. from createTopics). */
export class KafkaJSAggregateError extends Error {
  override name = 'KafkaJSAggregateError'
  constructor(
    message: string,
    readonly errors: Error[],
  ) {
    super(message)
  }
}

/** Internal signal that a fetch was interrupted by a rebalance. */
export class KafkaJSFetcherRebalanceError extends Error {}

/** No broker could be reached. */
export class KafkaJSNoBrokerAvailableError extends KafkaJSError {
  override name = 'KafkaJSNoBrokerAvailableError'
  constructor() {
    super('No broker available')
  }
}

/** True for the errors after which a consumer must rejoin its group. */
export function isRebalancing(e: { type?: string }): boolean {
  return e.type === 'REBALANCE_IN_PROGRESS' || e.type === 'NOT_COORDINATOR_FOR_GROUP' || e.type === 'NOT_COORDINATOR' || e.type === 'ILLEGAL_GENERATION'
}

/** True for any error raised by the client. */
export function isKafkaJSError(e: unknown): e is KafkaJSError {
  return e instanceof KafkaJSError
}

/**
 * The client error for a Kafka error code, with a message that names the error and, where given,
 * what the request was about. Returns undefined for NONE.
 */
export function protocolError(code: number, context?: string, brokerMessage?: string | null): KafkaJSProtocolError | undefined {
  if (code === 0) return undefined
  const err = errorForCode(code)
  const detail = [brokerMessage, context].filter((part) => part !== undefined && part !== null && part !== '').join(': ')
  return new KafkaJSProtocolError(err, { detail: detail === '' ? undefined : detail })
}
