/**
 * Mistakes that plain JavaScript lets through and TypeScript would catch: each is rejected at
 * once with a typed error that says what to do, instead of being ignored in silence.
 */
import { describe, expect, it, vi } from 'vitest'
import { Cluster, InvalidClusterOptionError, InvalidHookError, Kafka, KafkaJSNonRetriableError, KafkaErrors, logLevel, VirtualClock, type ClusterOptions, type RequestHook } from 'kafkalite'

const loose = <T>(value: unknown): T => value as T

describe('rejected at once, with what to do', () => {
  it('new Cluster({ broker: 3 }): an unknown option, with the one meant', () => {
    expect(() => new Cluster(loose<ClusterOptions>({ broker: 3 }))).toThrow(InvalidClusterOptionError)
    expect(() => new Cluster(loose<ClusterOptions>({ broker: 3 }))).toThrow(/unknown Cluster option "broker" \(did you mean "brokers"\?\)/)
  })

  it('{ brokers: 1, defaultReplicationFactor: 3 }: an impossible combination', () => {
    expect(() => new Cluster({ brokers: 1, defaultReplicationFactor: 3 })).toThrow(InvalidClusterOptionError)
    expect(() => new Cluster({ brokers: 1, defaultReplicationFactor: 3 })).toThrow(/pass brokers: 3 or lower defaultReplicationFactor/)
  })

  it("a request hook on api 'Produc' or with an unknown action type would never fire", () => {
    const cluster = new Cluster()
    const fail = { type: 'fail', errorCode: KafkaErrors.NOT_LEADER_OR_FOLLOWER.code } as const
    expect(() => cluster.transport.hooks.add(loose<RequestHook>({ api: 'Produc', action: fail }))).toThrow(InvalidHookError)
    expect(() => cluster.transport.hooks.add(loose<RequestHook>({ api: 'Produc', action: fail }))).toThrow(/did you mean "Produce"/)
    expect(() => cluster.transport.hooks.add(loose<RequestHook>({ api: 'Produce', action: { type: 'fial', errorCode: 6 } }))).toThrow(
      /action.type must be one of delay, fail, drop, dropResponse/,
    )
    expect(() => cluster.transport.hooks.add(loose<RequestHook>({ api: 'Produce', action: { type: 'delay', millis: 5 } }))).toThrow(/"millis".*a 'delay' action has type, ms/)
    expect(() => cluster.transport.hooks.add(loose<RequestHook>({ apis: 'Produce', action: fail }))).toThrow(/did you mean "api"/)
    // Nothing was registered by the rejected calls.
    expect(() => cluster.transport.hooks.add({ api: 'Produce', action: fail, times: 1 })).not.toThrow()
  })

  it('run({ eachmessage }) would consume nothing', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ clock })
    const consumer = new Kafka({ cluster, logLevel: logLevel.NOTHING }).consumer({ groupId: 'g' })
    await clock.run(consumer.subscribe({ topics: ['orders'] }))
    const run = clock.run(consumer.run(loose({ eachmessage: async () => undefined })))
    await expect(run).rejects.toThrow(KafkaJSNonRetriableError)
    await expect(run).rejects.toThrow(/unknown consumer.run option "eachmessage" \(did you mean "eachMessage"\?\)/)
    await clock.run(cluster.close())
  })
})

describe('a forgotten clock.run() on a VirtualClock', () => {
  it('warns, within the configured real time, that nobody advances the clock and how to fix it', async () => {
    let warned!: (message: string) => void
    const warning = new Promise<string>((resolve) => (warned = resolve))
    const clock = new VirtualClock(undefined, { idleWarning: { afterMs: 50, onIdle: (message) => warned(message) } })
    const cluster = new Cluster({ clock })
    const producer = new Kafka({ cluster, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).producer()
    // The mistake: awaiting a client call directly. The request's timeout timer waits on virtual time nobody moves.
    cluster.transport.hooks.add({ api: 'Metadata', action: { type: 'drop' } })
    const connecting = producer.connect()
    connecting.catch(() => undefined)
    const message = await warning
    expect(message).toMatch(/await clock\.run\(promise\)/)
    // With many clocks in one process, the warning says which one: where it was made.
    expect(message).toMatch(/The clock was made at .*plain-javascript-footguns\.test\.ts/)
    await clock.run(cluster.close())
  })

  it('is on by default: a plain new VirtualClock() prints the hint as a process warning (code KAFKALITE_VIRTUAL_CLOCK_IDLE) after 2 s of real time', async () => {
    // The 2 s of real time pass on faked timers: the watchdog's real setTimeout is the only one faked (the virtual clock
    // moves on setImmediate), so the warning is shown not to come a millisecond early, without waiting 2 s.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    // Only the clock's own warning: Node may emit others (deprecations) in the same process.
    const warnings: (Error & { code?: string })[] = []
    const listener = (emitted: Error & { code?: string }): void => {
      if (emitted.code === 'KAFKALITE_VIRTUAL_CLOCK_IDLE') warnings.push(emitted)
    }
    process.on('warning', listener)
    try {
      const clock = new VirtualClock()
      const cluster = new Cluster({ clock })
      const producer = new Kafka({ cluster, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).producer()
      cluster.transport.hooks.add({ api: 'Metadata', action: { type: 'drop' } })
      producer.connect().catch(() => undefined)
      await vi.advanceTimersByTimeAsync(1999)
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings).toEqual([])
      await vi.advanceTimersByTimeAsync(1)
      // process.emitWarning emits on the next tick.
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings).toHaveLength(1)
      expect(warnings[0]!.message).toMatch(/await clock\.run\(promise\)/)
      await clock.run(cluster.close())
    } finally {
      process.off('warning', listener)
      vi.useRealTimers()
    }
  })

  it('stays silent while the test drives the clock', async () => {
    const warnings: string[] = []
    const clock = new VirtualClock(undefined, { idleWarning: { afterMs: 1, onIdle: (message) => warnings.push(message) } })
    const cluster = new Cluster({ clock })
    const producer = new Kafka({ cluster, logLevel: logLevel.NOTHING }).producer()
    await clock.run(producer.connect())
    await clock.run(producer.send({ topic: 'orders', messages: [{ value: 'v' }] }))
    await clock.run(cluster.close())
    expect(warnings).toEqual([])
  })
})
