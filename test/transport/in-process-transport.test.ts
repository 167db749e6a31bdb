import { describe, expect, it } from 'vitest'
import { BrokerUnreachableError, RequestTimeoutError, type ApiName, type Endpoint, type Reply, type RequestOf, type ResponseOf } from '../../src/protocol/api.js'
import { Errors } from '../../src/protocol/error-codes.js'
import { InProcessTransport, type BrokerEndpoints } from '../../src/transport/in-process-transport.js'
import { VirtualClock } from '../../src/time/virtual-clock.js'

const client: Endpoint = { kind: 'client', clientId: 't' }
const heartbeat = { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null }

function fakeBrokers(clock: VirtualClock, down = new Set<number>()) {
  const served: string[] = []
  const brokers: BrokerEndpoints = {
    clock,
    unreachableReason: (_from, id) => (down.has(id) ? `broker ${id} is down` : null),
    serve: <K extends ApiName>(id: number, _from: Endpoint, api: K, _req: RequestOf<K>, _signal: AbortSignal | undefined, reply: Reply<ResponseOf<K>>) => {
      served.push(`${api}@${id}`)
      queueMicrotask(() => reply.resolve({ errorCode: 0 } as unknown as ResponseOf<K>))
    },
  }
  return { brokers, served }
}

describe('InProcessTransport', () => {
  it('delivers a request to the broker and returns its response', async () => {
    const clock = new VirtualClock(0)
    const { brokers, served } = fakeBrokers(clock)
    const transport = new InProcessTransport(brokers)
    await expect(transport.send(client, 0, 'Heartbeat', heartbeat)).resolves.toEqual({ errorCode: 0 })
    expect(served).toEqual(['Heartbeat@0'])
    expect(transport.stats.byApi.Heartbeat).toBe(1)
  })

  it('rejects with BrokerUnreachableError when the broker is down', async () => {
    const clock = new VirtualClock(0)
    const transport = new InProcessTransport(fakeBrokers(clock, new Set([1])).brokers)
    await expect(transport.send(client, 1, 'Heartbeat', heartbeat)).rejects.toBeInstanceOf(BrokerUnreachableError)
  })

  it('a fail hook answers with the error code without serving the request, the given number of times', async () => {
    const clock = new VirtualClock(0)
    const { brokers, served } = fakeBrokers(clock)
    const transport = new InProcessTransport(brokers)
    const hook = transport.hooks.add({ api: 'Heartbeat', action: { type: 'fail', errorCode: Errors.REBALANCE_IN_PROGRESS.code }, times: 1 })
    await expect(transport.send(client, 0, 'Heartbeat', heartbeat)).resolves.toEqual({ errorCode: 27 })
    await expect(transport.send(client, 0, 'Heartbeat', heartbeat)).resolves.toEqual({ errorCode: 0 })
    expect(hook.fired).toBe(1)
    expect(served).toEqual(['Heartbeat@0'])
  })

  it('a dropped request times out after the request timeout, on the virtual clock', async () => {
    const clock = new VirtualClock(0)
    const { brokers, served } = fakeBrokers(clock)
    const transport = new InProcessTransport(brokers)
    transport.hooks.add({ api: 'Heartbeat', action: { type: 'drop' } })
    const pending = transport.send(client, 0, 'Heartbeat', heartbeat, { requestTimeoutMs: 30_000 })
    await expect(clock.run(pending)).rejects.toBeInstanceOf(RequestTimeoutError)
    expect(clock.now()).toBe(30_000)
    expect(served).toEqual([])
  })

  it('a lost response means the broker did the work but the client times out', async () => {
    const clock = new VirtualClock(0)
    const { brokers, served } = fakeBrokers(clock)
    const transport = new InProcessTransport(brokers)
    transport.hooks.add({ api: 'Heartbeat', action: { type: 'dropResponse' }, times: 1 })
    await expect(clock.run(transport.send(client, 0, 'Heartbeat', heartbeat, { requestTimeoutMs: 100 }))).rejects.toBeInstanceOf(RequestTimeoutError)
    expect(served).toEqual(['Heartbeat@0'])
  })

  it('a delayed request whose sender timed out is never served, as its connection was closed', async () => {
    const clock = new VirtualClock(0)
    const { brokers, served } = fakeBrokers(clock)
    const transport = new InProcessTransport(brokers)
    transport.hooks.add({ api: 'Heartbeat', action: { type: 'delay', ms: 300 }, times: 1 })
    const late = transport.send(client, 0, 'Heartbeat', heartbeat, { requestTimeoutMs: 100 })
    late.catch(() => undefined)
    await clock.advance(150)
    await expect(late).rejects.toBeInstanceOf(RequestTimeoutError)
    await expect(transport.send(client, 0, 'Heartbeat', heartbeat, { requestTimeoutMs: 100 })).resolves.toEqual({ errorCode: 0 })
    await clock.advance(500)
    expect(served).toEqual(['Heartbeat@0'])
  })

  it('a delay hook holds the request on the clock', async () => {
    const clock = new VirtualClock(0)
    const transport = new InProcessTransport(fakeBrokers(clock).brokers)
    const hook = transport.hooks.add({ brokerId: 0, action: { type: 'delay', ms: 250 } })
    await clock.run(transport.send(client, 0, 'Heartbeat', heartbeat))
    expect(clock.now()).toBe(250)
    hook.remove()
    await clock.run(transport.send(client, 0, 'Heartbeat', heartbeat))
    expect(clock.now()).toBe(250)
  })

  it('rejects malformed hooks with a clear error and registers nothing', () => {
    const transport = new InProcessTransport(fakeBrokers(new VirtualClock(0)).brokers)
    expect(() => transport.hooks.add({ action: { type: 'delay', ms: -5 } })).toThrow(/delay hook needs ms >= 0/)
    expect(() => transport.hooks.add({ action: { type: 'drop' }, times: 0 })).toThrow(/positive integer/)
    expect(transport.hooks.match('Heartbeat', client, 0, heartbeat)).toBeUndefined()
  })
})
