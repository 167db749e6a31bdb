/**
 * One client connection to one broker's listener: reads size-prefixed frames, serves them one at
 * a time in arrival order (Kafka mutes a connection while it serves a request, so answers keep
 * request order), and writes the answers. Bad input never crashes the process: a frame over
 * `socket.request.max.bytes`, a malformed frame, an unknown API key or an unsupported version
 * (other than ApiVersions) closes only this connection, with a log line, as Kafka does.
 */
import type { Socket } from 'node:net'
import { BrokerUnreachableError, Errors, type ApiName, type RequestOf, type ResponseOf } from '../protocol/index.js'
import type { AdvertisedAddress, SaslState, ServeContext } from './api-codec.js'
import { servedApis } from './api-table.js'
import { decodeRequestFrame, encodeResponseFrame, type DecodedFrame } from './frame.js'
import { WireDecodeError } from './primitives.js'
import type { SaslAuthenticator } from './sasl.js'
import type { WireLogSink } from './wire-logger.js'

/** What a connection needs from its broker's listener. */
export interface ConnectionEnvironment {
  readonly brokerId: number
  readonly maxRequestBytes: number
  readonly authenticator: SaslAuthenticator
  readonly log: WireLogSink
  /** Sends a request as `clientId`, authenticated as `principal` (Kafka's `User:name`) or anonymous (undefined). */
  send<K extends ApiName>(clientId: string, principal: string | undefined, api: K, request: RequestOf<K>): Promise<ResponseOf<K>>
  address(brokerId: number): AdvertisedAddress | undefined
  /** Counts a served request, for the summary of `kafkalite serve`. */
  served(api: string): void
}

/** APIs a client may send before it has authenticated. */
const BEFORE_AUTH = new Set([17, 18, 36])

export class WireConnection {
  private chunks: Buffer[] = []
  private buffered = 0
  private queue: Promise<void> = Promise.resolve()
  private closed = false
  private readonly sasl: SaslState

  constructor(
    private readonly socket: Socket,
    private readonly env: ConnectionEnvironment,
    private readonly name: string,
  ) {
    this.sasl = { mechanism: null, exchange: null, authenticatedAs: null, rawTokenNext: false, authenticator: env.authenticator }
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    socket.on('error', (error) => this.env.log('debug', `${this.name}: socket error ${error.message}`))
    socket.on('close', () => {
      this.closed = true
    })
  }

  /**
   * Closes the connection: at once (a crash of its broker resets it), or after the answers already written reach
   * the client (`flush`, after a failed authentication, so the client reads why).
   */
  close(reason: string, options: { flush?: boolean } = {}): void {
    if (this.closed) return
    this.closed = true
    this.env.log('info', `${this.name}: closing connection: ${reason}`)
    if (options.flush === true) this.socket.end(() => this.socket.destroy())
    else this.socket.destroy()
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return
    this.chunks.push(chunk)
    this.buffered += chunk.length
    while (this.buffered >= 4) {
      const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : this.flatten()
      const size = head.readInt32BE(0)
      if (size < 0 || size > this.env.maxRequestBytes) {
        this.close(`frame of ${size} bytes is larger than socket.request.max.bytes (${this.env.maxRequestBytes}) or negative`)
        return
      }
      if (this.buffered < size + 4) return
      const all = this.flatten()
      const frame = Buffer.from(all.subarray(4, size + 4))
      const rest = all.subarray(size + 4)
      this.chunks = rest.length > 0 ? [rest] : []
      this.buffered = rest.length
      this.queue = this.queue.then(() =>
        this.serve(frame).catch((error: unknown) => {
          this.env.log('error', `${this.name}: request failed: ${(error as Error).stack ?? String(error)}`)
          this.close('a request could not be served')
        }),
      )
    }
  }

