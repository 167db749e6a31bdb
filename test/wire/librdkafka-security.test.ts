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
import { makeTestCertificates, OPENSSL } from './tls-certificates.js'

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

describe.skipIf(KCAT === undefined)(`SASL/SCRAM through kcat${kcatSkip}`, () => {
  it('SCRAM-SHA-256 and SCRAM-SHA-512 authenticate with the right password and are refused with a wrong one', async () => {
    const listener = await start({ sasl: { users: { alice: 'secret' } } })
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
      const args = (password: string) => ['-b', listener.brokers[0]!, '-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mechanism}`, '-X', 'sasl.username=alice', '-X', `sasl.password=${password}`, '-L', '-m', password === 'secret' ? '3' : '1']
      const good = await run(KCAT!, args('secret'))
      expect(good.code, good.stderr).toBe(0)
      expect(good.stdout).toContain(`broker 0 at ${listener.brokers[0]}`)
      const bad = await run(KCAT!, args('wrong'))
      expect(bad.code, mechanism).not.toBe(0)
      expect(bad.stderr).toContain(`invalid credentials with SASL mechanism ${mechanism}`)
    }
  }, 60_000)
})

describe.skipIf(!pythonAvailable || OPENSSL === undefined)(
  `SSL and SASL_SSL through python3-confluent-kafka${pythonSkip}${OPENSSL === undefined ? ' (SKIPPED: openssl is not installed)' : ''}`,
  () => {
    it('security.protocol=SSL and SASL_SSL with SCRAM-SHA-512 round-trip zstd batches; a wrong password is refused', async () => {
      const certificates = makeTestCertificates()
      try {
        const listener = await start({ tls: { key: certificates.key, cert: certificates.cert }, sasl: { users: { alice: 'secret' }, mechanisms: ['SCRAM-SHA-512'] } })
        const sasl = (password: string) => ({ 'security.protocol': 'SASL_SSL', 'ssl.ca.location': certificates.caPath, 'sasl.mechanisms': 'SCRAM-SHA-512', 'sasl.username': 'alice', 'sasl.password': password })
        const seen = await pythonRoundTrip(listener.brokers[0]!, 'py-sasl-ssl', 3, sasl('secret'), { 'compression.type': 'zstd' })
        expect(seen).toEqual({ delivered: 3, unflushed: 0, values: ['v0', 'v1', 'v2'].map((v) => v.repeat(40)), errors: [] })
        const refused = await pythonRoundTrip(listener.brokers[0]!, 'py-refused', 1, sasl('wrong'), { 'message.timeout.ms': 1000 })
        expect(refused.delivered).toBe(0)
        expect(refused.errors.join(' ')).toMatch(/Authentication failed|invalid credentials/)
        await cluster!.close()
        const plain = await start({ tls: { key: certificates.key, cert: certificates.cert } })
        const ssl = await pythonRoundTrip(plain.brokers[0]!, 'py-ssl', 3, { 'security.protocol': 'SSL', 'ssl.ca.location': certificates.caPath })
        expect(ssl).toEqual({ delivered: 3, unflushed: 0, values: ['v0', 'v1', 'v2'].map((v) => v.repeat(40)), errors: [] })
      } finally {
        certificates.remove()
      }
    }, 90_000)
  },
)
