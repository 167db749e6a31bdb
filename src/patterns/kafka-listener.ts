/**
 * `@KafkaListener`: marks a method as the handler of a topic's records for a consumer group, in the
 * style of Spring Kafka's annotation, as a standard (TC39) decorator: no `experimentalDecorators`.
 * The decorator only records the declaration; `startListeners` creates the consumers.
 *
 * ```ts
 * class InventoryService {
 *   @KafkaListener({ topic: orderPlaced, groupId: 'inventory' })
 *   async reserve(order: OrderPlaced, context: ListenerContext) { ... }
 * }
 * ```
 */
import type { KafkaMessage } from '../client/message-types.js'
import { InvalidListenerError } from './errors.js'
import { resolveListenerOptions, type KafkaListenerOptions, type ResolvedListenerOptions } from './listener-options.js'

/** What a handler gets besides the decoded value. */
export interface ListenerContext {
  topic: string
  partition: number
  /** The record as the consumer delivered it (raw key, value, headers, offset, timestamp). */
  message: KafkaMessage
  groupId: string
  /** The attempt at this delivery, from 1 (blocking retries try the same delivery again). */
  attempt: number
  /** The delivery: 1 from the main topic, 2 from the first retry topic, ... (Spring's `retry_topic-attempts`). */
  delivery: number
  /** Aborts when the attempt's `timeoutMs` passes or the container stops; pass it on to cancellable work. */
  signal: AbortSignal
  /** Tells the group coordinator this member is alive, during long work (KafkaJS `heartbeat()`). */
  heartbeat(): Promise<void>
}

/** A listener method: it gets the decoded value and the context; a throw or rejection is a failed attempt. */
export type ListenerHandler<T> = (value: T, context: ListenerContext) => unknown

/** One listener of one object, as `startListeners` runs it. */
export interface ListenerDefinition {
  /** `ClassName.methodName`, for logs and events. */
  readonly id: string
  readonly options: ResolvedListenerOptions
  /** Calls the method on its object. */
  readonly handle: ListenerHandler<unknown>
}

const listenersByObject = new WeakMap<object, ListenerDefinition[]>()

function register(target: object, definition: ListenerDefinition): void {
  const list = listenersByObject.get(target)
  if (list === undefined) listenersByObject.set(target, [definition])
  else list.push(definition)
}

/** The listeners declared on an object (by `@KafkaListener` on its class, or by {@link kafkaListener}). */
export function listenersOf(target: object): readonly ListenerDefinition[] {
  return listenersByObject.get(target) ?? []
}

/**
 * Called as `(prototype, key, descriptor)`: the code was compiled with legacy decorators
 * (TypeScript's `experimentalDecorators`, or Oxc's `decorator.legacy`, the only decorators Vite 8 can lower).
 */
const LEGACY_DECORATOR_CALL =
  '@KafkaListener is a standard (TC39) decorator, but it was called as a legacy (experimentalDecorators) one. ' +
  'Turn off experimentalDecorators (and Vite\'s oxc.decorator.legacy). Under vitest with Vite 8, whose transform cannot ' +
  'lower standard decorators, install Vite 7 beside vitest (npm i -D vite@7, which lowers them with esbuild), ' +
  'or declare the listener without a decorator: kafkaListener(options, handler).'

/**
 * Declares a method as a Kafka listener. Options are checked at once, when the class is defined, so a
 * bad declaration fails at load time with an {@link InvalidListenerError} or `InvalidRetryPolicyError`.
 * The value type comes from the topic: a typed topic's type, or the method's own parameter type for a
 * topic given by name.
 */
export function KafkaListener<T = unknown>(options: KafkaListenerOptions<T>) {
  const resolved = resolveListenerOptions(options, '@KafkaListener')
  return function decorate<This extends object, V extends T>(
    _method: (this: This, value: V, context: ListenerContext) => unknown,
    context: ClassMethodDecoratorContext<This, (this: This, value: V, context: ListenerContext) => unknown>,
  ): void {
    if (typeof context !== 'object' || context === null) throw new InvalidListenerError(LEGACY_DECORATOR_CALL)
    const name = String(context.name)
    if (context.kind !== 'method') throw new InvalidListenerError(`@KafkaListener decorates methods; "${name}" is a ${String(context.kind)}`)
    if (context.static) throw new InvalidListenerError(`@KafkaListener decorates instance methods; "${name}" is static`)
    context.addInitializer(function (this: This) {
      const instance = this
      register(instance, {
        id: `${instance.constructor.name}.${name}`,
        options: resolved,
        // Looked up when called, not now: private methods are installed after initializers run under
        // some decorator transforms, and a later decorator may wrap the method.
        handle: (value, listenerContext) => context.access.get(instance).call(instance, value as V, listenerContext),
      })
    })
  }
}

/**
 * A listener without a class: returns an object that `startListeners` runs like a decorated instance.
 *
 * ```ts
 * const welcome = kafkaListener({ topic: 'signup', groupId: 'welcome-mail' }, async (signup) => { ... })
 * const container = await startListeners(kafka, [welcome])
 * ```
 */
export function kafkaListener<T = unknown>(options: KafkaListenerOptions<T>, handler: ListenerHandler<T>, id = 'kafkaListener'): object {
  if (typeof handler !== 'function') throw new InvalidListenerError(`kafkaListener(options, handler) needs a handler function, got ${typeof handler}`)
  const resolved = resolveListenerOptions(options, id)
  const target = {}
  register(target, { id, options: resolved, handle: handler as ListenerHandler<unknown> })
  return target
}
