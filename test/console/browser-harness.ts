/**
 * A real browser for the console's tests: Debian's chromium (or `KAFKALITE_CHROMIUM`) driven by
 * playwright-core, which downloads no browser of its own. Where no chromium is installed the
 * browser tests skip and say how to get one.
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'

/** The browser's path: `KAFKALITE_CHROMIUM`, else Debian's. */
export const chromiumPath = process.env.KAFKALITE_CHROMIUM ?? '/usr/bin/chromium'

/** Whether the browser tests can run here; when not, {@link skipReason} says why. */
export const hasChromium = existsSync(chromiumPath)

export const skipReason = `skipped: no chromium at ${chromiumPath} (apt-get install -y chromium, or set KAFKALITE_CHROMIUM)`

if (!hasChromium) console.warn(`console browser tests ${skipReason}`)

/** Waits in the browser for a condition, as playwright's waitFor* do: no fixed sleeps. */
export const WAIT_MS = 20_000

/** Starting chromium and a cluster on a loaded 2-core machine can take longer than vitest's 10 s for hooks. */
export const HOOK_MS = 60_000

export async function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI and these machines run as root, where chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
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
