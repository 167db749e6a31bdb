/**
 * librdkafka (the C client under confluent-kafka-python, confluent-kafka-go, @confluentinc/kafka-javascript and
 * kcat) against cluster.listen(): metadata, produce, and consume in a group, through Debian's kcat and
 * python3-confluent-kafka. Skipped, saying so in the test name, where those packages are not installed
 * (`.ci/run` installs them where apt-get is available).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../src/cluster.js'
import { tcpKafka, type TcpKafka } from './tcp-kafka.js'

const KCAT = ['/usr/bin/kcat', '/usr/local/bin/kcat'].find((path) => existsSync(path))
const PYTHON = '/usr/bin/python3'
const PYTHON_CLIENT = fileURLToPath(new URL('./fixtures/confluent-kafka-client.py', import.meta.url))
const PYTHON_ADMIN = fileURLToPath(new URL('./fixtures/confluent-kafka-admin.py', import.meta.url))
const PYTHON_TRANSACTIONS = fileURLToPath(new URL('./fixtures/confluent-kafka-transactions.py', import.meta.url))

/** Runs a program without blocking the event loop (the listener serves it from this process). */
function run(file: string, args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout: 40_000 }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1 })
    })
    if (input !== undefined) child.stdin!.end(input)
  })
}

function hasConfluentKafka(): Promise<boolean> {
  if (!existsSync(PYTHON)) return Promise.resolve(false)
  return run(PYTHON, ['-c', 'import confluent_kafka']).then((r) => r.code === 0)
}

let env: TcpKafka | undefined

afterEach(async () => {
  await env?.close()
  env = undefined
})

describe.skipIf(KCAT === undefined)(`librdkafka through kcat${KCAT === undefined ? ' (SKIPPED: kcat is not installed; apt-get install kcat)' : ''}`, () => {
  it('kcat -L lists every broker at its listener and the topics; kcat produces gzip batches with acks=all and consumes in a group', async () => {
    env = await tcpKafka({ numPartitions: 3 })
    const bootstrap = env.listener.brokers.join(',')
    const produced = await run(KCAT!, ['-b', bootstrap, '-P', '-t', 'kc', '-K', ':', '-X', 'acks=all', '-z', 'gzip'], 'a:1\nb:2\nc:3\nd:4\n')
    expect(produced.code, produced.stderr).toBe(0)

    const listed = await run(KCAT!, ['-b', bootstrap, '-L'])
    expect(listed.code, listed.stderr).toBe(0)
    for (const address of env.listener.brokers) expect(listed.stdout).toContain(`at ${address}`)
    expect(listed.stdout).toContain('topic "kc" with 3 partitions')

    const consumed = await run(KCAT!, ['-b', bootstrap, '-G', 'kcat-group', '-X', 'auto.offset.reset=earliest', '-e', '-f', '%k=%s\n', 'kc'])
    expect(consumed.code, consumed.stderr).toBe(0)
    expect(consumed.stdout.trim().split('\n').sort()).toEqual(['a=1', 'b=2', 'c=3', 'd=4'])
  }, 60_000)

  it('a static member (group.instance.id, KIP-345) stays in the group when kcat exits, and a restart with the same id takes its place back and reads on from the committed offsets', async () => {
    env = await tcpKafka({ numPartitions: 2 })
    const bootstrap = env.listener.brokers.join(',')
    const produce = (input: string) => run(KCAT!, ['-b', bootstrap, '-P', '-t', 'st', '-K', ':'], input)
    const consume = () =>
      run(KCAT!, ['-b', bootstrap, '-G', 'static-group', '-X', 'group.instance.id=pod-1', '-X', 'session.timeout.ms=60000', '-X', 'auto.offset.reset=earliest', '-e', '-f', '%k=%s\n', 'st'])
    const group = () => brokerSideOf(env!.cluster).groupCoordinator.describeGroups({ groups: ['static-group'] }).groups[0]!
    expect((await produce('a:1\nb:2\n')).code).toBe(0)
    const first = await consume()
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout.trim().split('\n').sort()).toEqual(['a=1', 'b=2'])
    // No LeaveGroup from a static member: it is still there, under an id that starts with its instance id.
    const before = group()
    expect(before.state).toBe('Stable')
    expect(before.members.map((m) => [m.groupInstanceId, m.memberId.startsWith('pod-1-')])).toEqual([['pod-1', true]])
    expect((await produce('c:3\n')).code).toBe(0)
    const second = await consume()
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout.trim().split('\n')).toEqual(['c=3'])
    const after = group()
    expect(after.members).toHaveLength(1)
    expect(after.members[0]!.memberId).not.toBe(before.members[0]!.memberId)
  }, 60_000)
})

