/**
 * The console in a real browser (chromium through playwright-core): the faults, group and producer
 * buttons change what the page shows the way the cluster changed, from the keyboard too, and the
 * page stays quick with 1,000 partitions. Real time here (SystemClock): the browser is real, so the
 * waits are playwright's waitFor with timeouts, never sleeps.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { Cluster, Kafka, logLevel, murmur2, toPositive, type Consumer } from 'kafkalite'
import type { ConsoleHandle } from '../../src/console/index.js'
import { HOOK_MS, hasChromium, connectBrowser, newConsolePage, openConsole, partitionCell, skipReason, WAIT_MS } from './browser-harness.js'

describe.skipIf(!hasChromium)(`the console in chromium${hasChromium ? '' : ` (${skipReason})`}`, () => {
  let browser: Browser
  let cluster: Cluster
  let kafka: Kafka
  let ui: ConsoleHandle
  let page: Page
  const consumers: Consumer[] = []

  // One page for the file, which each test navigates to its own console: a new page costs chromium a renderer's start
  // (~0.7 s of CPU), a navigation within the same site reuses it.
  beforeAll(async () => {
    browser = await connectBrowser()
    page = await newConsolePage(browser)
  }, HOOK_MS)
  afterAll(async () => {
    await page?.close()
    await browser?.close()
  }, HOOK_MS)

  async function start(topic: string, numPartitions: number, replicationFactor = 3): Promise<void> {
    cluster = new Cluster({ brokers: 3, seed: 11 })
    kafka = new Kafka({ clientId: 'browser-test', cluster, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor }], waitForLeaders: true })
    await admin.disconnect()
    ui = await cluster.console({ port: 0 })
  }

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.disconnect()))
    await cluster?.close()
  }, HOOK_MS)

  it('crash, reached with Tab and pressed with Enter on the leader’s broker, moves the leader and shrinks the ISR', async () => {
    await start('payments', 3)
    await openConsole(browser, ui.url, page)
    const leader = await partitionCell(page, 'payments-0', 'leader')
    expect((await partitionCell(page, 'payments-0', 'isr')).split(',')).toHaveLength(3)

    // Tab order: the tour's buttons first, then each broker's actions, in page order.
    const order: string[] = []
    for (let presses = 0; presses < 40 && order.at(-1) !== `crash-${leader}`; presses++) {
      await page.keyboard.press('Tab')
      order.push(await page.evaluate(() => document.activeElement?.id ?? ''))
    }
    expect(order.slice(0, 7)).toEqual(['tour-0', 'tour-1', 'tour-2', 'tour-3', 'tour-4', 'tour-5', 'tour-6'])
    expect(order.at(-1)).toBe(`crash-${leader}`)
    expect(order.slice(7, 9)).toEqual(['crash-0', 'isolate-0'])
    // Focus is visible: a 3 px outline on the focused button (:focus-visible, keyboard focus).
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!)
      return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth), colour: style.outlineColor }
    })
    expect(outline).toEqual({ style: 'solid', width: 3, colour: 'rgb(11, 87, 208)' })
    await page.keyboard.press('Enter')

    await page.waitForFunction((old) => document.querySelector('[data-partition="payments-0"] [data-field="leader"]')?.textContent !== old, leader, { timeout: WAIT_MS })
    await page.waitForSelector(`[data-broker="${leader}"].crashed`, { timeout: WAIT_MS })
    const isr = (await partitionCell(page, 'payments-0', 'isr')).split(',')
    expect(isr).toHaveLength(2)
    expect(isr).not.toContain(leader)
    const moved = await partitionCell(page, 'payments-0', 'leader')
    expect(isr).toContain(moved)
    expect(Number(moved)).toBe(cluster.describe().partitions.find((p) => p.topic === 'payments' && p.partition === 0)?.leader)
  })

  it('add a member: the group’s assignment changes from one owner of every partition to two', async () => {
    await start('shipments', 4)
    const app = kafka.consumer({ groupId: 'shipping', heartbeatInterval: 500, sessionTimeout: 6000 })
    consumers.push(app)
    await app.connect()
    await app.subscribe({ topics: ['shipments'] })
    await app.run({ eachMessage: async () => {} })
    await openConsole(browser, ui.url, page)
    const members = page.locator('[data-group="shipping"] [data-member]')
    await page.waitForFunction(() => document.querySelectorAll('[data-group="shipping"] [data-member]').length === 1 && document.querySelector('[data-group="shipping"] [data-field="owns"]')?.textContent?.split(', ').length === 4, undefined, { timeout: WAIT_MS })

    await page.click('#add-member-shipping')

    await page.waitForFunction(
      () => {
        const owns = Array.from(document.querySelectorAll('[data-group="shipping"] [data-field="owns"]')).map((e) => e.textContent?.split(', ').length)
        return owns.length === 2 && owns.every((n) => n === 2)
      },
      undefined,
      { timeout: WAIT_MS },
    )
    const owned = (await members.locator('[data-field="owns"]').allTextContents()).flatMap((t) => t.split(', ')).sort()
    expect(owned).toEqual(['shipments-0', 'shipments-1', 'shipments-2', 'shipments-3'])
  })

  it('a keyed record lands in the partition murmur2 predicts', async () => {
    await start('customers', 6)
    await openConsole(browser, ui.url, page)
    const key = 'customer-42'
    const predicted = toPositive(murmur2(Buffer.from(key))) % 6

    await page.selectOption('#produce-topic', 'customers')
    await page.fill('#produce-key', key)
    await page.fill('#produce-value', 'CustomerRegistered')
    await page.press('#produce-value', 'Enter')

    const row = page.locator(`[data-record-key="${key}"]`)
    await row.waitFor({ timeout: WAIT_MS })
    expect(await row.locator('[data-field="partition"]').textContent()).toBe(`customers-${predicted}`)
    expect(await row.locator('[data-field="hash"]').textContent()).toBe(String(murmur2(Buffer.from(key))))
    await page.waitForFunction((p) => document.querySelector(`[data-partition="customers-${p}"] [data-field="hw"]`)?.textContent === '1', predicted, { timeout: WAIT_MS })
    const ends = cluster.describe().partitions.filter((p) => p.topic === 'customers').map((p) => p.logEndOffset)
    expect(ends).toEqual([0, 1, 2, 3, 4, 5].map((p) => (p === predicted ? 1 : 0)))
  })

  it('stays responsive with 1,000 partitions: pages of 100 rows, the last page from the keyboard, a crash shown within the bound', async () => {
    await start('clicks', 1000, 1)
    // The page's renderer process started before the clock starts (1-2 s on a loaded machine): the bound is on the console.
    const started = performance.now()
    await openConsole(browser, ui.url, page)
    await page.waitForSelector('[data-partition="clicks-99"]', { timeout: WAIT_MS })
    const rendered = performance.now() - started
    const renderMs = Number(await page.getAttribute('#status', 'data-render-ms'))
    expect(await page.textContent('[data-topic="clicks"] [data-field="summary"]')).toBe('1000 partitions · 0 under-replicated · 0 offline')
    expect(await page.locator('[data-topic="clicks"] tbody tr').count()).toBe(100)

    for (let pageNumber = 1; pageNumber < 10; pageNumber++) {
      await page.focus('#next-clicks')
      await page.keyboard.press('Enter')
      await page.waitForSelector(`[data-partition="clicks-${pageNumber * 100}"]`, { timeout: WAIT_MS })
    }
    expect(await page.isVisible('[data-partition="clicks-999"]')).toBe(true)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('next-clicks')

    const before = performance.now()
    await page.click('#crash-2')
    await page.waitForSelector('[data-broker="2"].crashed', { timeout: WAIT_MS })
    const reacted = performance.now() - before
    const offline = cluster.describe().partitions.filter((p) => p.leader < 0).length
    await page.waitForFunction((n) => document.querySelector('[data-topic="clicks"] [data-field="summary"]')?.textContent?.endsWith(`${n} offline`), offline, { timeout: WAIT_MS })
    const maxRenderMs = Number(await page.getAttribute('#status', 'data-max-render-ms'))
    console.info(`1,000 partitions: first page ${rendered.toFixed(0)} ms (rendering ${renderMs} ms of it), crash shown ${reacted.toFixed(0)} ms, longest render ${maxRenderMs} ms, ${offline} partitions offline`)
    // Bounds with room for a loaded 2-core machine (measured 2.6-8.5 s, of it rendering 0.4 s, and 0.9-1.6 s at load average 14,
    // with chromium's renderer start inside; without it 1.5 s at load average 12): the page's own work is the tight bound, the
    // rest is server start and the machine's load. Under `npm test` at load average 11-17 (other suites beside it) the first
    // page took 17.7-18.4 s with the renderer start inside, with 2 workers as with 3.
    expect(renderMs).toBeLessThan(1_000)
    // Every update since, the crash's included: the page never blocked for a second.
    expect(maxRenderMs).toBeLessThan(1_000)
    expect(rendered).toBeLessThan(15_000)
    expect(reacted).toBeLessThan(5_000)
    expect(offline).toBeGreaterThan(0)
  })
})