  private flatten(): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered)
    this.chunks = [all]
    return all
  }

  private async serve(frame: Buffer): Promise<void> {
    if (this.closed) return
    if (this.sasl.rawTokenNext) {
      this.authenticateRaw(frame)
      return
    }
    let decoded: DecodedFrame
    try {
      decoded = decodeRequestFrame(frame)
    } catch (error) {
      const reason = error instanceof WireDecodeError ? error.message : `decoder failure ${String(error)}`
      this.close(`malformed request: ${reason}`)
      return
    }
    const { header } = decoded
    if (decoded.kind === 'unknown-api') {
      this.close(`unknown API key ${header.apiKey} (version ${header.apiVersion}); ApiVersions lists the served APIs`)
      return
    }
    const codec = decoded.codec
    if (decoded.kind === 'unsupported-version') {
      if (codec.key !== 18) {
        this.close(`${codec.name} v${header.apiVersion} is not served (versions ${codec.minVersion}-${codec.maxVersion})`)
        return
      }
      // KIP-511: answer an unknown ApiVersions version in v0 with UNSUPPORTED_VERSION and the list.
      const apiKeys = servedApis().map((s) => ({ apiKey: s.key, minVersion: s.minVersion, maxVersion: s.maxVersion }))
      this.write(encodeResponseFrame(codec, 0, header.correlationId, { errorCode: Errors.UNSUPPORTED_VERSION.code, apiKeys }))
      return
    }
    if (this.sasl.authenticator.enabled && this.sasl.authenticatedAs === null && !BEFORE_AUTH.has(codec.key)) {
      this.close(`${codec.name} before SASL authentication`)
      return
    }
    this.env.served(codec.name)
    this.env.log('debug', `${this.name}: ${codec.name} v${header.apiVersion} correlation ${header.correlationId} from ${header.clientId}`)
    try {
      const answer = await codec.serve(this.context(header.clientId), decoded.body, header.apiVersion)
      if (answer !== null) this.write(encodeResponseFrame(codec, header.apiVersion, header.correlationId, answer))
      if (codec.key === 36 && answer?.['errorCode'] !== 0) this.close('SASL authentication failed', { flush: true })
    } catch (error) {
      if (error instanceof BrokerUnreachableError) this.close(error.message)
      else {
        this.env.log('error', `${this.name}: ${codec.name} v${header.apiVersion} failed: ${(error as Error).stack ?? String(error)}`)
        this.close(`${codec.name} could not be served`)
      }
    }
  }

  /**
   * A raw SASL token after a SaslHandshake v0 (KIP-43): each answer is a size-prefixed frame without a header
   * (PLAIN's success is an empty one); a failure closes the connection, as Kafka does before KIP-152.
   */
  private authenticateRaw(token: Buffer): void {
    const step = this.sasl.exchange?.step(token) ?? { kind: 'failed' as const, reason: 'no SASL exchange was started' }
    if (step.kind === 'failed') {
      this.sasl.rawTokenNext = false
      this.close(`SASL/${this.sasl.mechanism ?? '?'} authentication failed: ${step.reason}`)
      return
    }
    if (step.kind === 'authenticated') {
      this.sasl.rawTokenNext = false
      this.sasl.exchange = null
      this.sasl.authenticatedAs = step.user
    }
    const frame = Buffer.alloc(4 + step.response.length)
    frame.writeInt32BE(step.response.length, 0)
    step.response.copy(frame, 4)
    this.write(frame)
  }

  private context(clientId: string): ServeContext {
    return {
      clientId,
      send: (api, request) => this.env.send(clientId, this.sasl.authenticatedAs === null ? undefined : `User:${this.sasl.authenticatedAs}`, api, request),
      address: (id) => this.env.address(id),
      served: servedApis,
      sasl: this.sasl,
      log: (level, message) => this.env.log(level, `${this.name}: ${message}`),
    }
  }

  private write(bytes: Buffer): void {
    if (!this.closed) this.socket.write(bytes)
  }
}
