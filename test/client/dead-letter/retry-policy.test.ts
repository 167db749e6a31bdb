import { describe, expect, it } from 'vitest'
import { KafkaJSNonRetriableError } from '../../../src/client/errors.js'
import {
  InvalidRetryPolicyError,
  deadLetterTopicFor,
  isRetryable,
  validateRetryPolicy,
  type RetryPolicy,
} from '../../../src/client/dead-letter/retry-policy.js'

class Fatal extends Error {}

describe('retry policy', () => {
  it('fills in defaults', () => {
    expect(validateRetryPolicy({ attempts: 3 })).toEqual({
      attempts: 3,
      initialBackoffMs: 100,
      maxBackoffMs: 30_000,
      multiplier: 2,
      timeoutMs: undefined,
      notRetryable: undefined,
    })
  })

  it.each<[string, RetryPolicy]>([
    ['attempts < 1', { attempts: 0 }],
    ['fractional attempts', { attempts: 1.5 }],
    ['negative timeout', { attempts: 2, timeoutMs: -1 }],
    ['zero timeout', { attempts: 2, timeoutMs: 0 }],
    ['negative backoff', { attempts: 2, initialBackoffMs: -5 }],
    ['max below initial', { attempts: 2, initialBackoffMs: 500, maxBackoffMs: 100 }],
    ['multiplier below 1', { attempts: 2, multiplier: 0.5 }],
    ['notRetryable of the wrong type', { attempts: 2, notRetryable: ['Fatal'] as never }],
  ])('rejects %s with a typed error', (_, policy) => {
    const attempt = () => validateRetryPolicy(policy)
    expect(attempt).toThrow(InvalidRetryPolicyError)
    expect(attempt).toThrow(KafkaJSNonRetriableError)
  })

  it('rejects a missing policy', () => {
    expect(() => validateRetryPolicy(null as never)).toThrow(InvalidRetryPolicyError)
  })

  it('names the dead-letter topic with the -dlt suffix by default', () => {
    expect(deadLetterTopicFor('orders')).toBe('orders-dlt')
    expect(deadLetterTopicFor('orders', { topic: 'failed-orders' })).toBe('failed-orders')
  })

  it('rejects a dead-letter topic the consumer itself reads', () => {
    expect(() => deadLetterTopicFor('orders', { topic: 'orders' })).toThrow(InvalidRetryPolicyError)
    expect(() => deadLetterTopicFor('orders', { topic: 'payments' }, ['orders', 'payments'])).toThrow(/consumed again/)
    expect(() => deadLetterTopicFor('orders', { topic: '' })).toThrow(InvalidRetryPolicyError)
  })

  it('classifies errors by class or predicate', () => {
    expect(isRetryable(new Fatal(), { notRetryable: [Fatal] })).toBe(false)
    expect(isRetryable(new Error(), { notRetryable: [Fatal] })).toBe(true)
    expect(isRetryable(new Error('fatal'), { notRetryable: (e) => (e as Error).message === 'fatal' })).toBe(false)
    expect(isRetryable('anything', { notRetryable: undefined })).toBe(true)
  })
})
