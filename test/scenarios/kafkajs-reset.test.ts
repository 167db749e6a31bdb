/**
 * `resetDefaultCluster()` isolates tests: what one test leaks (a running consumer, the options it
 * reset with) must not reach the next test's cluster.
 */
import { describe, expect, it } from 'vitest'
import { Kafka, getDefaultCluster, logLevel, resetDefaultCluster } from 'kafkalite/kafkajs'
import { KafkaliteClusterClosedError, SystemClock, VirtualClock } from 'kafkalite'

// A module-level client, as an app under test has it.
const kafka = new Kafka({ clientId: 'app', brokers: ['localhost:9092'], logLevel: logLevel.NOTHING })

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let e = error; e !== undefined && e !== null && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e)
  return chain
}

describe('resetDefaultCluster()', () => {
  it('closes the old cluster: a consumer leaked from an earlier test stops and does not join the new cluster’s group', async () => {
    const clock = new VirtualClock()
    const old = resetDefaultCluster({ clock, seed: 1 })
    const leaked = kafka.consumer({ groupId: 'billing' })
    const stopped: string[] = []
    leaked.on(leaked.events.STOP, () => stopped.push('stopped'))
    await clock.run(leaked.subscribe({ topics: ['orders'] }))
    await clock.run(leaked.run({ eachMessage: async () => undefined }))

    const next = resetDefaultCluster({ clock, seed: 2 })
    await clock.runAll({ maxMs: 60_000 })

    expect(old.closed).toBe(true)
    expect(next).not.toBe(old)
    expect(stopped).toEqual(['stopped'])
    // The new cluster knows no group: the leaked member never moved over.
    const admin = kafka.admin()
    expect((await clock.run(admin.listGroups())).groups).toEqual([])
    // Used again, the leaked client fails loudly, naming the closed cluster.
    const error = await clock.run(leaked.describeGroup()).catch((e: unknown) => e)
    expect(causeChain(error).some((e) => e instanceof KafkaliteClusterClosedError)).toBe(true)
    expect(String(error)).toMatch(/cluster was closed/)
    // Nothing of either cluster stays scheduled once the new one is closed too.
    await clock.run(next.close())
    expect(clock.pendingTimers()).toBe(0)
  })

  it('starts from the defaults: options of an earlier reset (the clock, the brokers) do not carry over', () => {
    resetDefaultCluster({ brokers: 3, clock: new VirtualClock() })
    const fresh = resetDefaultCluster()
    expect(getDefaultCluster()).toBe(fresh)
    expect(fresh.clock).toBeInstanceOf(SystemClock)
    expect(fresh.brokerIds()).toEqual([0])
    resetDefaultCluster()
  })
})
