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
  type Reply,
  type RequestChannel,
  type RequestOf,
  type ResponseOf,
  type SendOptions,
} from '../protocol/api.js'
import type { Clock, TimerHandle, TimerOptions } from '../time/clock.js'
import { errorResponse } from './error-response.js'
import { RequestHooks, type HookAction } from './request-hooks.js'

/** What the transport needs from the broker side: reachability and the one dispatch point. */
export interface BrokerEndpoints {
  readonly clock: Clock
  unreachableReason(from: Endpoint, brokerId: number): string | null
  /**
   * The one dispatch point, with the answer handed to callbacks (a request creates no promise at the broker).
   * `signal` aborts when the sender gives the request up: a request parked at the broker ends then.
   */
  serve<K extends ApiName>(
    brokerId: number,
    from: Endpoint,
    api: K,
    request: RequestOf<K>,
    signal: AbortSignal | undefined,
    reply: Reply<ResponseOf<K>>,
  ): void
}

/** Starts a request's work and hands its outcome to `reply`. */
type Work<T> = (reply: Reply<T>) => void

/** Work that is a promise already (the fault hooks' paths). */
const settled =
  <T>(promise: Promise<T>): Work<T> =>
  (reply) =>
    void promise.then(
      (value) => reply.resolve(value),
      (error: unknown) => reply.reject(error),
    )

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
  /** Per caller signal, that signal combined with {@link closing} (see {@link signalOf}). */
  private readonly combinedSignals = new WeakMap<AbortSignal, AbortSignal>()

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

  // Not `async` (one promise fewer per request): every refusal is a rejection, never a throw.
  send<K extends ApiName>(
    from: Endpoint,
    brokerId: number,
    api: K,
    request: RequestOf<K>,
    options: SendOptions = {},
  ): Promise<ResponseOf<K>> {
    const refused = this.refusal(from, brokerId, api)
    if (refused !== null) return Promise.reject(refused)
    const waiting = this.waitingOf(from, options)
    const action = this.hooks.match(api, from, brokerId, request)
    if (action === undefined) return new Promise((resolve, reject) => this.serveWaiting(from, brokerId, api, request, waiting, resolve, reject))
    return this.withHook(from, brokerId, api, request, waiting, action)
  }

  /**
   * {@link send} with callbacks (`RequestChannel.call`): the same gates, hooks, timeout and abort, and the outcome
   * handed to `onResponse` or `onError` in a later microtask at the earliest; without a hook, no promise.
   */
  call<K extends ApiName>(
    from: Endpoint,
    brokerId: number,
    api: K,
    request: RequestOf<K>,
    options: SendOptions,
    onResponse: (response: ResponseOf<K>) => void,
    onError: (error: unknown) => void,
  ): void {
    const refused = this.refusal(from, brokerId, api)
    if (refused !== null) return queueMicrotask(() => onError(refused))
    const waiting = this.waitingOf(from, options)
    const action = this.hooks.match(api, from, brokerId, request)
    if (action === undefined) return this.serveWaiting(from, brokerId, api, request, waiting, onResponse, onError)
    this.withHook(from, brokerId, api, request, waiting, action).then(onResponse, onError)
  }

  /** Why a request is refused before it leaves (the transport is closed, the broker unreachable), counting it if not. */
  private refusal(from: Endpoint, brokerId: number, api: ApiName): Error | null {
    if (this.closed) return new ClusterClosedError(brokerId, api)
    this.stats.requests++
    this.stats.byApi[api] = (this.stats.byApi[api] ?? 0) + 1
    const unreachable = this.brokers.unreachableReason(from, brokerId)
    return unreachable === null ? null : new BrokerUnreachableError(brokerId, unreachable)
  }

  /** How a request waits for its answer: its timeout, whether its timer may let the process exit (broker traffic), its abort signal. */
  private waitingOf(from: Endpoint, options: SendOptions): Waiting {
    return { timeoutMs: options.requestTimeoutMs, background: from.kind === 'broker', signal: this.signalOf(options) }
  }

  private signalOf(options: SendOptions): AbortSignal {
    const own = options.signal
    if (own === undefined) return this.closing.signal
    // A consumer passes the same signal with every fetch: one combined signal per caller signal, not one per request
    // (AbortSignal.any allocates a signal, its weak references and listeners each time).
    let combined = this.combinedSignals.get(own)
    if (combined === undefined) {
      combined = AbortSignal.any([own, this.closing.signal])
      setMaxListeners(0, combined)
      this.combinedSignals.set(own, combined)
    }
    return combined
  }

  /** A request a hook matched: failed, dropped, its response dropped, or delayed. */
  private withHook<K extends ApiName>(from: Endpoint, brokerId: number, api: K, request: RequestOf<K>, waiting: Waiting, action: HookAction): Promise<ResponseOf<K>> {
    const { signal } = waiting
    const dispatch = (): Promise<ResponseOf<K>> => new Promise((resolve, reject) => this.brokers.serve(brokerId, from, api, request, signal, { resolve, reject }))
    switch (action.type) {
      case 'fail':
        return Promise.resolve(errorResponse(api, request, action.errorCode))
      case 'drop':
        return this.await(brokerId, api, waiting, () => undefined)
      case 'dropResponse': {
        const served = dispatch()
        served.catch(() => undefined)
        return this.await(brokerId, api, waiting, (reply) => void served.catch((error: unknown) => reply.reject(error)))
      }
      case 'delay': {
        // A client that times a request out closes its connection (the Java client does): bytes still on
        // their way never reach the broker, so a request delayed as long as its timeout is never served.
        if (waiting.timeoutMs !== undefined && action.ms >= waiting.timeoutMs) return this.await(brokerId, api, waiting, () => undefined)
        const delayed = this.brokers.clock.sleep(action.ms, { background: waiting.background }).then(() => {
          const again = this.brokers.unreachableReason(from, brokerId)
          if (again !== null) throw new BrokerUnreachableError(brokerId, again)
          if (signal.aborted) throw new RequestAbortedError(brokerId, api)
          return dispatch()
        })
        return this.await(brokerId, api, waiting, settled(delayed))
      }
    }
  }

  /**
   * Settles with what `work` hands over, or rejects with {@link RequestTimeoutError} if it has not settled after the
   * request timeout, or at once when the request is given up ({@link RequestAbortedError}) or the
   * transport closes ({@link ClusterClosedError}).
   */
  private await<K extends ApiName, T>(brokerId: number, api: K, waiting: Waiting, work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => this.wait(brokerId, api, waiting, work, resolve, reject))
  }

  /** {@link await} with callbacks: exactly one of `resolve` and `reject` is called, once. */
  private wait<K extends ApiName, T>(brokerId: number, api: K, waiting: Waiting, work: Work<T>, resolve: (value: T) => void, reject: (error: unknown) => void): void {
    const pending = new WaitingRequest(this, this.brokers.clock, brokerId, api, waiting, resolve, reject)
    // Started even if the sender gave up already: the request was on its way (the broker serves it; only its answer is lost).
    work(pending)
    pending.listenForAbort()
  }

  /** {@link wait} for the broker's answer, without a hook: the hot path, with no closure for the work. */
  private serveWaiting<K extends ApiName>(
    from: Endpoint,
    brokerId: number,
    api: K,
    request: RequestOf<K>,
    waiting: Waiting,
    resolve: (response: ResponseOf<K>) => void,
    reject: (error: unknown) => void,
  ): void {
    const pending = new WaitingRequest(this, this.brokers.clock, brokerId, api, waiting, resolve, reject)
    this.brokers.serve(brokerId, from, api, request, waiting.signal, pending)
    pending.listenForAbort()
  }
}

