/** ListOffsets over the wire: an error a version does not know is answered as the one Kafka gives it instead. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { brokerSideOf, Cluster } from '../../src/cluster.js'
import { Errors } from '../../src/protocol/index.js'
import { listOffsetsCodec } from '../../src/wire/apis/02-list-offsets.js'
import type { WireListener } from '../../src/wire/listener.js'
import { RawClient } from './raw-client.js'

let cluster: Cluster
let listener: WireListener
let client: RawClient

beforeAll(async () => {
  cluster = new Cluster({ brokers: 1 })
  listener = await cluster.listen({ port: 0, log: () => undefined })
  await brokerSideOf(cluster).controller.createTopic({ name: 'orders', numPartitions: 1, replicationFactor: 1, replicaAssignment: [], configs: [] }, false)
  client = await RawClient.open(listener.brokers[0]!)
})

afterAll(async () => {
  client.close()
  await cluster.close()
})

describe('ListOffsets versions', () => {
  it('OFFSET_NOT_AVAILABLE (a new leader whose high watermark lags) reaches v5 as it is and v1-v4 as LEADER_NOT_AVAILABLE (KIP-207)', async () => {
    const unsettled = cluster.transport.hooks.add({ api: 'ListOffsets', action: { type: 'fail', errorCode: Errors.OFFSET_NOT_AVAILABLE.code } })
    const codes: Record<number, number> = {}
    for (const version of [1, 2, 3, 4, 5]) {
      const body = { replicaId: -1, isolationLevel: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1 }] }] }
      const answer = (await client.request(listOffsetsCodec, version, body)) as { topics: Array<{ partitions: Array<{ errorCode: number }> }> }
      codes[version] = answer.topics[0]!.partitions[0]!.errorCode
    }
    unsettled.remove()
    const leaderNotAvailable = Errors.LEADER_NOT_AVAILABLE.code
    expect(codes).toEqual({ 1: leaderNotAvailable, 2: leaderNotAvailable, 3: leaderNotAvailable, 4: leaderNotAvailable, 5: Errors.OFFSET_NOT_AVAILABLE.code })
  })
})
