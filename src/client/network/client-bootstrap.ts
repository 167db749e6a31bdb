/**
 * What a client needs from a cluster: a channel to its brokers, its clock and random source,
 * and the broker ids to bootstrap from. `Cluster` provides it; clients never see broker objects.
 */
import type { RequestChannel } from '../../protocol/api.js'
import type { Clock } from '../../time/clock.js'
import type { SeededRandom } from '../../time/seeded-random.js'

/** A client's view of a cluster: only the network, time and randomness. */
export interface ClientBootstrap {
  readonly transport: RequestChannel
  readonly clock: Clock
  readonly random: SeededRandom
  /** The ids a client may bootstrap from, like KafkaJS's `brokers` list. */
  brokerIds(): number[]
  /**
   * Remembers a client made on this cluster, so that closing the cluster disconnects it. A
   * connection that is not a whole cluster (a test's wrapper) may leave it out.
   */
  track?(client: TrackedClient): void
}

/** What a cluster needs of its clients when it closes. */
export interface TrackedClient {
  disconnect(): Promise<void>
}
