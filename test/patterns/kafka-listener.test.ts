import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { InvalidRetryPolicyError } from '../../src/client/dead-letter/retry-policy.js'
import { InvalidListenerError } from '../../src/patterns/errors.js'
import { KafkaListener, kafkaListener, listenersOf, type ListenerContext } from '../../src/patterns/kafka-listener.js'
import { typedTopic } from '../../src/patterns/typed-topic.js'

interface OrderPlaced {
  orderId: string
}
interface OrderCancelled {
  orderId: string
  reason: string
}

const orderPlaced = typedTopic<OrderPlaced>({ name: 'order-placed', key: (o) => o.orderId, numPartitions: 6 })

class InventoryService {
  readonly seen: string[] = []
  constructor(readonly name: string) {}

  @KafkaListener({ topic: orderPlaced, groupId: 'inventory', concurrency: 2, retry: { attempts: 3, timeoutMs: 1000 } })
  async reserve(order: OrderPlaced, context: ListenerContext): Promise<void> {
    this.seen.push(`${this.name} reserves ${order.orderId} from ${context.topic}`)
  }

  @KafkaListener({ topic: 'order-cancelled', groupId: 'inventory' })
  handleOrderCancelled(event: OrderCancelled): void {
    this.seen.push(`${this.name} restocks ${event.orderId}`)
  }

  @KafkaListener({ topics: ['a', 'b'], groupId: 'private', deadLetter: false })
  async #secret(value: unknown): Promise<void> {
    this.seen.push(`secret ${String(value)}`)
  }

  notAListener(): void {}
}

function fakeContext(topic: string): ListenerContext {
  return { topic, partition: 0, message: {} as never, groupId: 'g', attempt: 1, delivery: 1, signal: new AbortController().signal, heartbeat: async () => {} }
}

