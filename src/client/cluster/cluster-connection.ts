/**
 * What a client needs from a cluster: a channel to its brokers, its clock and random source,
 * and the broker ids to bootstrap from. `Cluster` provides it; clients never see broker objects.
 */
import type { RequestChannel } from '../../protocol/api.js'
import type { Clock } from '../../time/clock.js'
import type { SeededRandom } from '../../time/seeded-random.js'

/** A client's view of a cluster: only the network, time and randomness. */
export interface ClusterConnection {
  readonly transport: RequestChannel
  readonly clock: Clock
  readonly random: SeededRandom
  /** The ids a client may bootstrap from, like KafkaJS's `brokers` list. */
  brokerIds(): number[]
}
