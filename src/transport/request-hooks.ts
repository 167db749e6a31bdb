/**
 * Request-level fault injection, in the spirit of kfake's ControlKey: delay, fail with a Kafka
 * error code, or drop any request by API name, once, a number of times, or until removed.
 */
import { ApiKeys, type ApiName, type Endpoint } from '../protocol/api.js'
import { errorForCode, type KafkaErrorCode } from '../protocol/error-codes.js'
import { describeUnknownKeys } from '../protocol/unknown-keys.js'

/**
 * A hook that could never do what it says: an unknown API name, action type or key. Thrown by
 * `hooks.add` at once, so a fault test never passes by testing nothing. A RangeError, as every
 * other bad hook argument.
 */
export class InvalidHookError extends RangeError {
  override name = 'InvalidHookError'
}

const API_NAMES = Object.keys(ApiKeys)
const HOOK_KEYS = ['api', 'brokerId', 'from', 'when', 'action', 'times']
const ACTION_KEYS: Readonly<Record<HookAction['type'], readonly string[]>> = {
  delay: ['type', 'ms'],
  fail: ['type', 'errorCode'],
  drop: ['type'],
  dropResponse: ['type'],
}

/** Rejects a hook whose API, action type or keys would make it never fire (or fire other than meant). */
function checkShape(hook: RequestHook): void {
  if (hook === null || typeof hook !== 'object') throw new InvalidHookError(`hooks.add(hook) needs a hook object, got ${String(hook)}`)
  const unknown = describeUnknownKeys(hook, HOOK_KEYS, 'hook key')
  if (unknown !== undefined) throw new InvalidHookError(`${unknown}; a hook has ${HOOK_KEYS.join(', ')}`)
  if (hook.api !== undefined && !API_NAMES.includes(hook.api)) {
    const hint = describeUnknownKeys({ [String(hook.api)]: true }, API_NAMES, 'API')
    throw new InvalidHookError(`${hint ?? `unknown API "${String(hook.api)}"`}: the hook would never fire; APIs are ${API_NAMES.join(', ')}`)
  }
  if (hook.from !== undefined && hook.from !== 'client' && hook.from !== 'broker') {
    throw new InvalidHookError(`hook.from must be 'client' or 'broker', got ${JSON.stringify(hook.from)}`)
  }
  const action = hook.action as { type?: unknown } | undefined
  const types = Object.keys(ACTION_KEYS)
  if (action === null || typeof action !== 'object' || !types.includes(String(action.type))) {
    throw new InvalidHookError(`hook.action.type must be one of ${types.join(', ')}, got ${JSON.stringify(action?.type)}`)
  }
  const type = action.type as HookAction['type']
  const extra = describeUnknownKeys(action, ACTION_KEYS[type], `key of a '${type}' action`)
  if (extra !== undefined) throw new InvalidHookError(`${extra}; a '${type}' action has ${ACTION_KEYS[type].join(', ')}`)
}

/** What a hook does to a request it matches. */
export type HookAction =
  /** Answer after `ms` more milliseconds of cluster time. */
  | { readonly type: 'delay'; readonly ms: number }
  /** Do not serve the request; answer every partition (or the request) with this Kafka error code. */
  | { readonly type: 'fail'; readonly errorCode: number }
  /** Lose the request: no answer ever comes, so the client's request timeout fires. */
  | { readonly type: 'drop' }
  /** Serve the request, then lose the answer: the broker did the work, the client never hears (a lost response). */
  | { readonly type: 'dropResponse' }

/** Which requests a hook applies to; every field left out matches anything. */
export interface HookMatch {
  readonly api?: ApiName
  readonly brokerId?: number
  /** Match only requests sent by brokers (replication) or only by clients. */
  readonly from?: Endpoint['kind']
  /** Any further condition on the request itself. */
  readonly when?: (request: unknown, from: Endpoint, brokerId: number) => boolean
}

/** A hook as registered: a match, an action and how many times it may fire. */
export interface RequestHook extends HookMatch {
  readonly action: HookAction
  /** Fire at most this many times, then remove itself (default: until removed). */
  readonly times?: number
}

/** Handle returned by {@link RequestHooks.add}. */
export interface HookHandle {
  /** Stops the hook from firing again. */
  remove(): void
  /** How many requests the hook has matched so far. */
  readonly fired: number
}

interface LiveHook {
  readonly hook: RequestHook
  fired: number
  removed: boolean
}

/** The set of hooks of one transport; the first matching hook wins. */
export class RequestHooks {
  private hooks: LiveHook[] = []

  /** Registers a hook. */
  add(hook: RequestHook): HookHandle {
    checkShape(hook)
    if (hook.times !== undefined && !(Number.isInteger(hook.times) && hook.times >= 1)) {
      throw new RangeError(`hook.times must be a positive integer, got ${hook.times}`)
    }
    if (hook.action.type === 'delay' && !(hook.action.ms >= 0)) {
      throw new RangeError(`a delay hook needs ms >= 0, got ${hook.action.ms}`)
    }
    if (hook.action.type === 'fail' && errorForCode(hook.action.errorCode).code === -1 && hook.action.errorCode !== -1) {
      throw new RangeError(`unknown Kafka error code ${hook.action.errorCode}`)
    }
    const live: LiveHook = { hook, fired: 0, removed: false }
    this.hooks.push(live)
    return {
      remove: () => {
        live.removed = true
        this.hooks = this.hooks.filter((h) => h !== live)
      },
      get fired() {
        return live.fired
      },
    }
  }

  /** Removes every hook. */
  clear(): void {
    for (const live of this.hooks) live.removed = true
    this.hooks = []
  }

  /** The action for this request, if a hook matches; counts the firing. */
  match(api: ApiName, from: Endpoint, brokerId: number, request: unknown): HookAction | undefined {
    for (const live of this.hooks) {
      const { hook } = live
      if (hook.api !== undefined && hook.api !== api) continue
      if (hook.brokerId !== undefined && hook.brokerId !== brokerId) continue
      if (hook.from !== undefined && hook.from !== from.kind) continue
      if (hook.when !== undefined && !hook.when(request, from, brokerId)) continue
      live.fired++
      if (hook.times !== undefined && live.fired >= hook.times) {
        live.removed = true
        this.hooks = this.hooks.filter((h) => h !== live)
      }
      return hook.action
    }
    return undefined
  }
}

/** The Kafka error a `fail` hook injects. */
export function injectedError(action: Extract<HookAction, { type: 'fail' }>): KafkaErrorCode {
  return errorForCode(action.errorCode)
}
