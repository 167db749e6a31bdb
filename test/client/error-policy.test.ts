/** The client's one error policy: each class of error, decided in one place. */
import { describe, expect, it } from 'vitest'
import { Errors } from '../../src/protocol/error-codes.js'
import {
  isFatalForConsumer,
  isIllegalGenerationError,
  isNetworkError,
  isRebalanceError,
  isRetriableCrash,
  isRetriableSendError,
  isStaleMetadataError,
  isUnknownMemberError,
  needsRejoin,
} from '../../src/client/error-policy.js'
import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNoBrokerAvailableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSRequestTimeoutError,
  protocolError,
} from '../../src/client/errors.js'

const kafka = (code: number) => protocolError(code)!

describe('the client error policy', () => {
  it('stale metadata: a moved leader or a changed epoch, not a bad request', () => {
    expect(isStaleMetadataError(Errors.NOT_LEADER_OR_FOLLOWER.code)).toBe(true)
    expect(isStaleMetadataError(Errors.FENCED_LEADER_EPOCH.code)).toBe(true)
    expect(isStaleMetadataError(Errors.INVALID_REQUEST.code)).toBe(false)
  })

  it('rebalance: rejoin on REBALANCE_IN_PROGRESS, NOT_COORDINATOR, ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID', () => {
    expect(isRebalanceError(kafka(Errors.REBALANCE_IN_PROGRESS.code))).toBe(true)
    expect(isRebalanceError(kafka(Errors.NOT_COORDINATOR.code))).toBe(true)
    expect(isIllegalGenerationError(kafka(Errors.ILLEGAL_GENERATION.code))).toBe(true)
    expect(isUnknownMemberError(kafka(Errors.UNKNOWN_MEMBER_ID.code))).toBe(true)
    expect(needsRejoin(kafka(Errors.UNKNOWN_MEMBER_ID.code))).toBe(true)
    expect(needsRejoin(kafka(Errors.NOT_LEADER_OR_FOLLOWER.code))).toBe(false)
    expect(needsRejoin(new Error('user code failed'))).toBe(false)
  })

  it('retriable send: stale leader, lost connection and retriable Kafka errors; not a non-retriable one', () => {
    expect(isRetriableSendError(kafka(Errors.NOT_LEADER_OR_FOLLOWER.code))).toBe(true)
    expect(isRetriableSendError(new KafkaJSConnectionError('broker 1 is down'))).toBe(true)
    expect(isRetriableSendError(kafka(Errors.NOT_ENOUGH_REPLICAS.code))).toBe(true)
    expect(isRetriableSendError(kafka(Errors.INVALID_REQUIRED_ACKS.code))).toBe(false)
  })

  it('network: a lost connection or a request timeout, not a Kafka error nor no broker at all', () => {
    expect(isNetworkError(new KafkaJSConnectionError('broker 1 is down'))).toBe(true)
    expect(isNetworkError(new KafkaJSRequestTimeoutError('Request Fetch timed out'))).toBe(true)
    expect(isNetworkError(kafka(Errors.NOT_LEADER_OR_FOLLOWER.code))).toBe(false)
    expect(isNetworkError(new KafkaJSNoBrokerAvailableError())).toBe(false)
  })

  it('fatal for a consumer: no broker at all; retriable crash: retries ran out or the root cause is retriable', () => {
    expect(isFatalForConsumer(new KafkaJSNoBrokerAvailableError())).toBe(true)
    expect(isFatalForConsumer(new KafkaJSConnectionError('down'))).toBe(false)
    expect(isRetriableCrash(new KafkaJSNumberOfRetriesExceeded(new Error('x'), { retryCount: 5, retryTime: 100 }))).toBe(true)
    expect(isRetriableCrash(new KafkaJSError(kafka(Errors.NOT_COORDINATOR.code), { cause: kafka(Errors.NOT_COORDINATOR.code) }))).toBe(true)
    expect(isRetriableCrash(new Error('user code failed'))).toBe(false)
  })
})
