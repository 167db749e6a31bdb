import { describe, expect, it } from 'vitest'
import { DirectChannel } from '../../../src/broker/direct-channel.js'
import { Errors, type ApiName, type Endpoint, type FetchRequest, type FetchResponse, type RequestOf, type SendOptions } from '../../../src/protocol/index.js'
import type { BrokerFleet } from '../../../src/broker/broker-fleet.js'
import type { VirtualClock } from '../../../src/time/index.js'
import { CLIENT, createTopic, makeCluster, produce } from '../cluster-test-kit.js'

type SessionFetch = Pick<FetchRequest, 'sessionId' | 'sessionEpoch' | 'forgottenTopics' | 'topics'> & { maxWaitMs?: number }

function sessionFetch(clock: VirtualClock, cluster: BrokerFleet, request: SessionFetch): Promise<FetchResponse> {
  return clock.run(cluster.dispatch(0, CLIENT, 'Fetch', { replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, ...request }))
}

const at = (partition: number, fetchOffset: number) => ({ partition, fetchOffset, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 })
/** Partition -> number of records answered, for each partition the answer names. */
const answered = (response: FetchResponse) =>
  Object.fromEntries(response.topics.flatMap((t) => t.partitions.map((p) => [p.partition, p.batches.reduce((n, b) => n + b.count, 0)])))

