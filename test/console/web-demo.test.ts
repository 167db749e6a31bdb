/**
 * `npm run demo -- --web` in chromium: the order workflow plays in the console, cluster time paced
 * to wall time (4x, to be quick; the story waits for the page to open, so the page sees it from its start), the terminal timeline's lines fill the page's timeline and
 * the order topics' partitions grow. With `KAFKALITE_SCREENSHOTS=docs/console` the picture replaces
 * the README's.
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startWebDemo, type WebDemo } from '../../examples/order-workflow/web-demo.js'
import { HOOK_MS, hasChromium, connectBrowser, skipReason, WAIT_MS } from './browser-harness.js'

const folder = process.env.KAFKALITE_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'kafkalite-console-'))

describe.skipIf(!hasChromium)(`npm run demo -- --web, in chromium${hasChromium ? '' : ` (${skipReason})`}`, () => {
  let browser: Browser
  let demo: WebDemo | undefined
  let page: Page

  beforeAll(async () => {
    mkdirSync(folder, { recursive: true })
    browser = await connectBrowser()
  }, HOOK_MS)
  afterAll(async () => {
    await page?.close()
    await demo?.stop()
    await browser?.close()
  }, HOOK_MS)

  it('plays the order workflow: the timeline fills with the story and the order topics grow', { timeout: 120_000 }, async () => {
    demo = await startWebDemo({ orders: 12, seed: 12, faults: true, speed: 4, port: 0 })
    expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    // Every picture the page receives, from the first (sent before the story starts: it waits for the page).
    await page.addInitScript(() => {
      const seen: { orderLines: number; orderPlaced: number }[] = []
      Object.assign(window, { seen })
      const Original = window.EventSource
      window.EventSource = class extends Original {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init)
          this.addEventListener('message', (message: MessageEvent<string>) => {
            const picture = JSON.parse(message.data) as { timeline: { kind?: string }[]; partitions: { topic: string; highWatermark: number }[] }
            seen.push({
              orderLines: picture.timeline.filter((e) => e.kind === 'order').length,
              orderPlaced: picture.partitions.filter((p) => p.topic === 'order-placed').reduce((sum, p) => sum + p.highWatermark, 0),
            })
          })
        }
      }
    })
    await page.goto(demo.url)
    await page.waitForFunction(() => document.querySelectorAll('#timeline [data-kind="order"]').length >= 5, undefined, { timeout: 60_000 })
    await page.waitForSelector('#timeline [data-kind="setup"]', { timeout: WAIT_MS })
    const seen = (await page.evaluate(() => (window as unknown as { seen: { orderLines: number; orderPlaced: number }[] }).seen)) ?? []
    expect(seen[0]).toEqual({ orderLines: 0, orderPlaced: 0 })
    expect(Math.max(...seen.map((s) => s.orderPlaced))).toBeGreaterThanOrEqual(5)
    expect(await page.locator('[data-topic="order-placed"] tbody tr').count()).toBe(6)

    // The timeline's lines are the terminal's: an order with the partition its key chose, and why.
    const order = (await page.locator('#timeline [data-kind="order"]').last().textContent()) ?? ''
    expect(order).toMatch(/order-0001 -> order-placed partition \d offset \d+, confirmed after \d+ ms/)
    expect(order).toMatch(/why partition \d: toPositive\(murmur2\("order-0001"\)\)/)
    // The records view shows the shop's own records (another client of the cluster).
    await page.waitForSelector('[data-record-key^="order-"]', { timeout: WAIT_MS })
    // The services' groups, seen through the admin API.
    await page.waitForSelector('[data-group="inventory"] [data-member]', { timeout: WAIT_MS })
    await page.locator('#timeline').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(folder, 'web-demo.png'), fullPage: false })

    const result = await demo.stop()
    demo = undefined
    // Stopped mid-story (no summary) or after it (the run's result): either way everything closed.
    if (result !== undefined) expect(result.orders).toBe(12)
  })
})
