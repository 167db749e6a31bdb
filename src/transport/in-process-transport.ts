/**
 * The in-process transport: how clients (and brokers, for replication) reach a broker. A request
 * is a direct call, but it passes the same gates a network would put in its way: the broker may
 * be down or cut off, a hook may delay, fail or drop it, and the caller's request timeout runs
 * on the cluster clock.
 */
import {
  BrokerUnreachableError,
  RequestTimeoutError,
  type ApiName,
  type Endpoint,
  type RequestChannel,
  type RequestOf,
  type ResponseOf,
  type SendOptions,
} from '../protocol/api.js'
import type { Clock } from '../time/clock.js'
import { errorResponse } from './error-response.js'
import { RequestHooks } from './request-hooks.js'

/** What the transport needs from the broker side: reachability and the one dispatch point. */
export interface BrokerEndpoints {
  readonly clock: Clock
  unreachableReason(from: Endpoint, brokerId: number): string | null
  dispatch<K extends ApiName>(brokerId: number, from: Endpoint, api: K, request: RequestOf<K>): Promise<ResponseOf<K>>
}

/** Counts of what crossed the transport, for tests and for teaching. */
export interface TransportStats {
  requests: number
  byApi: Partial<Record<ApiName, number>>
}

/** A {@link RequestChannel} over direct calls, with fault hooks. */
export class InProcessTransport implements RequestChannel {
  /** Delay, fail or drop requests by API name, broker or sender. */
  readonly hooks = new RequestHooks()
  readonly stats: TransportStats = { requests: 0, byApi: {} }

  constructor(private readonly brokers: BrokerEndpoints) {}

  send<K extends ApiName>(from: Endpoint, brokerId: number, api: K, request: RequestOf<K>, options: SendOptions = {}): Promise<ResponseOf<K>> {
    this.stats.requests++
    this.stats.byApi[api] = (this.stats.byApi[api] ?? 0) + 1
    const unreachable = this.brokers.unreachableReason(from, brokerId)
    if (unreachable !== null) return Promise.reject(new BrokerUnreachableError(brokerId, unreachable))

    const action = this.hooks.match(api, from, brokerId, request)
    if (action === undefined) return this.withTimeout(brokerId, api, options, this.brokers.dispatch(brokerId, from, api, request))
    switch (action.type) {
      case 'fail':
        return Promise.resolve(errorResponse(api, request, action.errorCode))
      case 'drop':
        return this.withTimeout(brokerId, api, options, new Promise<never>(() => undefined))
      case 'dropResponse': {
        const served = this.brokers.dispatch(brokerId, from, api, request)
        served.catch(() => undefined)
        return this.withTimeout(brokerId, api, options, served.then(() => new Promise<never>(() => undefined)))
      }
      case 'delay': {
        const delayed = this.brokers.clock.sleep(action.ms).then(() => {
          const again = this.brokers.unreachableReason(from, brokerId)
          if (again !== null) throw new BrokerUnreachableError(brokerId, again)
          return this.brokers.dispatch(brokerId, from, api, request)
        })
        return this.withTimeout(brokerId, api, options, delayed)
      }
    }
  }

  /** Rejects with {@link RequestTimeoutError} if `work` has not settled after the request timeout. */
  private withTimeout<K extends ApiName, T>(brokerId: number, api: K, options: SendOptions, work: Promise<T>): Promise<T> {
    const timeoutMs = options.requestTimeoutMs
    if (timeoutMs === undefined) return work
    const clock = this.brokers.clock
    return new Promise<T>((resolve, reject) => {
      const timer = clock.setTimeout(() => reject(new RequestTimeoutError(brokerId, api, timeoutMs)), timeoutMs)
      work.then(
        (value) => {
          clock.clearTimeout(timer)
          resolve(value)
        },
        (error: unknown) => {
          clock.clearTimeout(timer)
          reject(error)
        },
      )
    })
  }
}
