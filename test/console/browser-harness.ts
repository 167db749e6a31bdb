/**
 * A real browser for the console's tests: the run's one chromium (browser-server.ts), reached through playwright-core.
 * Where no chromium is installed the browser tests skip and say how to get one (chromium.ts).
 */
import { chromium, type Browser, type Page } from 'playwright-core'
import { inject } from 'vitest'
import { hasChromium, skipReason } from './chromium.js'

export { hasChromium, skipReason }

if (!hasChromium) console.warn(`console browser tests ${skipReason}`)

/** Waits in the browser for a condition, as playwright's waitFor* do: no fixed sleeps. */
export const WAIT_MS = 20_000

/** Starting chromium and a cluster on a loaded 2-core machine can take longer than vitest's 10 s for hooks. */
export const HOOK_MS = 60_000

/** A connection to the run's chromium; closing it closes this file's pages and contexts, not the browser. */
export async function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('browserEndpoint'))
}

/** A new page at the console's size: chromium starts the page's renderer process here. */
export function newConsolePage(browser: Browser): Promise<Page> {
  return browser.newPage({ viewport: { width: 1280, height: 900 } })
}

/** Opens `url` in `page` (a new one if none is given) and waits until the first picture of the cluster has arrived. */
export async function openConsole(browser: Browser, url: string, page?: Page): Promise<Page> {
  const opened = page ?? (await newConsolePage(browser))
  await opened.goto(url)
  await opened.waitForSelector('[data-broker]', { timeout: WAIT_MS })
  return opened
}

/** The text of a partition row's cell. */
export async function partitionCell(page: Page, partition: string, field: string): Promise<string> {
  return (await page.textContent(`[data-partition="${partition}"] [data-field="${field}"]`, { timeout: WAIT_MS })) ?? ''
}
