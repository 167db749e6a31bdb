/**
 * The console's HTTP server (node:http): the page and its script from the package (no CDN, works
 * offline), the picture of the cluster as server-sent events (`GET /events`) and as JSON
 * (`GET /state`), and the page's buttons (`POST /action`). Loopback only by default: the console can
 * crash brokers and has no authentication.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TimerHandle } from '../time/clock.js'
import { ConsoleActionError, runAction } from './console-actions.js'
import { consolePage, consoleScript } from './console-page.js'
import { ConsoleSession } from './console-session.js'
import type { ConsoleCluster, ConsoleHandle, ConsoleOptions } from './console-types.js'
import { GuidedTour } from './guided-tour.js'

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])
/** Largest POST body accepted: actions are a few fields. */
const MAX_BODY_BYTES = 64 * 1024

function readBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) reject(new ConsoleActionError(`the body is over ${MAX_BODY_BYTES} bytes: an action is a small JSON object`))
      else chunks.push(chunk)
    })
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch {
        reject(new ConsoleActionError('the body is not JSON: send an object such as {"action":"heal"}'))
      }
    })
    request.on('error', reject)
  })
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  response.end(body)
}

/**
 * Starts a console for `cluster`. Prefer `cluster.console(options)`, which also closes it with the
 * cluster.
 */
export async function startConsole(cluster: ConsoleCluster, options: ConsoleOptions = {}): Promise<ConsoleHandle> {
  const host = options.host ?? '127.0.0.1'
  const refreshMs = options.refreshMs ?? 250
  if (!LOOPBACK.has(host)) {
    const warn = options.warn ?? ((message: string) => console.warn(message))
    warn(`kafkalite console: listening on ${host}, not loopback. Anyone who reaches it can crash brokers and produce records; it has no authentication.`)
  }
  const session = new ConsoleSession(cluster)
  const tour = new GuidedTour()
  await session.start()
  const streams = new Set<ServerResponse>()
  let firstViewer!: () => void
  const viewed = new Promise<void>((resolve) => (firstViewer = resolve))
  let lastSent = ''
  let closed = false
  let timer: TimerHandle | undefined
  let clientViewBusy = false

  const push = (): void => {
    const json = JSON.stringify(session.snapshot(tour.steps()))
    if (json === lastSent) return
    lastSent = json
    for (const stream of streams) stream.write(`data: ${json}\n\n`)
  }
  // The admin reads can wait on a crashed broker's retries: one at a time, and describe() pushes meanwhile.
  const refreshClientView = (): void => {
    if (clientViewBusy) return
    clientViewBusy = true
    session
      .refreshClientView()
      .catch((error: unknown) => session.note(`could not read groups: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        clientViewBusy = false
        if (!closed) push()
      })
  }
  const tick = (): void => {
    if (closed) return
    session.observe()
    push()
    refreshClientView()
    timer = cluster.clock.setTimeout(tick, refreshMs, { background: true })
  }

  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    if (request.method === 'GET' && path === '/') return send(response, 200, 'text/html; charset=utf-8', consolePage())
    if (request.method === 'GET' && path === '/app.js') return send(response, 200, 'text/javascript; charset=utf-8', consoleScript())
    if (request.method === 'GET' && path === '/state') return send(response, 200, 'application/json', JSON.stringify(session.snapshot(tour.steps())))
    if (request.method === 'GET' && path === '/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      response.write(`data: ${JSON.stringify(session.snapshot(tour.steps()))}\n\n`)
      streams.add(response)
      firstViewer()
      request.on('close', () => streams.delete(response))
      return
    }
    if (request.method === 'POST' && path === '/action') {
      readBody(request)
        .then((body) => runAction(session, tour, body))
        .then(
          () => {
            push()
            refreshClientView()
            send(response, 200, 'application/json', '{"ok":true}')
          },
          (error: unknown) => {
            const status = error instanceof ConsoleActionError || error instanceof RangeError ? 400 : 409
            const message = error instanceof Error ? error.message : String(error)
            session.note(`action failed: ${message}`)
            send(response, status, 'application/json', JSON.stringify({ ok: false, error: message }))
          },
        )
      return
    }
    send(response, 404, 'text/plain; charset=utf-8', `no ${request.method} ${path}: the console serves GET /, /app.js, /state, /events and POST /action`)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  tick()

  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    if (timer !== undefined) cluster.clock.clearTimeout(timer)
    for (const stream of streams) stream.end()
    streams.clear()
    try {
      await session.close()
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
  // Closing the cluster closes its console, as it disconnects every client made on it.
  cluster.track?.({ disconnect: close })
  return { url: `http://${shownHost}:${address.port}/`, note: (text, noteOptions) => session.note(text, noteOptions), viewed: () => viewed, close }
}