/**
 * One request waiting for its answer: its state in one object, its methods instead of a closure each (a request in
 * flight is the hot path). Its abort listener, added once the work started, is removed when the request ends.
 */
class WaitingRequest<T> implements Reply<T> {
  private finished = false
  private timer: TimerHandle | undefined
  /**
   * A function, not this object as an `EventListener`: Node wraps an object listener in an async function, whose
   * promises on abort would add microtasks to the order of effects of a close.
   */
  private onAbort: (() => void) | undefined
  private readonly signal: AbortSignal

  /** Arms the request timeout, if any: before the work starts, which may answer at once. */
  constructor(
    private readonly transport: InProcessTransport,
    private readonly clock: Clock,
    private readonly brokerId: number,
    private readonly api: ApiName,
    waiting: Waiting,
    private readonly onValue: (value: T) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    this.signal = waiting.signal
    const { timeoutMs } = waiting
    if (timeoutMs === undefined) return
    this.timer = clock.setTimeout(() => this.end(new RequestTimeoutError(brokerId, api, timeoutMs)), timeoutMs, waiting.background ? BACKGROUND : FOREGROUND)
  }

  /** After the work started: ends now if the sender gave up already, else listens for it to give up. */
  listenForAbort(): void {
    if (this.finished) return
    if (this.signal.aborted) return this.aborted()
    this.onAbort = () => this.aborted()
    // No `{ once: true }`: `end` removes the listener, and without options Node allocates no options record per listener.
    this.signal.addEventListener('abort', this.onAbort)
  }

  resolve(value: T): void {
    this.end(undefined, value)
  }

  reject(error: unknown): void {
    this.end(error ?? new Error(`${this.api} failed without a reason`))
  }

  /** The sender gave the request up, or the transport closed. */
  private aborted(): void {
    this.end(this.transport.closed ? new ClusterClosedError(this.brokerId, this.api) : new RequestAbortedError(this.brokerId, this.api))
  }

  private end(error: unknown, value?: T): void {
    if (this.finished) return
    this.finished = true
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer)
    if (this.onAbort !== undefined) this.signal.removeEventListener('abort', this.onAbort)
    if (error === undefined) this.onValue(value as T)
    else this.onError(error)
  }
}

/** The timer options of a request's timeout, shared: one object per kind instead of one per request. */
const BACKGROUND: TimerOptions = { background: true }
const FOREGROUND: TimerOptions = { background: false }
