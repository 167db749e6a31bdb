/**
 * The in-process transport: how clients (and brokers, for replication) reach a broker. A request
 * is a direct call, but it passes the same gates a network would put in its way: the broker may
 * be down or cut off, a hook may delay, fail or drop it, and the caller's request timeout runs
 * on the cluster clock. A sender that gives a request up (its `signal` aborts) gets its answer at
 * once and the broker stops waiting on it, as when a socket closes; `close()` does that to every
 * request and refuses new ones.
 */
import { setMaxListeners } from 'node:events'
import {
  BrokerUnreachableError,
  ClusterClosedError,
  RequestAbortedError,
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
  /** `signal` aborts when the sender gives the request up: a request parked at the broker ends then. */
  dispatch<K extends ApiName>(brokerId: number, from: Endpoint, api: K, request: RequestOf<K>, signal?: AbortSignal): Promise<ResponseOf<K>>
}

/** How one request waits for its answer. */
interface Waiting {
  readonly timeoutMs: number | undefined
  /** A broker's own requests (replication, markers) are housekeeping: their timers must not keep a process alive. */
  readonly background: boolean
  readonly signal: AbortSignal
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
  /** Aborted by {@link close}: every request in flight ends, at the broker too. */
  private readonly closing = new AbortController()

  constructor(private readonly brokers: BrokerEndpoints) {
    // Every request in flight listens to it: hundreds at once are normal, not a leak.
    setMaxListeners(0, this.closing.signal)
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.closing.signal.aborted
  }

  /**
   * Closes the network for good (`cluster.close()`): requests in flight reject with
   * {@link ClusterClosedError}, requests parked at a broker end, and every later request is refused.
   */
  close(): void {
    this.closing.abort()
  }

  async send<K extends ApiName>(
    from: Endpoint,
    brokerId: number,
    api: K,
    request: RequestOf<K>,
    options: SendOptions = {},
  ): Promise<ResponseOf<K>> {
    if (this.closed) throw new ClusterClosedError(brokerId, api)
    this.stats.requests++
    this.stats.byApi[api] = (this.stats.byApi[api] ?? 0) + 1
    const unreachable = this.brokers.unreachableReason(from, brokerId)
    if (unreachable !== null) throw new BrokerUnreachableError(brokerId, unreachable)

    const signal = options.signal === undefined ? this.closing.signal : AbortSignal.any([options.signal, this.closing.signal])
    const waiting: Waiting = { timeoutMs: options.requestTimeoutMs, background: from.kind === 'broker', signal }
    const action = this.hooks.match(api, from, brokerId, request)
    if (action === undefined) return this.await(brokerId, api, waiting, this.brokers.dispatch(brokerId, from, api, request, signal))
    switch (action.type) {
      case 'fail':
        return errorResponse(api, request, action.errorCode)
      case 'drop':
        return this.await(brokerId, api, waiting, new Promise<never>(() => undefined))
      case 'dropResponse': {
        const served = this.brokers.dispatch(brokerId, from, api, request, signal)
        served.catch(() => undefined)
        return this.await(brokerId, api, waiting, served.then(() => new Promise<never>(() => undefined)))
      }
      case 'delay': {
        // A client that times a request out closes its connection (the Java client does): bytes still on
        // their way never reach the broker, so a request delayed as long as its timeout is never served.
        if (waiting.timeoutMs !== undefined && action.ms >= waiting.timeoutMs) return this.await(brokerId, api, waiting, new Promise<never>(() => undefined))
        const delayed = this.brokers.clock.sleep(action.ms, { background: waiting.background }).then(() => {
          const again = this.brokers.unreachableReason(from, brokerId)
          if (again !== null) throw new BrokerUnreachableError(brokerId, again)
          if (signal.aborted) throw new RequestAbortedError(brokerId, api)
          return this.brokers.dispatch(brokerId, from, api, request, signal)
        })
        return this.await(brokerId, api, waiting, delayed)
      }
    }
  }

  /**
   * Settles with `work`, or rejects with {@link RequestTimeoutError} if it has not settled after the
   * request timeout, or at once when the request is given up ({@link RequestAbortedError}) or the
   * transport closes ({@link ClusterClosedError}).
   */
  private await<K extends ApiName, T>(brokerId: number, api: K, waiting: Waiting, work: Promise<T>): Promise<T> {
    const { timeoutMs, signal } = waiting
    const clock = this.brokers.clock
    return new Promise<T>((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : clock.setTimeout(() => done(new RequestTimeoutError(brokerId, api, timeoutMs)), timeoutMs, { background: waiting.background })
      const onAbort = (): void => done(this.closed ? new ClusterClosedError(brokerId, api) : new RequestAbortedError(brokerId, api))
      const done = (error: unknown, value?: T): void => {
        if (timer !== undefined) clock.clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        if (error === undefined) resolve(value as T)
        else reject(error)
      }
      if (signal.aborted) return onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      work.then(
        (value) => done(undefined, value),
        (error: unknown) => done(error ?? new Error(`${api} failed without a reason`)),
      )
    })
  }
}
