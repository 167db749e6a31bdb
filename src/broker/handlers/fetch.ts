/**
 * Fetch (API key 1), from consumers (replica id -1) and from followers (their broker id).
 * A follower's fetch offset tells the leader what it has: the leader updates the follower's
 * log end offset and caught-up time, may advance the high watermark, and asks the controller to
 * add a caught-up follower to the ISR. A follower's fetch carries its broker epoch (KIP-903): one
 * from an earlier incarnation of that broker is answered NOT_LEADER_OR_FOLLOWER and changes
 * nothing. Consumers read only below the high watermark (below the last stable offset with
 * read_committed).
 *
 * Long-poll: if fewer than `minBytes` are available, the fetch waits at the leader up to
 * `maxWaitMs` and wakes on append, high watermark or leadership change, not on a polling timer;
 * a wake-up re-checks only the partition that changed.
 * Records come in whole batches, as Kafka's: the first batch may start below the fetch offset, and
 * byte limits never cut a batch; a request gets at least one whole batch of the first partition
 * with data even above its byte limits (KIP-74).
 *
 * read_committed (KIP-98): records only below the last stable offset, with the aborted
 * transactions that overlap them, so the consumer can drop their records.
 *
 * Authorization (with an authorizer): a consumer needs READ on each topic, else that partition
 * answers TOPIC_AUTHORIZATION_FAILED; followers are brokers (CLUSTER_ACTION, always allowed).
 *
 * Fetch sessions (KIP-227): a request with a session epoch is served by `fetch-session-serve.ts`,
 * which looks only at the partitions that changed; without one, every partition is read.
 *
 * Not modelled: fetching from followers (KIP-392).
 */
import { FINAL_FETCH_EPOCH, type FetchRequest, type FetchResponse } from '../../protocol/index.js'
import { waitForEach, type SignalledCondition } from '../change-signal.js'
import type { Replica } from '../replica.js'
import { dataResult, errorResult, followerOf, parkingOf, PartitionChecker, readBound, ResponseByTopic, sizeOf, type PartitionFetch } from './fetch-partition.js'
import { serveSessionFetch } from './fetch-session-serve.js'
import type { HandlerContext } from './handler-context.js'
import type { PendingAnswer } from '../pending-answer.js'

/** Serves a Fetch request at a broker (not `async` itself: a request creates no promise more than its path needs). */
export function handleFetch(ctx: HandlerContext, request: FetchRequest): FetchResponse | Promise<FetchResponse> | PendingAnswer<FetchResponse> {
  const sessionEpoch = request.sessionEpoch ?? FINAL_FETCH_EPOCH
  if (sessionEpoch !== FINAL_FETCH_EPOCH) return serveSessionFetch(ctx, request, sessionEpoch)
  // KIP-227: the final epoch closes the named session, and the fetch is a sessionless one.
  if ((request.sessionId ?? 0) > 0) ctx.broker.fetchSessions.remove(request.sessionId!)
  return fullFetch(ctx, request)
}

/** A sessionless fetch: every partition of the request is checked, read and answered. */
async function fullFetch(ctx: HandlerContext, request: FetchRequest): Promise<FetchResponse> {
  const follower = followerOf(request)
  const followerEpoch = request.replicaEpoch ?? -1
  const fetches: PartitionFetch[] = request.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, ...p })))
  const upperBound = readBound(request)
  const checker = new PartitionChecker(ctx, request)

  // A follower's fetch offset is its log end offset: record it before waiting, so acks=all completes at once.
  const watched: Array<{ readonly f: PartitionFetch; readonly replica: Replica }> = []
  const now = ctx.cluster.clock.now()
  for (const f of fetches) {
    const errorCode = checker.check(f)
    const replica = checker.replica
    if (replica === undefined) continue
    watched.push({ f, replica })
    if (follower !== null && errorCode === 0) {
      replica.recordFollowerFetch(follower, f.fetchOffset, followerEpoch, now)
      ctx.broker.maybeExpandIsr(replica, follower)
    }
  }

  const assemble = (): { response: FetchResponse; bytes: number; errors: number } => {
    let budget = request.maxBytes
    let bytes = 0
    let errors = 0
    const byTopic = new ResponseByTopic()
    for (const f of fetches) {
      const errorCode = checker.check(f)
      const replica = checker.replica
      if (replica === undefined || errorCode !== 0) {
        errors++
        byTopic.add(f.topic, errorResult(f.partition, errorCode, replica))
        continue
      }
      const batches = replica.log.readBatches(f.fetchOffset, Math.min(f.partitionMaxBytes, budget), upperBound(replica), bytes === 0)
      const size = sizeOf(batches)
      bytes += size
      budget = Math.max(0, budget - size)
      byTopic.add(f.topic, dataResult(request, f, replica, batches))
    }
    return { response: { topics: byTopic.topics() }, bytes, errors }
  }
  const first = assemble()
  if (first.bytes >= request.minBytes || first.errors > 0 || request.maxWaitMs <= 0 || fetches.length === 0) return first.response

  // Bytes available per watched partition; a wake-up recounts only the partition that changed.
  let total = 0
  let failed = false
  const conditions: SignalledCondition[] = watched.map(({ f, replica }) => {
    let counted = 0
    return {
      signal: replica.changed,
      ready: () => {
        if (checker.check(f) !== 0 || checker.replica !== replica) failed = true
        else {
          const now = replica.log.bytesAvailable(f.fetchOffset, upperBound(replica), request.minBytes)
          total += now - counted
          counted = now
        }
        return failed || total >= request.minBytes
      },
    }
  })
  const park = parkingOf(ctx, request)
  if (!park.rejoinNow) await waitForEach(ctx.cluster.clock, conditions, { any: true, ...park.options })
  return assemble().response
}