describe.skipIf(KCAT === undefined)(`librdkafka SASL/PLAIN through kcat${KCAT === undefined ? ' (SKIPPED: kcat is not installed)' : ''}`, () => {
  it('authenticates with the right password and is refused with a wrong one', async () => {
    const cluster = new Cluster({ brokers: 1 })
    const listener = await cluster.listen({ port: 0, saslPlainUsers: { alice: 'secret' }, log: () => undefined })
    try {
      const sasl = (password: string) => ['-b', listener.brokers[0]!, '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=PLAIN', '-X', 'sasl.username=alice', '-X', `sasl.password=${password}`, '-L', '-m', '2']
      const good = await run(KCAT!, sasl('secret'))
      expect(good.code, good.stderr).toBe(0)
      expect(good.stdout).toContain(`broker 0 at ${listener.brokers[0]}`)
      const bad = await run(KCAT!, sasl('wrong'))
      expect(bad.code).not.toBe(0)
    } finally {
      await cluster.close()
    }
  }, 30_000)
})

describe(`librdkafka through python3-confluent-kafka`, async () => {
  const available = await hasConfluentKafka()
  it.skipIf(!available)(`an idempotent acks=all producer and a consumer group that commits${available ? '' : ' (SKIPPED: python3-confluent-kafka is not installed; apt-get install python3-confluent-kafka)'}`, async () => {
    env = await tcpKafka({ numPartitions: 3 })
    const result = await run(PYTHON, [PYTHON_CLIENT, env.listener.brokers.join(','), 'py', 'py-group', '10'])
    expect(result.code, result.stderr).toBe(0)
    const seen = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { unflushed: number; values: string[]; headers: number; errors: string[]; committed: number }
    expect(seen.unflushed).toBe(0)
    expect(seen.errors).toEqual([])
    expect(seen.values).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`).sort())
    expect(seen.headers).toBe(10)
    expect(seen.committed).toBeGreaterThan(0)
    const admin = env.kafka.admin()
    await admin.connect()
    const offsets = await admin.fetchOffsets({ groupId: 'py-group', topics: ['py'] })
    expect(offsets[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(10)
    await admin.disconnect()
  }, 60_000)

  it.skipIf(!available)(`transactions: a read_committed consumer reads the committed transaction and not the aborted one${available ? '' : ' (SKIPPED: python3-confluent-kafka is not installed)'}`, async () => {
    env = await tcpKafka({ numPartitions: 2 })
    const result = await run(PYTHON, [PYTHON_TRANSACTIONS, env.listener.brokers.join(','), 'py-tx'])
    expect(result.code, result.stderr).toBe(0)
    const seen = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { values: string[]; errors: string[] }
    expect(seen).toEqual({ values: ['committed-1', 'committed-2'], errors: [] })
  }, 60_000)

  it.skipIf(!available)(`AdminClient: create_topics, create_partitions, alter_configs (AlterConfigs) and describe_configs, delete_topics${available ? '' : ' (SKIPPED: python3-confluent-kafka is not installed)'}`, async () => {
    env = await tcpKafka()
    const result = await run(PYTHON, [PYTHON_ADMIN, env.listener.brokers.join(','), 'py-admin'])
    expect(result.code, result.stderr).toBe(0)
    const seen = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>
    expect(seen).toMatchObject({ partitions: 3, before: { 'retention.ms': '60000' }, after: { 'segment.ms': '7000' }, invalid: 'INVALID_CONFIG', deleted: true })
    // AlterConfigs replaces the whole set: retention.ms, not named, went back to its default.
    expect((seen['after'] as Record<string, string>)['retention.ms']).not.toBe('60000')
  }, 60_000)
})
