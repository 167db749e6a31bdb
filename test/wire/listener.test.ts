/** The wire listener over real loopback sockets: advertised addresses, ApiVersions, bad input, hooks and crashes. */
import { brokerSideOf } from '../../src/cluster.js'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../src/cluster.js'
import { Errors } from '../../src/protocol/index.js'
import { API_CODECS } from '../../src/wire/api-table.js'
import { apiVersionsCodec } from '../../src/wire/apis/18-api-versions.js'
import { metadataCodec } from '../../src/wire/apis/03-metadata.js'
import { produceCodec } from '../../src/wire/apis/00-produce.js'
import { fetchCodec } from '../../src/wire/apis/01-fetch.js'
import { saslHandshakeCodec } from '../../src/wire/apis/17-sasl-handshake.js'
import { decodeResponseFrame, encodeRequestFrame } from '../../src/wire/frame.js'
import type { WireListener } from '../../src/wire/listener.js'
import { buildRecordBatch } from '../../src/broker/record-batch-builder.js'
import { encodeRecordBatches } from '../../src/wire/record-batch.js'
import type { Message } from '../../src/wire/schema.js'
import { RawClient } from './raw-client.js'

const opened: Array<{ cluster: Cluster; clients: RawClient[] }> = []

async function start(options: { maxRequestBytes?: number } = {}): Promise<{ cluster: Cluster; listener: WireListener; logs: string[]; client: (broker?: number) => Promise<RawClient> }> {
  const cluster = new Cluster({ brokers: 3, defaultReplicationFactor: 3, seed: 1 })
  const logs: string[] = []
  const listener = await cluster.listen({ port: 0, logLevel: 'info', log: (level, line) => logs.push(`${level} ${line}`), ...options })
  const entry = { cluster, clients: [] as RawClient[] }
  opened.push(entry)
  return {
    cluster,
    listener,
    logs,
    client: async (broker = 0) => {
      const c = await RawClient.open(listener.brokers[broker]!)
      entry.clients.push(c)
      return c
    },
  }
}

afterEach(async () => {
  for (const { cluster, clients } of opened.splice(0)) {
    for (const c of clients) c.close()
    await cluster.close()
  }
})

function oneRecordBatch(value: string): Buffer {
  return encodeRecordBatches([
    buildRecordBatch(
      { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false, records: [{ key: null, value: Buffer.from(value), headers: [], timestamp: 1000 }] },
      { baseOffset: 0, leaderEpoch: 0, timestampType: 'CreateTime', nowMs: 0 },
    ),
  ])
}

function produce(topic: string, records: Buffer): Message {
  return { transactionalId: null, acks: -1, timeoutMs: 5000, topics: [{ name: topic, partitions: [{ index: 0, records }] }] }
}

