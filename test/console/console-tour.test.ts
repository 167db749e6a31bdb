/**
 * The guided tour in chromium, step by step: each button does what its sentence says, seen on the
 * page. Each step is photographed; with `KAFKALITE_SCREENSHOTS=docs/console` the pictures replace the
 * ones the README and docs show, otherwise they go to a temporary folder.
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { Cluster } from 'kafkalite'
import type { ConsoleHandle } from '../../src/console/index.js'
import { HOOK_MS, hasChromium, connectBrowser, openConsole, partitionCell, skipReason, WAIT_MS } from './browser-harness.js'

const folder = process.env.KAFKALITE_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'kafkalite-console-'))

describe.skipIf(!hasChromium)(`the guided tour in chromium${hasChromium ? '' : ` (${skipReason})`}`, () => {
  let browser: Browser
  let ui: ConsoleHandle
  let page: Page
  let cluster: Cluster

  beforeAll(async () => {
    mkdirSync(folder, { recursive: true })
    browser = await connectBrowser()
    cluster = new Cluster({ brokers: 3, seed: 15 })
    ui = await cluster.console({ port: 0 })
    page = await openConsole(browser, ui.url)
  }, HOOK_MS)
  afterAll(async () => {
    await page?.close()
    await cluster?.close()
    await browser?.close()
  }, HOOK_MS)

  /** A picture of the window scrolled to what the step is about. */
  async function photograph(name: string, focus: string): Promise<void> {
    await page.locator(focus).first().scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(folder, `${name}.png`) })
  }

  async function play(step: number, done: () => Promise<unknown>, name: string, focus: string): Promise<void> {
    await page.click(`#tour-${step}`)
    await page.waitForSelector(`[data-step="${step}"].done`, { timeout: WAIT_MS })
    await done()
    await photograph(`tour-${step + 1}-${name}`, focus)
  }

  const owns = (group: string): Promise<string[]> => page.locator(`[data-group="${group}"] [data-field="owns"]`).allTextContents()
  const waitFor = (fn: string): Promise<unknown> => page.waitForFunction(fn, undefined, { timeout: WAIT_MS })

  it('walks the lessons: keys, one member per partition, an idle member, failover, lag and scale-out, a dead letter', { timeout: 240_000 }, async () => {
    await play(0, () => page.waitForSelector('[data-record-key="order-6"]', { timeout: WAIT_MS }), 'keys-choose-partitions', '#records')
    expect(await page.locator('[data-record-key]').count()).toBe(6)

    await play(1, () => waitFor(`document.querySelectorAll('[data-group="inventory"] [data-member]').length === 3 && Array.from(document.querySelectorAll('[data-group="inventory"] [data-field="owns"]')).every((e) => !e.textContent.includes(',') && e.textContent !== 'idle')`), 'one-member-per-partition', '#groups')
    expect((await owns('inventory')).sort()).toEqual(['orders-0', 'orders-1', 'orders-2'])

    await play(2, () => waitFor(`document.querySelectorAll('[data-group="inventory"] [data-member]').length === 4 && Array.from(document.querySelectorAll('[data-group="inventory"] [data-field="owns"]')).filter((e) => e.textContent === 'idle').length === 1`), 'an-idle-member', '#groups')

    const leader = await partitionCell(page, 'orders-0', 'leader')
    const highWatermark = await partitionCell(page, 'orders-0', 'hw')
    await play(3, () => waitFor(`document.querySelector('[data-partition="orders-0"] [data-field="leader"]').textContent !== '${leader}'`), 'a-broker-dies', '#topics')
    expect(await page.getAttribute(`[data-broker="${leader}"]`, 'class')).toContain('crashed')
    expect(await partitionCell(page, 'orders-0', 'hw')).toBe(highWatermark)

    await play(4, () => waitFor(`Array.from(document.querySelectorAll('[data-group="billing"] [data-field="lag"]')).some((e) => Number(e.textContent) > 5) && document.querySelector('[data-group="billing"] svg.chart') !== null`), 'a-slow-service-falls-behind', '#groups')

    await play(5, () => waitFor(`document.querySelectorAll('[data-group="billing"] [data-member]').length === 3 && Array.from(document.querySelectorAll('[data-group="billing"] [data-field="owns"]')).every((e) => e.textContent !== 'idle')`), 'scale-out', '#groups')
    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-group="billing"] [data-field="lag"]')).every((e) => e.textContent === '0'), undefined, { timeout: 60_000 })
    await photograph('tour-6-caught-up', '#groups')

    await play(6, () => page.waitForSelector('[data-dead-letter]', { timeout: 60_000 }), 'poison-order-to-dlt', '#dead-letters')
    const headers = await page.locator('[data-dead-letter] dt').allTextContents()
    expect(headers).toEqual(expect.arrayContaining(['kafka_dlt-original-topic', 'kafka_dlt-original-partition', 'kafka_dlt-original-offset', 'kafka_dlt-exception-message']))
  })
})
