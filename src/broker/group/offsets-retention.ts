/**
 * Kafka's offsets retention (`GroupMetadataManager.cleanupGroupMetadata` with KIP-211's
 * `GroupMetadata.removeExpiredOffsets`): the offsets of a consumer group expire once it has been
 * Empty for `offsets.retention.minutes`; those of a group that only stores offsets (no protocol
 * type, e.g. admin commits) once each is that old. A Stable group's offsets stay: Kafka would
 * expire those of topics it no longer subscribes to, which needs the members' subscriptions
 * decoded (not modelled, a docs/semantics.md row). An offset a transaction has staged a new value
 * for stays too.
 */
import type { Group } from './group.js'
import type { CommittedOffset } from './offset-store.js'

/** What one retention pass did: how many offsets expired, and the groups it left Empty without offsets (to be removed). */
export interface RetentionPass {
  readonly expired: number
  readonly emptied: readonly Group[]
}

/** Expires the offsets of `groups` that are `retentionMs` old at `nowMs`. */
export function expireOffsets(groups: Iterable<Group>, nowMs: number, retentionMs: number): RetentionPass {
  let expired = 0
  const emptied: Group[] = []
  for (const group of groups) {
    if (!group.is('Empty')) continue
    // KIP-211: a consumer group's retention counts from when it became Empty, not from each commit.
    const since = (offset: CommittedOffset) => (group.protocolType === null ? offset.commitTimestamp : group.stateChangedAt)
    expired += group.offsets.removeExpired((offset) => nowMs - since(offset) >= retentionMs)
    if (group.offsets.isEmpty()) emptied.push(group)
  }
  return { expired, emptied }
}