describe('@KafkaListener', () => {
  it('records each listener of each instance, with resolved options', () => {
    const service = new InventoryService('i1')
    const listeners = listenersOf(service)
    expect(listeners.map((l) => l.id)).toEqual(['InventoryService.reserve', 'InventoryService.handleOrderCancelled', 'InventoryService.#secret'])
    const [reserve, cancelled, secret] = listeners
    expect(reserve!.options).toMatchObject({ groupId: 'inventory', topics: ['order-placed'], concurrency: 2, fromBeginning: false, deadLetterHandlerFailures: true })
    expect(reserve!.options.retry).toMatchObject({ attempts: 3, timeoutMs: 1000 })
    expect(reserve!.options.deadLetterTopics.get('order-placed')).toBe('order-placed-dlt')
    expect(cancelled!.options).toMatchObject({ topics: ['order-cancelled'], deadLetterHandlerFailures: false })
    expect(cancelled!.options.retry.attempts).toBe(1)
    expect(secret!.options.deadLetterTopics.size).toBe(0)
  })

  it('calls the method on its own instance, private methods included', async () => {
    const one = new InventoryService('one')
    const two = new InventoryService('two')
    await listenersOf(one)[0]!.handle({ orderId: 'o-1' }, fakeContext('order-placed'))
    await listenersOf(two)[1]!.handle({ orderId: 'o-2', reason: 'r' }, fakeContext('order-cancelled'))
    await listenersOf(two)[2]!.handle('x', fakeContext('a'))
    expect(one.seen).toEqual(['one reserves o-1 from order-placed'])
    expect(two.seen).toEqual(['two restocks o-2', 'secret x'])
    expect(listenersOf({})).toEqual([])
  })

  it('type-checks the handler against the typed topic', () => {
    class Typed {
      // @ts-expect-error a handler of order-placed must accept an OrderPlaced
      @KafkaListener({ topic: orderPlaced, groupId: 'g' })
      wrong(value: number): void {
        void value
      }
    }
    expect(listenersOf(new Typed())).toHaveLength(1)
  })

  it.each<[string, () => unknown, typeof InvalidListenerError | typeof InvalidRetryPolicyError]>([
    ['no topic', () => KafkaListener({ groupId: 'g' }), InvalidListenerError],
    ['topic and topics', () => KafkaListener({ topic: 'a', topics: ['b'], groupId: 'g' }), InvalidListenerError],
    ['an empty topic name', () => KafkaListener({ topic: '', groupId: 'g' }), InvalidListenerError],
    ['a topic listed twice', () => KafkaListener({ topics: ['a', 'a'], groupId: 'g' }), InvalidListenerError],
    ['no groupId', () => KafkaListener({ topic: 'a', groupId: '' }), InvalidListenerError],
    ['concurrency 0', () => KafkaListener({ topic: 'a', groupId: 'g', concurrency: 0 }), InvalidListenerError],
    ['retry.attempts < 1', () => KafkaListener({ topic: 'a', groupId: 'g', retry: { attempts: 0 } }), InvalidRetryPolicyError],
    ['a negative timeout', () => KafkaListener({ topic: 'a', groupId: 'g', retry: { attempts: 2, timeoutMs: -5 } }), InvalidRetryPolicyError],
    ['a dead-letter topic equal to the source', () => KafkaListener({ topic: 'a', groupId: 'g', deadLetter: { topic: 'a' } }), InvalidRetryPolicyError],
    ['a dead-letter topic equal to another source', () => KafkaListener({ topics: ['a', 'b'], groupId: 'g', deadLetter: { topic: 'b' } }), InvalidRetryPolicyError],
    ['retry topics without a dead-letter topic', () => KafkaListener({ topic: 'a', groupId: 'g', retryTopics: {}, deadLetter: false }), InvalidListenerError],
    ['retry topics with inconsistent attempts', () => KafkaListener({ topic: 'a', groupId: 'g', retryTopics: { attempts: 2, delaysMs: [1, 2] } }), InvalidListenerError],
    ['a negative retry-topic delay', () => KafkaListener({ topic: 'a', groupId: 'g', retryTopics: { delaysMs: [-1] } }), InvalidListenerError],
  ])('rejects %s when the decorator is made', (_, make, errorClass) => {
    expect(make).toThrow(errorClass)
  })

  it('rejects static methods', () => {
    expect(() => {
      class Static {
        @KafkaListener({ topic: 'a', groupId: 'g' })
        static handle(): void {}
      }
      return Static
    }).toThrow(/static/)
  })

  it('called as a legacy decorator (experimentalDecorators, Vite 8 oxc.decorator.legacy), says what to configure', () => {
    class Legacy {
      handle(): void {}
    }
    const legacyCall = KafkaListener({ topic: 'a', groupId: 'g' }) as unknown as (target: object, key: string, descriptor: PropertyDescriptor) => void
    const call = () => legacyCall(Legacy.prototype, 'handle', Object.getOwnPropertyDescriptor(Legacy.prototype, 'handle')!)
    expect(call).toThrow(InvalidListenerError)
    expect(call).toThrow(/legacy.*npm i -D vite@7.*kafkaListener\(options, handler\)/)
  })

  it("README's decorator paragraph says what to configure under Vitest 4 with Vite 8: the same two fixes as the error", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const paragraph = readme.slice(readme.indexOf('`@KafkaListener` is a standard (TC39) decorator'))
    const advice = paragraph.slice(0, paragraph.indexOf('\n\n'))
    expect(advice).toMatch(/Vitest 4 with Vite 8/)
    expect(advice).toMatch(/npm i -D vite@7/)
    expect(advice).toMatch(/kafkaListener\(\{ topic, groupId \}, handler\)/)
  })

  it('declares a listener without a class', async () => {
    const seen: unknown[] = []
    const listener = kafkaListener<OrderPlaced>({ topic: orderPlaced, groupId: 'g' }, (order) => {
      seen.push(order.orderId)
    })
    await listenersOf(listener)[0]!.handle({ orderId: 'x' }, fakeContext('order-placed'))
    expect(seen).toEqual(['x'])
    expect(() => kafkaListener({ topic: 'a', groupId: 'g' }, 'nope' as never)).toThrow(InvalidListenerError)
  })
})
