/**
 * The console's HTTP surface without a browser: where it binds, what it serves, how it answers bad
 * input, and that it reads the cluster rather than keeping its own copy.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, murmur2, toPositive, VirtualClock } from 'kafkalite'
import type { ConsoleHandle } from '../../src/console/index.js'
import type { ConsoleSnapshot } from '../../src/console/console-snapshot.js'
import { partitionForKey } from '../../src/console/record-view.js'
import { consoleScript } from '../../src/console/console-page.js'

let open: ConsoleHandle | undefined
afterEach(async () => {
  await open?.close()
  open = undefined
})

async function post(ui: ConsoleHandle, body: unknown): Promise<{ status: number; json: { ok: boolean; error?: string } }> {
  const response = await fetch(`${ui.url}action`, { method: 'POST', body: JSON.stringify(body) })
  return { status: response.status, json: (await response.json()) as { ok: boolean; error?: string } }
}

async function state(ui: ConsoleHandle): Promise<ConsoleSnapshot> {
  return (await (await fetch(`${ui.url}state`)).json()) as ConsoleSnapshot
}

describe('cluster.console()', () => {
  // A virtual clock that nobody advances: the console must answer from describe() and its own I/O alone.
  // Undriven on purpose, so its idle warning (the forgotten clock.run() hint) is off.
  const cluster = (): Cluster => new Cluster({ brokers: 3, seed: 7, clock: new VirtualClock(undefined, { idleWarning: { afterMs: 0 } }) })

  it('binds loopback on a free port by default, without a warning', async () => {
    const warnings: string[] = []
    open = await cluster().console({ port: 0, warn: (m) => warnings.push(m) })
    expect(open.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(warnings).toEqual([])
  })

  it('warns when bound to a host other than loopback', async () => {
    const warnings: string[] = []
    open = await cluster().console({ port: 0, host: '0.0.0.0', warn: (m) => warnings.push(m) })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/not loopback.*no authentication/)
  })

  it('serves the page and a script the browser can parse, from the package', async () => {
    open = await cluster().console()
    const page = await (await fetch(open.url)).text()
    expect(page).toContain('<script src="/app.js">')
    expect(page).not.toMatch(/https?:\/\//)
    const script = await (await fetch(`${open.url}app.js`)).text()
    expect(script).toBe(consoleScript())
    expect(() => new Function(script)).not.toThrow()
  })

  it('shows the brokers and partitions describe() reports, and a crash as soon as it happens', async () => {
    const c = cluster()
    open = await c.console()
    expect((await state(open)).brokers.map((b) => b.status)).toEqual(['up', 'up', 'up'])
    expect((await post(open, { action: 'crash', broker: 1 })).json).toEqual({ ok: true })
    expect(c.describe().brokers[1]?.status).toBe('down')
    expect((await state(open)).brokers).toEqual(c.describe().brokers)
  })

  it('answers bad input with 400 and a message that says what to send', async () => {
    open = await cluster().console()
    expect(await post(open, { action: 'crash', broker: 9 })).toEqual({ status: 400, json: { ok: false, error: 'there is no broker 9: the brokers are 0, 1, 2' } })
    expect((await post(open, { action: 'explode' })).json.error).toMatch(/unknown action "explode": use one of crash, restart/)
    expect((await post(open, { action: 'crash', broker: '1' })).json.error).toBe('"broker" must be an integer, got "1"')
    expect((await post(open, { action: 'tour-step', step: 99 })).status).toBe(400)
    const notJson = await fetch(`${open.url}action`, { method: 'POST', body: 'crash 1' })
    expect(notJson.status).toBe(400)
    expect((await fetch(`${open.url}nothing`)).status).toBe(404)
  })

  it('refuses what the cluster refuses, and says why (restarting a broker that is up)', async () => {
    open = await cluster().console()
    const { status, json } = await post(open, { action: 'restart', broker: 0 })
    expect(status).toBe(409)
    expect(json.error).toMatch(/0/)
  })

  it('pushes the picture as server-sent events', async () => {
    open = await cluster().console()
    const response = await fetch(`${open.url}events`)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    const reader = response.body!.getReader()
    const { value } = await reader.read()
    const text = new TextDecoder().decode(value)
    expect(text.startsWith('data: ')).toBe(true)
    expect((JSON.parse(text.slice(6)) as ConsoleSnapshot).brokers).toHaveLength(3)
    await reader.cancel()
  })

  it('note() adds an application’s line to the timeline; viewed() resolves once a page subscribes', async () => {
    open = await cluster().console()
    let viewed = false
    void open.viewed().then(() => (viewed = true))
    open.note('order-1 placed', { kind: 'order', details: ['why partition 2: murmur2'] })
    expect((await state(open)).timeline.at(-1)).toMatchObject({ text: 'order-1 placed', kind: 'order', details: ['why partition 2: murmur2'] })
    expect(viewed).toBe(false)
    const response = await fetch(`${open.url}events`)
    await open.viewed()
    await response.body!.cancel()
  })

  it('close() stops the server', async () => {
    const ui = await cluster().console()
    await ui.close()
    await expect(fetch(ui.url)).rejects.toThrow()
  })
})

describe('the partition a key chooses', () => {
  it('is the default partitioner’s: toPositive(murmur2(key)) % partitions, with its arithmetic', () => {
    for (const key of ['order-1', 'customer-42', '']) {
      const choice = partitionForKey(key, 6)
      expect(choice.hash).toBe(murmur2(Buffer.from(key)))
      expect(choice.partition).toBe(toPositive(murmur2(Buffer.from(key))) % 6)
      expect(choice.why).toBe(`toPositive(murmur2("${key}")) = ${toPositive(choice.hash)}, % 6 partitions = ${choice.partition}`)
    }
  })
})

describe('closing the cluster', () => {
  it('closes its console: the server stops and the page’s clients are disconnected', async () => {
    const cluster = new Cluster({ brokers: 1, seed: 3, clock: new VirtualClock() })
    const ui = await cluster.console()
    expect((await fetch(`${ui.url}state`)).status).toBe(200)
    await cluster.close()
    await expect(fetch(ui.url)).rejects.toThrow()
    await ui.close()
  })
})
