/**
 * A Fetch in an incremental fetch session (KIP-227). Epoch 0 opens a session (replacing the named
 * one, if any) and is answered in full; a later epoch must be the session's next one
 * (INVALID_FETCH_SESSION_EPOCH otherwise, FETCH_SESSION_ID_NOT_FOUND for an unknown or evicted
 * session), names only the partitions whose fetch state changed, and is answered with only the
 * partitions that have something new: records, an error, or a moved high watermark, last stable
 * offset or log start offset.
 *
 * Work per request follows the partitions that changed: the session's dirty partitions are checked
 * and read, and a parked request wakes on the session's own signal. A follower's request also counts
 * as a fetch of every session partition at its offset, as in Kafka, where every session partition is
 * read on each fetch (the follower's caught-up time, KIP-903 staleness and ISR expansion); those whose
 * fetch can change nothing else are recorded all at once by the session
 * ({@link FetchSession.recordFollowerFetches}), with the same outcome.
 */
import { Errors, nextFetchEpoch, INITIAL_FETCH_EPOCH, type FetchRequest, type FetchResponse } from '../../protocol/index.js'
import { whenEach } from '../change-signal.js'
import { PendingAnswer } from '../pending-answer.js'
import type { FetchSession, SessionPartition } from '../fetch-session.js'
import { errorResult, followerOf, parkingOf, partitionAnswer, PartitionChecker, readBound, ResponseByTopic, sizeOf } from './fetch-partition.js'
import type { HandlerContext } from './handler-context.js'

/** The request's session after its epoch is checked, or the error to answer with. */
function resolveSession(ctx: HandlerContext, request: FetchRequest, epoch: number): FetchSession | number {
  const cache = ctx.broker.fetchSessions
  const sessionId = request.sessionId ?? 0
  if (epoch === INITIAL_FETCH_EPOCH) {
    if (sessionId > 0) cache.remove(sessionId)
    return cache.create(followerOf(request))
  }
  const session = cache.use(sessionId)
  if (session === undefined) return Errors.FETCH_SESSION_ID_NOT_FOUND.code
  if (session.expectedEpoch !== epoch) return Errors.INVALID_FETCH_SESSION_EPOCH.code
  return session
}

/**
 * Serves a Fetch with a session epoch other than the final one. Not `async`: a fetch that need not
 * park is answered at once, and a parked one with a {@link PendingAnswer}, without a promise.
 */
