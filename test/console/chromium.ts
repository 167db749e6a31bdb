/**
 * Which chromium the console's tests drive and how it starts: Debian's (or `KAFKALITE_CHROMIUM`) through playwright-core,
 * which downloads no browser of its own. Where no chromium is installed the browser tests skip and say how to get one.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { LaunchOptions } from 'playwright-core'

/** The browser's path: `KAFKALITE_CHROMIUM`, else Debian's. */
export const chromiumPath = process.env.KAFKALITE_CHROMIUM ?? '/usr/bin/chromium'

/** Whether the browser tests can run here; when not, {@link skipReason} says why. */
export const hasChromium = existsSync(chromiumPath)

export const skipReason = `skipped: no chromium at ${chromiumPath} (apt-get install -y chromium, or set KAFKALITE_CHROMIUM)`

/**
 * Started through chromium-launcher.sh, which turns off the omnibox popups chromium preloads for every window (a
 * renderer process each). --no-sandbox: CI and these machines run as root, where chromium's sandbox refuses to start.
 */
export const launchOptions: LaunchOptions = {
  executablePath: fileURLToPath(new URL('./chromium-launcher.sh', import.meta.url)),
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
}
