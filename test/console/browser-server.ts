/**
 * One chromium for every browser test file of a run (the `shared` project's global setup): each file connects to it
 * (`connectBrowser`) instead of starting its own, which cost ~1.3 s of CPU per file. The browser starts when a file first
 * connects, so a run without browser tests starts none: the files are given the address of a loopback port that
 * starts it on the first connection and then passes each connection through to it. Each file still has pages and
 * contexts of its own, closed when it disconnects.
 */
import { randomUUID } from 'node:crypto'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import type { TestProject } from 'vitest/node'
import type { BrowserServer } from 'playwright-core'
import { launchOptions } from './chromium.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The playwright endpoint of the run's chromium: `chromium.connect(inject('browserEndpoint'))`. */
    browserEndpoint: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const wsPath = `/${randomUUID()}`
  let browser: Promise<BrowserServer> | undefined
  const sockets = new Set<Socket>()
  const proxy = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    browser ??= import('playwright-core').then(({ chromium }) => chromium.launchServer({ ...launchOptions, host: '127.0.0.1', port: 0, wsPath }))
    browser.then(
      (server) => {
        const upstream = connect(Number(new URL(server.wsEndpoint()).port), '127.0.0.1')
        upstream.on('error', () => socket.destroy())
        socket.on('error', () => upstream.destroy())
        socket.pipe(upstream).pipe(socket)
      },
      (error: Error) => socket.destroy(error),
    )
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  project.provide('browserEndpoint', `ws://127.0.0.1:${(proxy.address() as AddressInfo).port}${wsPath}`)
  return async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => proxy.close(resolve))
    await (await browser?.catch(() => undefined))?.close()
  }
}
