/** `kafkalite serve`: in-process (what it prints, that clients reach it, the stop summary) and as a process stopped by SIGTERM. */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Kafka, logLevel } from 'kafkajs'
import { describe, expect, it, vi } from 'vitest'
import { serve } from '../../src/cli/serve.js'
import { parseServeOptions } from '../../src/cli/serve-options.js'

describe('kafkalite serve', () => {
  it('prints each broker and the bootstrap address, serves KafkaJS, and prints a summary on stop', async () => {
    const lines: string[] = []
    const handle = await serve(parseServeOptions(['--port', '0', '--partitions', '2', '--min-insync', '2', '--seed', '7', '--log-level', 'warn']), (line) => lines.push(line))
    expect(lines).toContain(`bootstrap: ${handle.listener.brokers.join(',')}`)
    expect(lines.filter((l) => /^ {2}broker \d at 127\.0\.0\.1:\d+$/.test(l))).toHaveLength(3)
    expect(handle.cluster.seed).toBe(7)
    const kafka = new Kafka({ brokers: [...handle.listener.brokers], logLevel: logLevel.NOTHING })
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'served', acks: -1, messages: [{ value: 'v' }] })
    await producer.disconnect()
    const summary = await handle.stop()
    expect(summary[0]).toMatch(/^kafkalite stopped after [\d.]+ s: \d+ request\(s\) \(.*Produce 1.*\)$/)
    expect(summary[1]).toBe('topics: served (2 partition(s))')
  })

  it('with --sasl-user, asks clients to authenticate and says so', async () => {
    const lines: string[] = []
    const handle = await serve(parseServeOptions(['--port', '0', '--brokers', '1', '--sasl-user', 'alice:pw', '--sasl-mechanisms', 'SCRAM-SHA-256', '--log-level', 'error']), (line) => lines.push(line))
    try {
      expect(lines).toContain('security: SASL_PLAINTEXT (SASL SCRAM-SHA-256; users alice)')
      expect(lines).toContain(`try: kcat -b ${handle.listener.brokers[0]} -X security.protocol=SASL_PLAINTEXT -L`)
      const admin = new Kafka({ brokers: [...handle.listener.brokers], logLevel: logLevel.NOTHING, sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'pw' } }).admin()
      await admin.connect()
      expect(await admin.listTopics()).toEqual([])
      await admin.disconnect()
    } finally {
      await handle.stop()
    }
  })

  it('with --console, serves the web console beside the listener, showing what wire clients produce', async () => {
    const lines: string[] = []
    const handle = await serve(parseServeOptions(['--port', '0', '--brokers', '1', '--partitions', '3', '--log-level', 'warn', '--console']), (line) => lines.push(line))
    try {
      expect(handle.consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^console: ${handle.consoleUrl}`)))
      const kafka = new Kafka({ brokers: [...handle.listener.brokers], logLevel: logLevel.NOTHING })
      const producer = kafka.producer()
      await producer.connect()
      await producer.send({ topic: 'served', messages: [{ key: 'k', value: 'over the wire' }] })
      await producer.disconnect()
      const records = async (): Promise<{ key: string | null; value: string | null }[]> => ((await (await fetch(`${handle.consoleUrl}state`)).json()) as { records: { key: string | null; value: string | null }[] }).records
      await vi.waitFor(async () => expect(await records()).toContainEqual(expect.objectContaining({ key: 'k', value: 'over the wire' })), { timeout: 20_000, interval: 50 })
    } finally {
      await handle.stop()
    }
    await expect(fetch(handle.consoleUrl!)).rejects.toThrow()
  })

  it('stops cleanly on SIGTERM with exit code 0 and the summary', async () => {
    const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve', '--port', '0', '--brokers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('bootstrap:')) resolve()
      }),
    )
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await ready
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(out).toContain('received SIGTERM, stopping')
    expect(out).toMatch(/kafkalite stopped after [\d.]+ s: 0 request\(s\)/)
  }, 30_000)
})
