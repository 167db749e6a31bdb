/**
 * The TCP listener of one broker (node:net, or node:tls when given a key and certificate): accepts
 * connections while the broker is up, refuses them (accepts and closes at once) while it is down, and
 * closes every connection when it crashes, as a dead process's sockets are reset.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { WireConnection, type ConnectionEnvironment } from './connection.js'

/** One broker's server and its live connections. */
export class BrokerListener {
  private readonly server: Server
  private readonly connections = new Set<WireConnection>()
  private nextConnection = 0
  private boundPort = -1

  constructor(
    private readonly env: ConnectionEnvironment,
    private readonly isUp: () => boolean,
    maxConnections: number,
    tls?: { readonly key: string | Buffer; readonly cert: string | Buffer; readonly passphrase?: string },
  ) {
    if (tls === undefined) this.server = createServer((socket) => this.accept(socket))
    else {
      this.server = createTlsServer({ key: tls.key, cert: tls.cert, ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }) }, (socket) => this.accept(socket))
      // A client that fails the handshake (plaintext to a TLS port, an untrusted certificate) never becomes a connection.
      this.server.on('tlsClientError', (error: Error) => this.env.log('info', `broker ${this.env.brokerId}: TLS handshake failed: ${error.message}`))
    }
    this.server.maxConnections = maxConnections
  }

  /** The port this broker listens on (after {@link start}). */
  get port(): number {
    return this.boundPort
  }

  /** Binds to `host:port` (0 for any free port). */
  start(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => {
        this.server.off('error', reject)
        const address = this.server.address()
        this.boundPort = typeof address === 'object' && address !== null ? address.port : port
        resolve()
      })
    })
  }

  /** Closes every connection of this broker (it crashed). */
  dropConnections(reason: string): void {
    for (const connection of this.connections) connection.close(reason)
    this.connections.clear()
  }

  /** Stops listening and closes every connection. */
  stop(): Promise<void> {
    this.dropConnections('the listener is closing')
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  private accept(socket: Socket): void {
    const name = `broker ${this.env.brokerId} connection ${this.nextConnection++} (${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'})`
    if (!this.isUp()) {
      this.env.log('info', `${name}: refused, broker ${this.env.brokerId} is down`)
      socket.destroy()
      return
    }
    socket.setNoDelay(true)
    const connection = new WireConnection(socket, this.env, name)
    this.connections.add(connection)
    socket.on('close', () => this.connections.delete(connection))
    this.env.log('debug', `${name}: accepted`)
  }
}