export function serveSessionFetch(ctx: HandlerContext, request: FetchRequest, epoch: number): FetchResponse | PendingAnswer<FetchResponse> {
  const session = resolveSession(ctx, request, epoch)
  if (typeof session === 'number') return { errorCode: session, sessionId: 0, topics: [] }
  session.expectedEpoch = nextFetchEpoch(epoch)
  const follower = followerOf(request)
  const followerEpoch = request.replicaEpoch ?? -1
  const checker = new PartitionChecker(ctx, request)
  const upperBound = readBound(request)

  for (const { topic, partitions } of request.forgottenTopics ?? []) for (const partition of partitions) session.forget(topic, partition)
  for (const { topic, partitions } of request.topics) {
    for (const p of partitions) {
      const entry = session.upsert(topic, p.partition, p.fetchOffset, p.partitionMaxBytes, p.currentLeaderEpoch)
      entry.watch(ctx.broker.replica(topic, p.partition))
    }
  }

  if (follower !== null) {
    // A follower's fetch offset is its log end offset: record it before waiting, so acks=all completes at once.
    // One time for the whole request, as Kafka's `fetchTimeMs`.
    const fetch = { brokerEpoch: followerEpoch, timeMs: ctx.cluster.clock.now() }
    session.recordFollowerFetches(fetch, !ctx.broker.isStaleFetchFrom(follower, followerEpoch), (entry) => {
      let replica = entry.replica
      if (session.isDirty(entry)) {
        replica = checker.check(entry) === 0 ? checker.replica : undefined
      } else if (replica !== undefined && (!replica.isLeader || ctx.broker.isStaleFollowerFetch(replica, follower, followerEpoch))) {
        // A clean partition passed every check when last read, and any change at its replica since would have made
        // it dirty; broker epochs (KIP-903) come from the controller instead, so staleness is checked each time.
        replica = undefined
      }
      if (replica === undefined) return false
      replica.recordFollowerFetch(follower, entry.fetchOffset, followerEpoch, fetch.timeMs)
      ctx.broker.maybeExpandIsr(replica, follower)
      return true
    })
  }

  // Bytes available and errors among the dirty partitions; a wake-up recounts only the partitions dirtied since.
  const round = ++session.round
  let total = 0
  let failures = 0
  const count = (entry: SessionPartition): void => {
    if (entry.countedInRound !== round) {
      entry.countedInRound = round
      entry.counted = 0
      entry.failed = false
    }
    const failed = checker.check(entry) !== 0
    entry.watch(checker.found)
    const replica = checker.replica
    const bytes = failed || replica === undefined ? 0 : replica.log.bytesAvailable(entry.fetchOffset, upperBound(replica), request.minBytes)
    total += bytes - entry.counted
    failures += Number(failed) - Number(entry.failed)
    entry.counted = bytes
    entry.failed = failed
  }
  session.takeFresh()
  session.forEachDirty(count)

  const ready = (): boolean => failures > 0 || total >= request.minBytes
  if (!ready() && request.maxWaitMs > 0 && session.partitions.size > 0) {
    const park = parkingOf(ctx, request)
    if (!park.rejoinNow) {
      const fresh = {
        signal: session.changed,
        ready: () => {
          for (const entry of session.takeFresh()) count(entry)
          return ready()
        },
      }
      const pending = new PendingAnswer<FetchResponse>()
      // Answered in a later microtask, never inside the append whose notify woke it: the rest of that produce is in the answer.
      whenEach(ctx.cluster.clock, [fresh], park.options, () => queueMicrotask(() => pending.settleWith(() => afterWait(ctx, request, session, checker, upperBound))))
      return pending
    }
    return afterWait(ctx, request, session, checker, upperBound)
  }
  return answer(request, session, checker, upperBound)
}

type ReadBound = ReturnType<typeof readBound>

/** A parked fetch is done waiting: answered, unless its sender went away. */
function afterWait(ctx: HandlerContext, request: FetchRequest, session: FetchSession, checker: PartitionChecker, upperBound: ReadBound): FetchResponse {
  // The sender went away: nobody will carry on this session.
  if (ctx.signal?.aborted === true) {
    ctx.broker.fetchSessions.remove(session.id)
    return { sessionId: 0, topics: [] }
  }
  return answer(request, session, checker, upperBound)
}

/** The answer: the dirty partitions' records, errors and moved offsets. */
function answer(request: FetchRequest, session: FetchSession, checker: PartitionChecker, upperBound: ReadBound): FetchResponse {
  let budget = request.maxBytes
  let bytes = 0
  const byTopic = new ResponseByTopic()
  session.forEachDirty((entry) => {
    const errorCode = checker.check(entry)
    const replica = checker.replica
    if (replica === undefined || errorCode !== 0) {
      // An error is answered on every request until the fetcher forgets the partition or it clears.
      byTopic.add(entry.topic, errorResult(entry.partition, errorCode, replica))
      return
    }
    const upper = upperBound(replica)
    const { log } = replica
    const batches = log.readBatches(entry.fetchOffset, Math.min(entry.partitionMaxBytes, budget), upper, bytes === 0)
    const size = sizeOf(batches)
    bytes += size
    budget = Math.max(0, budget - size)
    // Records at its fetch offset keep it dirty until the fetcher asks from further on (or takes them, when left out for bytes).
    if (!log.hasRecords(entry.fetchOffset, upper)) session.markClean(entry)
    const highWatermark = replica.highWatermark
    const lastStableOffset = replica.lastStableOffset
    const logStartOffset = log.logStartOffset
    const moved = highWatermark !== entry.sentHighWatermark || lastStableOffset !== entry.sentLastStableOffset || logStartOffset !== entry.sentLogStartOffset
    if (batches.length === 0 && !moved) return
    entry.sentHighWatermark = highWatermark
    entry.sentLastStableOffset = lastStableOffset
    entry.sentLogStartOffset = logStartOffset
    byTopic.add(entry.topic, partitionAnswer(request, entry, replica, batches, highWatermark, lastStableOffset, logStartOffset))
  })
  return { sessionId: session.id, topics: byTopic.topics() }
}
