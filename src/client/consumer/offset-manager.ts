/**
 * Offset bookkeeping of one consumer: for each assigned partition, the group's committed offset
 * and the resolved offset (the next offset to read, moved forward as messages are processed);
 * auto-commit by interval and threshold; seeks; and the starting position of a partition the group
 * never committed (`fromBeginning`, Kafka's `auto.offset.reset`) found with ListOffsets.
 * Kafka's rule throughout: a committed offset is the offset of the next record to read.
 */
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, CONSUMER_REPLICA_ID, type IsolationLevel } from '../../protocol/data-apis.js'
import { Errors } from '../../protocol/error-codes.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSNonRetriableError, protocolError } from '../errors.js'
import type { InstrumentationEmitter } from '../instrumentation/instrumentation-emitter.js'
import { ConsumerEvents, type TopicOffsets } from './consumer-events.js'
import type { GroupCoordinatorClient } from './group-coordinator-client.js'
import { isRetriableCrash, isStaleMetadataError } from '../error-policy.js'

/** Where the consumer stands in its group, for commits. */
export interface GroupIdentity {
  groupId: string
  memberId: string
  generationId: number
  /** `group.instance.id` of a static member (KIP-345), else null. */
  groupInstanceId: string | null
}

/** Offsets to commit, as KafkaJS's `Offsets` / `OffsetsByTopicPartition`. */
export interface OffsetsByTopicPartition {
  topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string; metadata?: string | null }> }>
}

/** Options of an {@link OffsetManager}. */
export interface OffsetManagerOptions {
  cluster: BrokerRouter
  coordinator: GroupCoordinatorClient
  emitter: InstrumentationEmitter
  identity: () => GroupIdentity
  /** `fromBeginning` per subscribed topic (subscribe's option). */
  fromBeginning: (topic: string) => boolean
  isolationLevel: IsolationLevel
  autoCommit: boolean
  autoCommitInterval: number | null
  autoCommitThreshold: number | null
}

/** Special seek offsets KafkaJS accepts: latest (-1) and earliest (-2). */
const SPECIAL_OFFSETS = new Set([LATEST_TIMESTAMP, EARLIEST_TIMESTAMP])

type PartitionOffsets = Map<string, Map<number, number>>

const DONE: Promise<void> = Promise.resolve()

function get(offsets: PartitionOffsets, topic: string, partition: number): number | undefined {
  return offsets.get(topic)?.get(partition)
}

function set(offsets: PartitionOffsets, topic: string, partition: number, offset: number): void {
  let byPartition = offsets.get(topic)
  if (byPartition === undefined) offsets.set(topic, (byPartition = new Map()))
  byPartition.set(partition, offset)
}

function remove(offsets: PartitionOffsets, topic: string, partition: number): void {
  offsets.get(topic)?.delete(partition)
}

/** Committed and resolved offsets of the partitions assigned to one consumer. */
export class OffsetManager {
  private assignment = new Map<string, Set<number>>()
  private readonly committed: PartitionOffsets = new Map()
  private readonly resolved: PartitionOffsets = new Map()
  /** KIP-320: the leader epoch each committed offset was stored with (the epoch of the record before it). */
  private readonly committedEpochs: PartitionOffsets = new Map()
  /** KIP-320: the leader epoch of the last record resolved per partition, what a commit of the resolved offset carries. */
  private readonly resolvedEpochs: PartitionOffsets = new Map()
  /** The last commit asked for; the next one starts after it settles (see {@link OffsetManager.commitOffsets}). */
  private commitsInOrder: Promise<void> = Promise.resolve()
  /** Commits asked for and not settled yet. */
  private commitsQueued = 0
  private readonly pendingSeeks: PartitionOffsets = new Map()
  /**
   * Counts the seeks requested: a reader that found no pending seek for a partition need not look again (once per
   * delivered message) until this moves.
   */
  seekRequests = 0
  /**
   * Per topic, the partitions whose resolved offset may differ from the committed one (either moved since the last
   * look): what {@link OffsetManager.uncommittedOffsets} looks at, so a commit after each batch costs per partition
   * that moved, not per partition assigned.
   */
  private readonly maybeUncommitted = new Map<string, Set<number>>()
  /**
   * The per-topic entries {@link resolveOffset} writes, for the topic it resolved last: it runs once per delivered
   * message, mostly for one topic in a row. Topic entries are never removed from the maps above, so this stays true
   * until the assignment is replaced.
   */
  private resolving: { readonly topic: string; readonly assigned: Set<number>; readonly resolved: Map<number, number>; readonly epochs: Map<number, number>; readonly candidates: Set<number> } | undefined
  private lastCommit: number

