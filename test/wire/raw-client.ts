/** A bare Kafka protocol client over one socket, for tests that send exact bytes to a listener. */
import { connect, type Socket } from 'node:net'
import type { ApiCodec } from '../../src/wire/api-codec.js'
import { decodeResponseFrame, encodeRequestFrame } from '../../src/wire/frame.js'
import type { Message } from '../../src/wire/schema.js'

export class RawClient {
  private buffered = Buffer.alloc(0)
  private waiting: Array<(frame: Buffer) => void> = []
  private correlation = 0
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk])
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0)
        const frame = this.buffered.subarray(4, 4 + size)
        this.buffered = this.buffered.subarray(4 + size)
        this.waiting.shift()?.(frame)
      }
    })
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()))
    socket.on('error', () => undefined)
  }

  static open(address: string): Promise<RawClient> {
    const [host, port] = address.split(':')
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), host!, () => resolve(new RawClient(socket)))
      socket.once('error', reject)
    })
  }

  /** Sends raw bytes and resolves with the next response frame (without its size prefix). */
  sendRaw(bytes: Buffer): Promise<Buffer> {
    const answer = new Promise<Buffer>((resolve) => this.waiting.push(resolve))
    this.socket.write(bytes)
    return answer
  }

  /** Sends a request of `codec` at `version` and decodes the answer. */
  async request(codec: ApiCodec, version: number, body: Message): Promise<Message> {
    const correlationId = ++this.correlation
    const frame = await this.sendRaw(encodeRequestFrame(codec, version, correlationId, 'raw-test', body))
    const decoded = decodeResponseFrame(codec, version, frame)
    if (decoded.correlationId !== correlationId) throw new Error(`correlation ${decoded.correlationId}, expected ${correlationId}`)
    return decoded.body
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes)
  }

  close(): void {
    this.socket.destroy()
  }
}
