/**
 * OffsetCommit and OffsetFetch against a group's {@link OffsetStore}, with Kafka's validation
 * (`GroupCoordinator.handleCommitOffsets` / `validateOffsetCommit` and `handleFetchOffsets`).
 */
import { Errors, type OffsetCommitRequest, type OffsetCommitResponse, type OffsetFetchRequest, type OffsetFetchResponse } from '../../protocol/index.js'
import type { Group } from './group.js'
import type { GroupMember } from './group-member.js'
import type { OffsetToCommit } from './offset-store.js'

/** Kafka's `offset.metadata.max.bytes` default: longer commit metadata gets OFFSET_METADATA_TOO_LARGE. */
export const OFFSET_METADATA_MAX_BYTES = 4096

/** What an offset commit needs from the coordinator. */
export interface CommitContext {
  /** The group, if the coordinator knows it. */
  readonly group: Group | undefined
  readonly now: number
  partitionExists(topic: string, partition: number): boolean
  /** Creates the group for a first simple commit (a group used only to store offsets). */
  createGroup(): Group
  /** Resets a committing member's session timer: a commit proves it is alive. */
  touch(group: Group, member: GroupMember): void
}

/**
 * Kafka's `validateOffsetCommit` for a non-transactional commit: a commit that names a member or
 * a generation must come from a current member of the current generation; a simple commit
 * (generation -1, no member id) is only allowed while the group has no members.
 */
function validate(group: Group, req: OffsetCommitRequest): number {
  if (group.is('Dead')) return Errors.COORDINATOR_NOT_AVAILABLE.code
  if (req.generationId >= 0 || req.memberId !== '' || req.groupInstanceId !== null) {
    const memberError = group.currentMemberError(req.memberId, req.groupInstanceId)
    if (memberError !== Errors.NONE.code) return memberError
    if (req.generationId !== group.generationId) return Errors.ILLEGAL_GENERATION.code
    // A member that got its JoinGroup answer but not yet its assignment must not commit (Kafka: REBALANCE_IN_PROGRESS).
    if (group.is('CompletingRebalance')) return Errors.REBALANCE_IN_PROGRESS.code
    return Errors.NONE.code
  }
  return group.is('Empty') ? Errors.NONE.code : Errors.UNKNOWN_MEMBER_ID.code
}

/**
 * Handles OffsetCommit; `ctx.group` is undefined for a group the coordinator does not know.
 * As Kafka's `isValidGroupId`, the empty group id is valid for the offset APIs (no member can
 * join it, so only simple commits succeed there).
 */
export function commitOffsets(req: OffsetCommitRequest, ctx: CommitContext): OffsetCommitResponse {
  const errors = new Map<string, Map<number, number>>()
  const setError = (topic: string, partition: number, code: number) => {
    let partitions = errors.get(topic)
    if (partitions === undefined) errors.set(topic, (partitions = new Map()))
    partitions.set(partition, code)
  }
  const toCommit: OffsetToCommit[] = []
  for (const t of req.topics) {
    for (const p of t.partitions) {
      // Unknown partitions are answered by the broker before the coordinator sees the request (KafkaApis).
      if (!ctx.partitionExists(t.topic, p.partition)) setError(t.topic, p.partition, Errors.UNKNOWN_TOPIC_OR_PARTITION.code)
      else if (p.metadata !== null && Buffer.byteLength(p.metadata) > OFFSET_METADATA_MAX_BYTES) setError(t.topic, p.partition, Errors.OFFSET_METADATA_TOO_LARGE.code)
      else toCommit.push({ topic: t.topic, partition: p.partition, offset: p.offset, metadata: p.metadata, leaderEpoch: p.committedLeaderEpoch ?? -1 })
    }
  }
  const groupError = groupCommitError(req, ctx)
  if (groupError !== Errors.NONE.code) for (const o of toCommit) setError(o.topic, o.partition, groupError)
  else if (toCommit.length > 0) {
    const group = ctx.group ?? ctx.createGroup()
    const member = group.members.get(req.memberId)
    if (member !== undefined) ctx.touch(group, member)
    group.offsets.commit(toCommit, ctx.now)
    for (const o of toCommit) setError(o.topic, o.partition, Errors.NONE.code)
  }
  return {
    topics: req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode: errors.get(t.topic)!.get(p.partition)! })),
    })),
  }
}

function groupCommitError(req: OffsetCommitRequest, ctx: CommitContext): number {
  if (ctx.group !== undefined) return validate(ctx.group, req)
  // No group: only a commit that does not rely on group management may create one.
  return req.generationId < 0 ? Errors.NONE.code : Errors.ILLEGAL_GENERATION.code
}

/** Handles OffsetFetch; `group` is undefined for a group the coordinator does not know. */
export function fetchOffsets(req: OffsetFetchRequest, group: Group | undefined): OffsetFetchResponse {
  const unstable = (topic: string, partition: number) => req.requireStable && group !== undefined && group.offsets.hasPendingTransactional(topic, partition)
  if (req.topics === null) {
    const topics = (group?.offsets.all() ?? []).map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map((c) =>
        unstable(topic, c.partition)
          ? { partition: c.partition, offset: -1, metadata: '', errorCode: Errors.UNSTABLE_OFFSET_COMMIT.code }
          : { partition: c.partition, offset: c.offset, committedLeaderEpoch: c.leaderEpoch ?? -1, metadata: c.metadata, errorCode: Errors.NONE.code },
      ),
    }))
    return { errorCode: Errors.NONE.code, topics }
  }
  const topics = req.topics.map(({ topic, partitions }) => ({
    topic,
    partitions: partitions.map((partition) => {
      if (unstable(topic, partition)) return { partition, offset: -1, metadata: '', errorCode: Errors.UNSTABLE_OFFSET_COMMIT.code }
      const committed = group?.offsets.get(topic, partition)
      return { partition, offset: committed?.offset ?? -1, committedLeaderEpoch: committed?.leaderEpoch ?? -1, metadata: committed?.metadata ?? '', errorCode: Errors.NONE.code }
    }),
  }))
  return { errorCode: Errors.NONE.code, topics }
}