describe('fetch sessions (KIP-227)', () => {
  it('answers an incremental fetch with only the partitions that have something new, again until the fetcher asks from further on', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 't', 3)
    await produce(clock, cluster, 't', ['a'], { partition: 0 })
    const opened = await sessionFetch(clock, cluster, { sessionId: 0, sessionEpoch: 0, topics: [{ topic: 't', partitions: [at(0, 0), at(1, 0), at(2, 0)] }] })
    expect(opened.sessionId).toBeGreaterThan(0)
    expect(answered(opened)).toEqual({ 0: 1, 1: 0, 2: 0 })
    const sessionId = opened.sessionId!

    // Partition 0 was answered but is still asked from offset 0: it comes again, as Kafka re-reads it.
    expect(answered(await sessionFetch(clock, cluster, { sessionId, sessionEpoch: 1, topics: [] }))).toEqual({ 0: 1 })
    expect(answered(await sessionFetch(clock, cluster, { sessionId, sessionEpoch: 2, topics: [{ topic: 't', partitions: [at(0, 1)] }] }))).toEqual({})

    await produce(clock, cluster, 't', ['b', 'c'], { partition: 2 })
    expect(answered(await sessionFetch(clock, cluster, { sessionId, sessionEpoch: 3, topics: [] }))).toEqual({ 2: 2 })
    expect(answered(await sessionFetch(clock, cluster, { sessionId, sessionEpoch: 4, topics: [{ topic: 't', partitions: [at(2, 2)] }] }))).toEqual({})

    // A forgotten partition is no longer answered.
    await sessionFetch(clock, cluster, { sessionId, sessionEpoch: 5, forgottenTopics: [{ topic: 't', partitions: [1] }], topics: [] })
    await produce(clock, cluster, 't', ['d'], { partition: 1 })
    expect(answered(await sessionFetch(clock, cluster, { sessionId, sessionEpoch: 6, topics: [] }))).toEqual({})
  })

  it('sends a moved high watermark once, without records', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 't', 1)
    const opened = await sessionFetch(clock, cluster, { sessionId: 0, sessionEpoch: 0, topics: [{ topic: 't', partitions: [at(0, 0)] }] })
    const sessionId = opened.sessionId!
    await produce(clock, cluster, 't', ['a'])
    const first = await sessionFetch(clock, cluster, { sessionId, sessionEpoch: 1, topics: [{ topic: 't', partitions: [at(0, 1)] }] })
    expect(first.topics[0]!.partitions[0]!.highWatermark).toBe(1)
    expect(first.topics[0]!.partitions[0]!.batches).toEqual([])
    expect(answered(await sessionFetch(clock, cluster, { sessionId, sessionEpoch: 2, topics: [] }))).toEqual({})
  })

  it('a parked incremental fetch wakes when a session partition gets records, not at its timeout', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 't', 2)
    const opened = await sessionFetch(clock, cluster, { sessionId: 0, sessionEpoch: 0, topics: [{ topic: 't', partitions: [at(0, 0), at(1, 0)] }] })
    const start = clock.now()
    const parked = cluster.dispatch(0, CLIENT, 'Fetch', { replicaId: -1, maxWaitMs: 60_000, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: opened.sessionId!, sessionEpoch: 1, topics: [] })
    await clock.advance(100)
    await produce(clock, cluster, 't', ['x'], { partition: 1 })
    const response = await parked
    expect(clock.now() - start).toBeLessThan(1000)
    expect(answered(response)).toEqual({ 1: 1 })
  })

  it('refuses an unknown session with FETCH_SESSION_ID_NOT_FOUND and a wrong epoch with INVALID_FETCH_SESSION_EPOCH; a crash forgets every session', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 't', 1)
    expect((await sessionFetch(clock, cluster, { sessionId: 12345, sessionEpoch: 1, topics: [] })).errorCode).toBe(Errors.FETCH_SESSION_ID_NOT_FOUND.code)
    const opened = await sessionFetch(clock, cluster, { sessionId: 0, sessionEpoch: 0, topics: [{ topic: 't', partitions: [at(0, 0)] }] })
    const sessionId = opened.sessionId!
    expect((await sessionFetch(clock, cluster, { sessionId, sessionEpoch: 7, topics: [] })).errorCode).toBe(Errors.INVALID_FETCH_SESSION_EPOCH.code)
    expect((await sessionFetch(clock, cluster, { sessionId, sessionEpoch: 1, topics: [] })).errorCode).toBeUndefined()
    cluster.crashBroker(0)
    cluster.restartBroker(0)
    await clock.advance(1000)
    expect((await sessionFetch(clock, cluster, { sessionId, sessionEpoch: 2, topics: [] })).errorCode).toBe(Errors.FETCH_SESSION_ID_NOT_FOUND.code)
  })

  it('followers fetch in sessions: after the first round, a fetch names only the partitions whose offset moved', async () => {
    const { clock, cluster } = makeCluster({ brokers: 3 })
    const followerFetches: FetchRequest[] = []
    const direct = new DirectChannel(cluster)
    cluster.attachChannel({
      send<K extends ApiName>(from: Endpoint, brokerId: number, api: K, request: RequestOf<K>, options?: SendOptions) {
        if (api === 'Fetch' && from.kind === 'broker') followerFetches.push(request as FetchRequest)
        return direct.send(from, brokerId, api, request, options)
      },
    })
    await createTopic(cluster, 't', 20, 3)
    await clock.advance(2000)
    followerFetches.length = 0
    for (let round = 0; round < 3; round++) await produce(clock, cluster, 't', ['v'], { partition: round })
    await clock.advance(2000)
    const named = followerFetches.map((request) => request.topics.reduce((n, t) => n + t.partitions.length, 0))
    expect(followerFetches.length).toBeGreaterThan(0)
    expect(followerFetches.every((request) => (request.sessionId ?? 0) > 0)).toBe(true)
    // Three records on three partitions: each follower names each of them once, when its offset moves.
    expect(named.reduce((a, b) => a + b, 0)).toBe(3 * 2)
    for (const id of [0, 1, 2]) for (let p = 0; p < 3; p++) expect(cluster.broker(id).replica('t', p)!.logEndOffset).toBe(1)
  })

  it("a follower's fetches keep it caught up on partitions that did not change, and stop doing so when they stop", async () => {
    // A follower fetch records each session partition as fetched (Kafka's leader reads them all), but the leader only
    // visits those that changed: the others follow the session's latest fetch. Idle partitions must still see the
    // follower caught up on every fetch, or replica.lag.time.max.ms would drop it from their ISR.
    const { clock, cluster } = makeCluster({ brokers: 3, replicaLagTimeMaxMs: 5000 })
    let blocked: number | null = null
    const direct = new DirectChannel(cluster)
    cluster.attachChannel({
      send<K extends ApiName>(from: Endpoint, brokerId: number, api: K, request: RequestOf<K>, options?: SendOptions) {
        if (api === 'Fetch' && from.kind === 'broker' && from.brokerId === blocked) return Promise.reject(new Error('follower fetches blocked'))
        return direct.send(from, brokerId, api, request, options)
      },
    })
    await createTopic(cluster, 't', 20, 3)
    await produce(clock, cluster, 't', ['v'], { partition: 0 })
    await clock.advance(1000)
    // Partition epochs move on every ISR change: a follower dropped and re-added in between would show.
    const epochs = () => cluster.controller.topics.get('t')!.partitions.map((p) => p.partitionEpoch)
    const settled = epochs()
    await clock.advance(60_000)
    expect(epochs()).toEqual(settled)
    expect(cluster.controller.topics.get('t')!.partitions.every((p) => p.isr.length === 3)).toBe(true)

    blocked = 2
    await clock.advance(20_000)
    const led = (id: number) => cluster.controller.topics.get('t')!.partitions.filter((p) => p.leader === id)
    expect(led(0).length + led(1).length).toBeGreaterThan(0)
    for (const p of [...led(0), ...led(1)]) expect([...p.isr].sort()).toEqual([0, 1])
  })
})