  constructor(private readonly options: OffsetManagerOptions) {
    this.lastCommit = options.cluster.clock.now()
  }

  /**
   * Takes a new assignment. State of partitions listed in `keep` (cooperative rebalancing,
   * KIP-429: partitions the member still owns) survives; every other partition starts afresh from
   * the group's committed offset.
   */
  assign(assignment: ReadonlyMap<string, readonly number[]>, keep: (topic: string, partition: number) => boolean = () => false): void {
    this.assignment = new Map([...assignment].map(([topic, partitions]) => [topic, new Set(partitions)]))
    this.resolving = undefined
    for (const offsets of [this.committed, this.resolved, this.resolvedEpochs]) {
      for (const [topic, byPartition] of offsets) {
        for (const partition of [...byPartition.keys()]) {
          if (!this.isAssigned(topic, partition) || !keep(topic, partition)) byPartition.delete(partition)
        }
      }
    }
  }

  private isAssigned(topic: string, partition: number): boolean {
    return this.assignment.get(topic)?.has(partition) ?? false
  }

  /** True when the partition's position is known, so it can be fetched. */
  hasPosition(topic: string, partition: number): boolean {
    return get(this.resolved, topic, partition) !== undefined || get(this.committed, topic, partition) !== undefined
  }

  /** The offset to fetch next: the resolved offset, else the committed one. */
  nextOffset(topic: string, partition: number): number {
    const next = get(this.resolved, topic, partition) ?? get(this.committed, topic, partition)
    if (next === undefined) throw new KafkaJSNonRetriableError(`No position for ${topic}-${partition}: its offsets were not resolved`)
    return next
  }

  /**
   * Marks `offset` as processed: the next offset to read becomes `offset + 1`. `leaderEpoch` is the leader epoch of
   * the record's batch, if known: KIP-320's `OffsetAndMetadata.leaderEpoch`, committed with the offset.
   */
  resolveOffset(topic: string, partition: number, offset: number, leaderEpoch = -1): void {
    const entries = this.resolving
    if (entries !== undefined && entries.topic === topic) {
      if (!entries.assigned.has(partition)) return
      // What setResolved and set(resolvedEpochs) do, through the topic's entries.
      entries.resolved.set(partition, offset + 1)
      entries.candidates.add(partition)
      entries.epochs.set(partition, leaderEpoch)
      return
    }
    if (!this.isAssigned(topic, partition)) return
    this.setResolved(topic, partition, offset + 1)
    set(this.resolvedEpochs, topic, partition, leaderEpoch)
    this.resolving = {
      topic,
      assigned: this.assignment.get(topic)!,
      resolved: this.resolved.get(topic)!,
      epochs: this.resolvedEpochs.get(topic)!,
      candidates: this.maybeUncommitted.get(topic)!,
    }
  }

  /** True if {@link resolveOffsets} of these partitions would ask the group coordinator: one of them has no committed offset loaded. */
  needsResolving(partitions: ReadonlyArray<{ topic: string; partition: number }>): boolean {
    for (const { topic, partition } of partitions) if (this.isAssigned(topic, partition) && get(this.committed, topic, partition) === undefined) return true
    return false
  }