describe('wire listener', () => {
  it('advertises each broker at its own listener port in Metadata', async () => {
    const { listener, client } = await start()
    const c = await client(1)
    const answer = (await c.request(metadataCodec, 6, { topics: null })) as { brokers: Array<{ nodeId: number; host: string; port: number }> }
    expect(answer.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...listener.brokers].sort())
    for (const b of answer.brokers) expect(listener.brokers[b.nodeId]).toBe(`${b.host}:${b.port}`)
  })

  it('ApiVersions lists exactly the served APIs and versions (Produce from v0, as Kafka 4.0 does: KAFKA-18659), in v3 (flexible) and v0', async () => {
    const { client } = await start()
    const c = await client()
    const expected = API_CODECS.map((codec) => ({ apiKey: codec.key, minVersion: codec.key === 0 ? 0 : codec.minVersion, maxVersion: codec.maxVersion }))
    for (const version of [0, 3]) {
      const answer = (await c.request(apiVersionsCodec, version, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' })) as { errorCode: number; apiKeys: unknown[] }
      expect(answer.errorCode).toBe(0)
      expect(answer.apiKeys).toEqual(expected)
    }
  })

  it('answers an ApiVersions version it does not know in v0 with UNSUPPORTED_VERSION and the version list (KIP-511)', async () => {
    const { client } = await start()
    const c = await client()
    const frame = encodeRequestFrame(apiVersionsCodec, 3, 9, 'raw', {})
    frame.writeInt16BE(99, 6)
    const answer = decodeResponseFrame(apiVersionsCodec, 0, await c.sendRaw(frame))
    expect(answer.correlationId).toBe(9)
    expect(answer.body['errorCode']).toBe(Errors.UNSUPPORTED_VERSION.code)
    expect((answer.body['apiKeys'] as unknown[]).length).toBe(API_CODECS.length)
  })

  it('closes only the offending connection, with a log line, on an oversized, malformed, unknown-API or unsupported-version frame', async () => {
    const { client, logs } = await start({ maxRequestBytes: 1000 })
    const healthy = await client()
    const cases: Array<[string, Buffer]> = [
      ['larger than socket.request.max.bytes', Buffer.from([0, 0, 0x10, 0])],
      ['negative', Buffer.from([0xff, 0xff, 0xff, 0xff])],
      ['malformed request', Buffer.from([0, 0, 0, 6, 0, 3, 0, 1, 0, 0])],
      ['unknown API key 999', (() => { const f = encodeRequestFrame(metadataCodec, 1, 1, 'raw', { topics: [] }); f.writeInt16BE(999, 4); return f })()],
      ['Metadata v42 is not served', (() => { const f = encodeRequestFrame(metadataCodec, 1, 1, 'raw', { topics: [] }); f.writeInt16BE(42, 6); return f })()],
    ]
    for (const [reason, bytes] of cases) {
      const bad = await client()
      bad.write(bytes)
      await bad.closed
      expect(logs.some((line) => line.includes(reason)), `${reason} in ${logs.join('\n')}`).toBe(true)
    }
    const answer = (await healthy.request(metadataCodec, 1, { topics: [] })) as { brokers: unknown[] }
    expect(answer.brokers).toHaveLength(3)
  })

  it('answers CORRUPT_MESSAGE for a batch with a bad CRC and leaves the log unchanged', async () => {
    const { cluster, client } = await start()
    await brokerSideOf(cluster).controller.createTopic({ name: 'crc', numPartitions: 1, replicationFactor: 3, replicaAssignment: [], configs: [] }, false)
    const leader = brokerSideOf(cluster).controller.topics.get('crc')!.partitions[0]!.leader
    const c = await client(leader)
    const bad = oneRecordBatch('damaged')
    bad[bad.length - 2] ^= 0x01
    const answer = (await c.request(produceCodec, 7, produce('crc', bad))) as { topics: Array<{ partitions: Array<{ errorCode: number }> }> }
    expect(answer.topics[0]!.partitions[0]!.errorCode).toBe(Errors.CORRUPT_MESSAGE.code)
    expect(brokerSideOf(cluster).broker(leader).replica('crc', 0)!.log.logEndOffset).toBe(0)
    const good = (await c.request(produceCodec, 7, produce('crc', oneRecordBatch('fine')))) as { topics: Array<{ partitions: Array<{ errorCode: number; baseOffset: number }> }> }
    expect(good.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, baseOffset: 0 })
    const fetched = (await c.request(fetchCodec, 11, {
      maxWaitMs: 0,
      minBytes: 0,
      topics: [{ topic: 'crc', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
    })) as { responses: Array<{ partitions: Array<{ highWatermark: number; records: Buffer }> }> }
    expect(fetched.responses[0]!.partitions[0]!.highWatermark).toBe(1)
    expect(fetched.responses[0]!.partitions[0]!.records.includes(Buffer.from('fine'))).toBe(true)
  })

  it('applies the transport request hooks to requests that arrive over TCP', async () => {
    const { cluster, client } = await start()
    const hook = cluster.transport.hooks.add({ api: 'Metadata', action: { type: 'fail', errorCode: Errors.LEADER_NOT_AVAILABLE.code }, times: 1 })
    const c = await client()
    const answer = (await c.request(metadataCodec, 6, { topics: [{ name: 'x' }], allowAutoTopicCreation: false })) as { topics: Array<{ errorCode: number }> }
    expect(hook.fired).toBe(1)
    expect(answer.topics[0]!.errorCode).toBe(Errors.LEADER_NOT_AVAILABLE.code)
  })

  it('warns when bound to a host other than loopback’s 127.0.0.1, and limits connections per broker listener', async () => {
    const cluster = new Cluster({ brokers: 1 })
    opened.push({ cluster, clients: [] })
    const logs: string[] = []
    const listener = await cluster.listen({ host: '127.0.0.2', port: 0, maxConnections: 1, log: (level, line) => logs.push(`${level} ${line}`) })
    expect(logs.some((line) => line.startsWith('warn listening on 127.0.0.2 with no TLS and no SASL'))).toBe(true)
    const first = await RawClient.open(listener.brokers[0]!)
    opened.at(-1)!.clients.push(first)
    await first.request(metadataCodec, 1, { topics: [] })
    const second = await RawClient.open(listener.brokers[0]!)
    await second.closed
    const answer = (await first.request(metadataCodec, 1, { topics: [] })) as { brokers: unknown[] }
    expect(answer.brokers).toHaveLength(1)
  })

  it('authenticates SASL/PLAIN after a v0 handshake from the raw token frame, and refuses requests before it', async () => {
    const cluster = new Cluster({ brokers: 1 })
    opened.push({ cluster, clients: [] })
    const listener = await cluster.listen({ port: 0, saslPlainUsers: { alice: 'secret' }, log: () => undefined })
    const early = await RawClient.open(listener.brokers[0]!)
    early.write(encodeRequestFrame(metadataCodec, 1, 1, 'raw', { topics: [] }))
    await early.closed
    const client = await RawClient.open(listener.brokers[0]!)
    opened.at(-1)!.clients.push(client)
    expect(await client.request(saslHandshakeCodec, 0, { mechanism: 'SCRAM-SHA-256' })).toEqual({ errorCode: Errors.UNSUPPORTED_SASL_MECHANISM.code, mechanisms: ['PLAIN'] })
    expect(await client.request(saslHandshakeCodec, 0, { mechanism: 'PLAIN' })).toEqual({ errorCode: 0, mechanisms: ['PLAIN'] })
    const token = Buffer.from('\u0000alice\u0000secret')
    const size = Buffer.alloc(4)
    size.writeInt32BE(token.length)
    expect((await client.sendRaw(Buffer.concat([size, token]))).length).toBe(0)
    const answer = (await client.request(metadataCodec, 1, { topics: [] })) as { brokers: unknown[] }
    expect(answer.brokers).toHaveLength(1)
  })

  it('cluster.close() closes its listeners and their connections; listen() on a closed cluster throws', async () => {
    const { cluster, listener, client } = await start()
    const c = await client(0)
    await c.request(metadataCodec, 1, { topics: [] })
    await cluster.close()
    await c.closed
    await expect(RawClient.open(listener.brokers[0]!)).rejects.toThrow(/ECONNREFUSED/)
    await expect(cluster.listen({ port: 0 })).rejects.toThrow(/was closed/)
  })

  it('closes a crashed broker’s connections and refuses new ones until it restarts', async () => {
    const { cluster, client, logs } = await start()
    const c = await client(2)
    await c.request(metadataCodec, 1, { topics: [] })
    cluster.crashBroker(2)
    await c.closed
    const refused = await client(2)
    await refused.closed
    expect(logs.some((line) => line.includes('refused, broker 2 is down'))).toBe(true)
    cluster.restartBroker(2)
    const again = await client(2)
    const answer = (await again.request(metadataCodec, 1, { topics: [] })) as { brokers: unknown[] }
    expect(answer.brokers).toHaveLength(3)
  })
})
