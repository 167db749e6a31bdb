/**
 * WriteTxnMarkers (API key 27, KIP-98): from the transaction coordinator's broker to partition
 * leaders. A data partition's leader appends the COMMIT or ABORT control record (fenced with
 * INVALID_PRODUCER_EPOCH if the producer already has a newer epoch there, NOT_ENOUGH_REPLICAS below
 * `min.insync.replicas`) and answers once the ISR has it (Kafka appends markers with acks=all), so a marker cannot be lost to a leader change
 * after the coordinator counted it. At the leader of a `__consumer_offsets` partition the marker
 * completes the producer's staged offsets of the groups that partition coordinates.
 *
 * Not modelled: coordinator epochs (the coordinator is one per cluster, so none is stale), and
 * markers in `__consumer_offsets` itself (group state is not kept in a log).
 */
import { Errors, type WriteTxnMarkersRequest, type WriteTxnMarkersResponse } from '../../protocol/index.js'
import { waitUntil } from '../change-signal.js'
import { coordinatorPartition } from '../coordinator-placement.js'
import { CONSUMER_OFFSETS_TOPIC } from '../topic-name.js'
import { MARKER_REQUEST_TIMEOUT_MS } from '../transaction/transaction-marker-writer.js'
import type { HandlerContext } from './handler-context.js'
import { leaderReplica } from './leader-replica.js'

type Marker = WriteTxnMarkersRequest['markers'][number]

async function writeMarker(ctx: HandlerContext, marker: Marker, topic: string, partition: number): Promise<number> {
  const lookup = leaderReplica(ctx.broker, topic, partition)
  if (lookup.replica === undefined) return lookup.errorCode
  const committed = marker.type === 'COMMIT'
  if (topic === CONSUMER_OFFSETS_TOPIC) {
    const partitions = ctx.cluster.controller.topics.get(CONSUMER_OFFSETS_TOPIC)?.partitions.length ?? ctx.cluster.config.offsetsTopicNumPartitions
    ctx.cluster.groupCoordinator.completeTransaction(marker.producerId, committed, (groupId) => coordinatorPartition(groupId, partitions) === partition)
    return 0
  }
  const replica = lookup.replica
  const fenced = replica.producers.checkMarker(marker.producerId, marker.producerEpoch)
  if (fenced !== 0) return fenced
  // Kafka appends markers with acks=all, so below min.insync.replicas it refuses them before appending and the
  // coordinator retries: one marker once the ISR regrows, not one per retry held under a high watermark that cannot move.
  if (replica.underMinIsr) return Errors.NOT_ENOUGH_REPLICAS.code
  const epoch = replica.leaderEpoch
  const offset = replica.appendMarkerAsLeader(marker.type, marker.producerId, marker.producerEpoch)
  const stillLeader = (): boolean => replica.isLeader && replica.leaderEpoch === epoch && ctx.broker.replica(topic, partition) === replica
  const done = await waitUntil(ctx.cluster.clock, [replica.changed], () => !stillLeader() || replica.highWatermark > offset, MARKER_REQUEST_TIMEOUT_MS)
  if (!stillLeader()) return Errors.NOT_LEADER_OR_FOLLOWER.code
  return done ? 0 : Errors.REQUEST_TIMED_OUT.code
}

/** Serves a WriteTxnMarkers request at a broker. */
export async function handleWriteTxnMarkers(ctx: HandlerContext, request: WriteTxnMarkersRequest): Promise<WriteTxnMarkersResponse> {
  const markers = await Promise.all(
    request.markers.map(async (marker) => ({
      producerId: marker.producerId,
      topics: await Promise.all(
        marker.topics.map(async (t) => ({
          topic: t.topic,
          partitions: await Promise.all(t.partitions.map(async (partition) => ({ partition, errorCode: await writeMarker(ctx, marker, t.topic, partition) }))),
        })),
      ),
    })),
  )
  return { markers }
}
