/**
 * Writes a transaction's COMMIT or ABORT markers (Kafka's `TransactionMarkerChannelManager`,
 * KIP-98): the coordinator broker sends WriteTxnMarkers to the leader of every partition of the
 * transaction, and of each consumer group's `__consumer_offsets` partition, through the same
 * channel as any request, and retries until each leader has the marker in its ISR. A partition
 * whose topic was deleted is dropped, as Kafka does.
 */
import { topicPartitionKey } from '../../protocol/topic-partition.js'
import { BrokerUnreachableError, Errors, RequestTimeoutError, type ControlType, type RequestChannel } from '../../protocol/index.js'
import type { Clock } from '../../time/index.js'

/** Kafka's `request.timeout.ms` for the coordinator's marker requests. */
export const MARKER_REQUEST_TIMEOUT_MS = 30_000
/** Pause between rounds while some leader has not taken its marker (Kafka retries on `retry.backoff.ms`, 100). */
export const MARKER_RETRY_BACKOFF_MS = 100

/** Where markers go: the coordinator broker, partition leaders, and whether a partition still exists. */
export interface MarkerRouting {
  readonly clock: Clock
  channel(): RequestChannel
  /** The broker that coordinates `transactionalId` now, -1 if none is available. */
  coordinatorOf(transactionalId: string): number
  /** The leader of a partition, -1 if it has none; undefined if the partition no longer exists. */
  leaderOf(topic: string, partition: number): number | undefined
}

/** What to mark: one transaction's end. */
export interface MarkerJob {
  readonly transactionalId: string
  readonly producerId: number
  readonly producerEpoch: number
  readonly type: ControlType
  readonly partitions: ReadonlyArray<{ readonly topic: string; readonly partition: number }>
}


/** Writes every marker of `job`, retrying on the clock until each is written or its partition is gone. */
export async function writeMarkers(routing: MarkerRouting, job: MarkerJob): Promise<void> {
  const remaining = new Map(job.partitions.map((p) => [topicPartitionKey(p.topic, p.partition), p]))
  while (remaining.size > 0) {
    const from = routing.coordinatorOf(job.transactionalId)
    const byLeader = new Map<number, Array<{ topic: string; partition: number }>>()
    for (const [k, p] of remaining) {
      const leader = routing.leaderOf(p.topic, p.partition)
      if (leader === undefined) remaining.delete(k)
      else if (leader >= 0) byLeader.set(leader, [...(byLeader.get(leader) ?? []), p])
    }
    if (from >= 0) {
      await Promise.all(
        [...byLeader].map(async ([leader, partitions]) => {
          for (const done of await sendMarkers(routing, from, leader, job, partitions)) remaining.delete(topicPartitionKey(done.topic, done.partition))
        }),
      )
    }
    if (remaining.size > 0) await routing.clock.sleep(MARKER_RETRY_BACKOFF_MS, { background: true })
  }
}

/** One WriteTxnMarkers request; returns the partitions that are done with (written, or fenced by a newer marker). */
async function sendMarkers(
  routing: MarkerRouting,
  from: number,
  leader: number,
  job: MarkerJob,
  partitions: ReadonlyArray<{ topic: string; partition: number }>,
): Promise<Array<{ topic: string; partition: number }>> {
  const topics = new Map<string, number[]>()
  for (const p of partitions) topics.set(p.topic, [...(topics.get(p.topic) ?? []), p.partition])
  try {
    const response = await routing.channel().send(
      { kind: 'broker', brokerId: from },
      leader,
      'WriteTxnMarkers',
      {
        markers: [
          {
            producerId: job.producerId,
            producerEpoch: job.producerEpoch,
            type: job.type,
            coordinatorEpoch: 0,
            topics: [...topics].map(([topic, ps]) => ({ topic, partitions: ps })),
          },
        ],
      },
      { requestTimeoutMs: MARKER_REQUEST_TIMEOUT_MS },
    )
    const done: Array<{ topic: string; partition: number }> = []
    for (const marker of response.markers) {
      for (const t of marker.topics) {
        for (const p of t.partitions) {
          // A newer epoch's marker is already there: this transaction is over on that partition (Kafka drops it too).
          if (p.errorCode === 0 || p.errorCode === Errors.INVALID_PRODUCER_EPOCH.code) done.push({ topic: t.topic, partition: p.partition })
        }
      }
    }
    return done
  } catch (error) {
    if (error instanceof BrokerUnreachableError || error instanceof RequestTimeoutError) return []
    throw error
  }
}