  /**
   * Loads the starting position of these assigned partitions (default: all) where it is unknown:
   * the group's committed offset (OffsetFetch), or, for a partition the group never committed,
   * the earliest or latest offset (ListOffsets) per the topic's `fromBeginning`.
   */
  async resolveOffsets(only?: ReadonlyArray<{ topic: string; partition: number }>): Promise<void> {
    const onlyByTopic = only === undefined ? undefined : new Map<string, Set<number>>()
    for (const { topic, partition } of only ?? []) {
      let partitions = onlyByTopic!.get(topic)
      if (partitions === undefined) onlyByTopic!.set(topic, (partitions = new Set()))
      partitions.add(partition)
    }
    // A lookup per partition, not a scan of `only`: each fetch resolves the partitions it leads, thousands of them.
    const wanted = (topic: string, partition: number) => onlyByTopic === undefined || (onlyByTopic.get(topic)?.has(partition) ?? false)
    const pending = [...this.assignment]
      .map(([topic, partitions]) => ({ topic, partitions: [...partitions].filter((p) => wanted(topic, p) && get(this.committed, topic, p) === undefined) }))
      .filter(({ partitions }) => partitions.length > 0)
    if (pending.length === 0) return

    const { groupId } = this.options.identity()
    const response = await this.options.cluster.retrier(async () => {
      const answer = await this.options.coordinator.send('OffsetFetch', {
        groupId,
        topics: pending,
        // KIP-447: under read_committed, wait for offsets of pending transactions (UNSTABLE_OFFSET_COMMIT is retriable).
        requireStable: this.options.isolationLevel === 1,
      })
      this.options.coordinator.noteError(answer.errorCode)
      const error = protocolError(answer.errorCode, `fetching the committed offsets of group "${groupId}"`)
      if (error !== undefined) throw error
      for (const topic of answer.topics) {
        for (const p of topic.partitions) {
          this.options.coordinator.noteError(p.errorCode)
          const partitionError = protocolError(p.errorCode, `fetching the committed offset of ${topic.topic}-${p.partition}`)
          if (partitionError !== undefined) throw partitionError
        }
      }
      return answer
    })

    const uncommitted: Array<{ topic: string; partition: number }> = []
    for (const topic of response.topics) {
      for (const { partition, offset, committedLeaderEpoch } of topic.partitions) {
        if (!this.isAssigned(topic.topic, partition)) continue
        // KIP-320: metadata older than the epoch the offset was committed under comes from a stale leader.
        if (committedLeaderEpoch !== undefined && committedLeaderEpoch >= 0) this.options.cluster.noteLeaderEpoch(topic.topic, partition, committedLeaderEpoch)
        if (offset >= 0) {
          this.setCommitted(topic.topic, partition, offset)
          set(this.committedEpochs, topic.topic, partition, committedLeaderEpoch ?? -1)
        }
        else uncommitted.push({ topic: topic.topic, partition })
      }
    }
    if (uncommitted.length === 0) return
    const defaults = await this.listOffsets(uncommitted.map((tp) => ({ ...tp, timestamp: this.defaultTimestamp(tp.topic) })))
    for (const { topic, partition, offset } of defaults) {
      if (this.isAssigned(topic, partition) && get(this.committed, topic, partition) === undefined) this.setCommitted(topic, partition, offset)
    }
  }

  /**
   * OFFSET_OUT_OF_RANGE: moves the partition to its earliest or latest offset per `fromBeginning`
   * (Kafka's `auto.offset.reset`). The new position is committed with the next commit.
   */
  async resetToDefault(topic: string, partition: number): Promise<void> {
    const [answer] = await this.listOffsets([{ topic, partition, timestamp: this.defaultTimestamp(topic) }])
    if (answer === undefined || !this.isAssigned(topic, partition)) return
    this.setResolved(topic, partition, answer.offset)
    remove(this.resolvedEpochs, topic, partition)
  }

  /**
   * Records a seek (KafkaJS's `consumer.seek`); it takes effect before the partition's next fetch,
   * and the messages of the partition already fetched are dropped. The latest seek wins.
   */
  requestSeek(topic: string, partition: number, offset: number): void {
    this.seekRequests++
    set(this.pendingSeeks, topic, partition, offset)
  }

  /** True while a seek waits to be applied to the partition. */
  hasPendingSeek(topic: string, partition: number): boolean {
    return get(this.pendingSeeks, topic, partition) !== undefined
  }

  /** True while any seek waits to be applied. */
  hasPendingSeeks(): boolean {
    for (const byPartition of this.pendingSeeks.values()) if (byPartition.size > 0) return true
    return false
  }

