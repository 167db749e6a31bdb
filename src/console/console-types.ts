/**
 * What the web console reads from a cluster and what it sends to the page. The console is a client
 * of the cluster's public API: `ConsoleCluster` names exactly the part of `Cluster` it uses (the
 * client connection, `describe()` and the fault methods), so the console depends on that surface
 * and on nothing inside the broker.
 */
import type { ClientBootstrap } from '../client/network/client-bootstrap.js'

/** Options of `cluster.console()`. */
export interface ConsoleOptions {
  /** TCP port to listen on; 0 (the default) picks a free one. */
  port?: number
  /**
   * Interface to bind (default `127.0.0.1`). The console can crash brokers and produce records and
   * has no authentication, so binding anything but loopback logs a warning.
   */
  host?: string
  /** How often the page is refreshed from `describe()` and the admin API, in ms of the cluster clock (default 250). */
  refreshMs?: number
  /** Where the non-loopback warning goes (default `console.warn`). */
  warn?: (message: string) => void
}

/** How a line of the timeline is shown. */
export interface ConsoleNoteOptions {
  /** A one-word label such as `order` or `crash`. */
  kind?: string
  /** Lines shown under it. */
  details?: readonly string[]
}

/** A running console: its address, its timeline, and how to stop it. */
export interface ConsoleHandle {
  /** The page's address, such as `http://127.0.0.1:41234/`. */
  readonly url: string
  /**
   * Adds a line to the page's timeline, at the cluster's time: your application's own events beside
   * what the console sees (the order workflow's demo sends its timeline this way).
   */
  note(text: string, options?: ConsoleNoteOptions): void
  /** Resolves once a page has opened the console (subscribed to its updates): a demo can wait for its audience. */
  viewed(): Promise<void>
  /** Stops the console's members and producer, ends the page's event stream and closes the server. */
  close(): Promise<void>
}

/** A broker as `describe()` reports it (the fields the console shows). */
export interface ConsoleBrokerView {
  readonly id: number
  readonly status: 'up' | 'down'
  readonly isolated: boolean
  readonly fenced: boolean
  readonly controller: boolean
}

/** A partition as `describe()` reports it (the fields the console shows). */
export interface ConsolePartitionView {
  readonly topic: string
  readonly partition: number
  readonly leader: number
  readonly leaderEpoch: number
  readonly replicas: readonly number[]
  readonly isr: readonly number[]
  readonly highWatermark: number
  readonly logEndOffset: number
  readonly logStartOffset: number
  readonly replicaStates: readonly { readonly brokerId: number; readonly role: 'leader' | 'follower'; readonly logEndOffset: number; readonly highWatermark: number }[]
}

/** A transactional id as `describe()` reports it (Kafka's DescribeTransactions fields, KIP-664). */
export interface ConsoleTransactionView {
  readonly transactionalId: string
  /** Kafka's `TransactionState`: Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort. */
  readonly state: string
  readonly producerId: number
  readonly producerEpoch: number
  readonly timeoutMs: number
  readonly startTimestamp: number
  readonly partitions: readonly { readonly topic: string; readonly partition: number }[]
}

/** The part of the public `Cluster` the console uses. */
export interface ConsoleCluster extends ClientBootstrap {
  describe(): {
    readonly brokers: readonly ConsoleBrokerView[]
    readonly partitions: readonly ConsolePartitionView[]
    readonly transactions: readonly ConsoleTransactionView[]
  }
  crashBroker(id: number): void
  restartBroker(id: number): void
  isolateBroker(id: number): void
  heal(): void
}
