/**
 * The channel brokers use to reach each other until a transport is attached (a BrokerFleet
 * used on its own, as in broker unit tests): a direct call that still honours reachability and
 * the caller's request timeout. The public `Cluster` attaches its in-process transport instead.
 */
import { BrokerUnreachableError, RequestTimeoutError, type ApiName, type Endpoint, type RequestChannel, type RequestOf, type ResponseOf, type SendOptions } from '../protocol/index.js'
import type { Clock } from '../time/index.js'

/** What a direct channel calls into. */
export interface DirectTarget {
  readonly clock: Clock
  unreachableReason(from: Endpoint, brokerId: number): string | null
  dispatch<K extends ApiName>(brokerId: number, from: Endpoint, api: K, request: RequestOf<K>): Promise<ResponseOf<K>>
}

/** A {@link RequestChannel} that calls the cluster's dispatch directly. */
export class DirectChannel implements RequestChannel {
  constructor(private readonly target: DirectTarget) {}

  send<K extends ApiName>(from: Endpoint, brokerId: number, api: K, request: RequestOf<K>, options: SendOptions = {}): Promise<ResponseOf<K>> {
    const reason = this.target.unreachableReason(from, brokerId)
    if (reason !== null) return Promise.reject(new BrokerUnreachableError(brokerId, reason))
    const work = this.target.dispatch(brokerId, from, api, request)
    const timeoutMs = options.requestTimeoutMs
    if (timeoutMs === undefined) return work
    return new Promise((resolve, reject) => {
      const timer = this.target.clock.setTimeout(() => reject(new RequestTimeoutError(brokerId, api, timeoutMs)), timeoutMs, { background: true })
      work.then(
        (value) => {
          this.target.clock.clearTimeout(timer)
          resolve(value)
        },
        (error: unknown) => {
          this.target.clock.clearTimeout(timer)
          reject(error)
        },
      )
    })
  }
}