  /**
   * Applies the pending seeks of these partitions (seeks of partitions not assigned here stay pending). A seek to the
   * latest or earliest offset whose lookup ran out of retries on a retriable error (a new leader answering
   * OFFSET_NOT_AVAILABLE until its high watermark settles, KIP-207) stays pending for the next fetch round, as Java's
   * consumer keeps an offset reset pending: a crash would restart the consumer without it, from its committed offset.
   */
  async applyPendingSeeks(partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<void> {
    for (const { topic, partition } of partitions) {
      const offset = get(this.pendingSeeks, topic, partition)
      if (offset === undefined || !this.isAssigned(topic, partition)) continue
      remove(this.pendingSeeks, topic, partition)
      try {
        await this.seek(topic, partition, offset)
      } catch (error) {
        if (!isRetriableCrash(error as Error)) throw error
        // Unless a newer seek replaced it meanwhile.
        if (get(this.pendingSeeks, topic, partition) === undefined) set(this.pendingSeeks, topic, partition, offset)
      }
    }
  }

  /**
   * Moves the position of an assigned partition. With auto-commit on, the new offset is committed
   * at once, as KafkaJS does; otherwise it becomes the resolved offset, committed with the
   * application's next commit. -1 and -2 mean the latest and the earliest offset.
   */
  private async seek(topic: string, partition: number, offset: number): Promise<void> {
    let target = offset
    if (SPECIAL_OFFSETS.has(offset)) {
      const [answer] = await this.listOffsets([{ topic, partition, timestamp: offset }])
      // A rebalance while ListOffsets was out may have given the partition to another member: its position is theirs.
      if (answer === undefined || !this.isAssigned(topic, partition)) return
      target = answer.offset
    }
    remove(this.resolvedEpochs, topic, partition)
    if (!this.options.autoCommit) {
      this.setResolved(topic, partition, target)
      return
    }
    await this.commitOffsets({ topics: [{ topic, partitions: [{ partition, offset: String(target) }] }] })
    remove(this.resolved, topic, partition)
  }

  /**
   * The leader epoch of the record before `position` if `position` is the committed offset (KIP-320: stored with
   * it), else -1: what the consumer validates a committed position with after OFFSET_OUT_OF_RANGE.
   */
  committedEpochAt(topic: string, partition: number, position: number): number {
    return get(this.committed, topic, partition) === position ? (get(this.committedEpochs, topic, partition) ?? -1) : -1
  }

  /**
   * KIP-320: the leader epoch committed with `offset`. Kafka's consumer commits the epoch of the last record consumed
   * (its position's `offsetEpoch`); for an offset that is not the resolved position nor the committed one (an explicit
   * commit of another offset, a seek), the epoch this client knows the partition's leader by, so that a later reader
   * can still tell stale metadata (Java would send none).
   */
  private epochToCommit(topic: string, partition: number, offset: number): number {
    const resolvedEpoch = get(this.resolved, topic, partition) === offset ? (get(this.resolvedEpochs, topic, partition) ?? -1) : -1
    if (resolvedEpoch >= 0) return resolvedEpoch
    const committedEpoch = this.committedEpochAt(topic, partition, offset)
    return committedEpoch >= 0 ? committedEpoch : this.options.cluster.leaderEpochFor(topic, partition)
  }

  private setResolved(topic: string, partition: number, offset: number): void {
    set(this.resolved, topic, partition, offset)
    this.mayDiffer(topic, partition)
  }

  private setCommitted(topic: string, partition: number, offset: number): void {
    set(this.committed, topic, partition, offset)
    this.mayDiffer(topic, partition)
  }

  private mayDiffer(topic: string, partition: number): void {
    let partitions = this.maybeUncommitted.get(topic)
    if (partitions === undefined) this.maybeUncommitted.set(topic, (partitions = new Set()))
    partitions.add(partition)
  }

  /**
   * Resolved offsets not yet committed, by topic (in the order the topics were first resolved), partitions in ascending
   * order as KafkaJS lists them (its resolved offsets are an object keyed by partition number).
   */
  uncommittedOffsets(): OffsetsByTopicPartition {
    const topics: TopicOffsets[] = []
    for (const [topic, byPartition] of this.resolved) {
      const candidates = this.maybeUncommitted.get(topic)
      if (candidates === undefined || candidates.size === 0) continue
      const partitions: number[] = []
      for (const partition of candidates) {
        if (this.isUncommitted(topic, partition, byPartition.get(partition))) partitions.push(partition)
        // Equal, gone or not assigned: nothing to commit until an offset moves again (which marks it anew).
        else candidates.delete(partition)
      }
      if (partitions.length > 0) topics.push({ topic, partitions: partitions.sort((a, b) => a - b).map((partition) => ({ partition, offset: String(byPartition.get(partition)) })) })
    }
    return { topics }
  }

  /** A resolved offset to commit: set, not the committed one, of a partition still assigned. */
  private isUncommitted(topic: string, partition: number, resolved: number | undefined): resolved is number {
    return resolved !== undefined && resolved >= 0 && resolved !== get(this.committed, topic, partition) && this.isAssigned(topic, partition)
  }

  /** True if some resolved offset is not committed yet (without listing them). */
  private hasUncommitted(): boolean {
    for (const [topic, candidates] of this.maybeUncommitted) {
      for (const partition of candidates) {
        if (this.isUncommitted(topic, partition, get(this.resolved, topic, partition))) return true
        candidates.delete(partition)
      }
    }
    return false
  }

  /** How many messages were resolved since the last commit, over all partitions. */
  countResolvedOffsets(): number {
    let count = 0
    for (const { topic, partitions } of this.uncommittedOffsets().topics) {
      for (const { partition, offset } of partitions) count += Number(offset) - (get(this.committed, topic, partition) ?? 0)
    }
    return count
  }

  /** Commits if `autoCommitInterval` has elapsed or `autoCommitThreshold` messages were resolved since the last commit. */
  async commitOffsetsIfNecessary(): Promise<void> {
    if (this.commitDue()) await this.commitOffsets()
  }

  /**
   * True once `autoCommitInterval` has passed since the last commit or `autoCommitThreshold` offsets are resolved.
   * `now` is the cluster clock's time, passed by a caller that has just read it.
   */
  commitDue(now = this.options.cluster.clock.now()): boolean {
    const { autoCommitInterval, autoCommitThreshold } = this.options
    const intervalReached = autoCommitInterval !== null && now >= this.lastCommit + autoCommitInterval
    return intervalReached || (autoCommitThreshold !== null && this.countResolvedOffsets() >= autoCommitThreshold)
  }

  /**
   * Commits uncommitted resolved offsets when the consumer is idle: once `autoCommitInterval` has elapsed, or, without
   * an interval, at once (they would have been committed at the end of their batch, KafkaJS's rule).
   */
  async commitOffsetsWhileIdle(): Promise<void> {
    if (this.options.autoCommitInterval === null) await this.commitOffsets()
    else await this.commitOffsetsIfNecessary()
  }

  /**
   * Commits `offsets`, or every uncommitted resolved offset, with the member's generation, so that
   * the coordinator rejects a commit from a stale generation (ILLEGAL_GENERATION). Throws the
   * first partition error; partitions that were committed are recorded as such.
   *
   * Commits go out one at a time, in the order they were asked for, and an implicit commit reads the
   * resolved offsets when its turn comes: two commits in flight at once could otherwise overtake each
   * other (one waits for a coordinator lookup while the next goes straight out), and the older offset,
   * landing last, would move the group's committed offset backwards. Kafka's consumer keeps its commits
   * in order the same way (pending async commits wait for the coordinator in order).
   */
  commitOffsets(offsets?: OffsetsByTopicPartition): Promise<void> {
    // Nothing to commit and no commit ahead in line: done now (the common case after a batch already committed).
    if (offsets === undefined && this.commitsQueued === 0 && !this.hasUncommitted()) {
      this.lastCommit = this.options.cluster.clock.now()
      return DONE
    }
    this.commitsQueued++
    const turn = this.commitsInOrder.then(() => this.commitInTurn(offsets))
    this.commitsInOrder = turn.catch(() => undefined)
    return turn
  }

  /** Sends one commit when its turn comes: `offsets`, or the offsets resolved and uncommitted by then. */
  private async commitInTurn(offsets: OffsetsByTopicPartition | undefined): Promise<void> {
    try {
      await this.sendCommit(offsets ?? this.uncommittedOffsets())
    } finally {
      this.commitsQueued--
    }
  }

  private async sendCommit(offsets: OffsetsByTopicPartition): Promise<void> {
    const topics = offsets.topics.filter((t) => t.partitions.length > 0)
    if (topics.length === 0) {
      this.lastCommit = this.options.cluster.clock.now()
      return
    }
    const { groupId, memberId, generationId, groupInstanceId } = this.options.identity()
    const request = {
      groupId,
      generationId,
      memberId,
      groupInstanceId,
      topics: topics.map(({ topic, partitions }) => ({
        topic,
        partitions: partitions.map(({ partition, offset, metadata }) => ({
          partition,
          offset: Number(offset),
          metadata: metadata ?? null,
          committedLeaderEpoch: this.epochToCommit(topic, partition, Number(offset)),
        })),
      })),
    }
    const response = await this.options.coordinator.send('OffsetCommit', request)
    const sentPartitions = new SentPartitions(request.topics)
    let firstError: Error | undefined
    for (const topic of response.topics) {
      for (const { partition, errorCode } of topic.partitions) {
        if (errorCode === 0) {
          const sent = sentPartitions.find(topic.topic, partition)
          if (sent !== undefined) {
            this.setCommitted(topic.topic, partition, sent.offset)
            set(this.committedEpochs, topic.topic, partition, sent.committedLeaderEpoch ?? -1)
          }
          continue
        }
        this.options.coordinator.noteError(errorCode)
        firstError ??= protocolError(errorCode, `committing offsets of ${topic.topic}-${partition} for group "${groupId}" (generation ${generationId})`)
      }
    }
    if (firstError !== undefined) throw firstError
    // KafkaJS commits what it resolved, keyed by partition: the partition is a string.
    this.options.emitter.emit(ConsumerEvents.COMMIT_OFFSETS, {
      groupId,
      memberId,
      groupGenerationId: generationId,
      topics: topics.map(({ topic, partitions }) => ({ topic, partitions: partitions.map(({ partition, offset }) => ({ partition: String(partition), offset })) })),
    })
    this.lastCommit = this.options.cluster.clock.now()
  }

  private defaultTimestamp(topic: string): number {
    return this.options.fromBeginning(topic) ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP
  }

  /** ListOffsets to each partition's leader, retried (with a metadata reload) while leaders move. */
  private async listOffsets(
    requests: ReadonlyArray<{ topic: string; partition: number; timestamp: number }>,
  ): Promise<Array<{ topic: string; partition: number; offset: number }>> {
    const { cluster } = this.options
    return cluster.retrier(async () => {
      await cluster.addTargetTopics([...new Set(requests.map((r) => r.topic))])
      await cluster.refreshMetadataIfNecessary()
      const byLeader = new Map<number, Array<{ topic: string; partition: number; timestamp: number }>>()
      for (const request of requests) {
        const leader = cluster.leaderFor(request.topic, request.partition)
        if (leader < 0) {
          cluster.invalidateMetadata()
          throw protocolError(Errors.LEADER_NOT_AVAILABLE.code, `no leader known for ${request.topic}-${request.partition}`)!
        }
        const list = byLeader.get(leader) ?? []
        list.push(request)
        byLeader.set(leader, list)
      }
      const results: Array<{ topic: string; partition: number; offset: number }> = []
      for (const [leader, list] of byLeader) {
        const topics = [...new Set(list.map((r) => r.topic))].map((topic) => ({
          topic,
          partitions: list
            .filter((r) => r.topic === topic)
            .map(({ partition, timestamp }) => ({ partition, timestamp, currentLeaderEpoch: cluster.leaderEpochFor(topic, partition) })),
        }))
        const response = await cluster.send(leader, 'ListOffsets', { replicaId: CONSUMER_REPLICA_ID, isolationLevel: this.options.isolationLevel, topics })
        for (const topic of response.topics) {
          for (const p of topic.partitions) {
            if (p.errorCode !== 0) {
              if (isStaleMetadataError(p.errorCode)) cluster.invalidateMetadata()
              throw protocolError(p.errorCode, `listing offsets of ${topic.topic}-${p.partition}`)!
            }
            results.push({ topic: topic.topic, partition: p.partition, offset: p.offset })
          }
        }
      }
      return results
    })
  }
}

/** The largest commit whose sent partitions are looked up by a scan; a larger one builds maps once. */
const SCANNED_COMMIT = 8

/**
 * The partitions a commit sent, looked up per answered partition: by a scan when there are few (a commit after each
 * batch names one or two, and maps would cost more than the scan), through maps built once otherwise, so a commit of
 * thousands of partitions stays linear.
 */
class SentPartitions<P extends { readonly partition: number }> {
  private byTopic: Map<string, Map<number, P>> | undefined

  constructor(private readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly P[] }>) {
    let count = 0
    for (const { partitions } of topics) count += partitions.length
    if (count > SCANNED_COMMIT) this.byTopic = new Map(topics.map((t) => [t.topic, new Map(t.partitions.map((p) => [p.partition, p]))]))
  }

  find(topic: string, partition: number): P | undefined {
    if (this.byTopic !== undefined) return this.byTopic.get(topic)?.get(partition)
    // From the end, as the maps would answer: a topic or partition named twice is found as named last.
    for (let t = this.topics.length - 1; t >= 0; t--) {
      const sent = this.topics[t]!
      if (sent.topic !== topic) continue
      for (let i = sent.partitions.length - 1; i >= 0; i--) if (sent.partitions[i]!.partition === partition) return sent.partitions[i]
      return undefined
    }
    return undefined
  }
}
