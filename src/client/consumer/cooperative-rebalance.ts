/**
 * A cooperative rebalance (KIP-429) run beside the fetch loops: the member rejoins while it keeps
 * processing the partitions it owns; after SyncGroup it stops the partitions it lost, waits for
 * their in-flight batches, commits them, and, if it lost any, rejoins at once so the next
 * generation can hand them to their new owner. Eager assignors stop everything instead (runner).
 */
import type { Logger } from '../logger.js'
import type { ConsumerGroupMembership } from './consumer-group-membership.js'
import type { Fetcher } from './fetcher.js'
import type { OffsetManager } from './offset-manager.js'
import type { SubscriptionState } from './subscription-state.js'

/** What a {@link CooperativeRebalance} works on. */
export interface CooperativeRebalanceOptions {
  membership: ConsumerGroupMembership
  subscription: SubscriptionState
  offsets: OffsetManager
  fetcher: Fetcher
  logger: Logger
  topics: readonly string[]
  autoCommit: boolean
  /** True once the consumer is stopping: no further rejoin. */
  stopped(): boolean
}

/** At most one cooperative rebalance at a time. */
export class CooperativeRebalance {
  private running: Promise<void> | undefined
  private failure: Error | undefined

  constructor(private readonly options: CooperativeRebalanceOptions) {}

  /** True while the member is rejoining: no heartbeats (the coordinator awaits the join) and no commits. */
  get active(): boolean {
    return this.running !== undefined
  }

  /** Starts a rebalance unless one is under way. */
  start(): void {
    this.running ??= this.rebalance()
      .catch((error: unknown) => {
        this.failure = error as Error
      })
      .finally(() => {
        this.running = undefined
      })
  }

  /** Waits for a rebalance under way, if any. */
  async settled(): Promise<void> {
    await this.running
  }

  /** True if a background rebalance failed and {@link throwIfFailed} has not thrown it yet. */
  hasFailed(): boolean {
    return this.failure !== undefined
  }

  /** Throws (once) the error a background rebalance failed with, so the runner handles it. */
  throwIfFailed(): void {
    const failure = this.failure
    this.failure = undefined
    if (failure !== undefined) throw failure
  }

  /** Commits what was processed while the rebalance held commits back, in the new generation. */
  private async commitHeldBack(): Promise<void> {
    if (!this.options.autoCommit) return
    await this.options.offsets.commitOffsets().catch((error: Error) => {
      this.options.logger.warn('Committing offsets processed during the rebalance failed; the next commit retries', {
        error: error.message,
        groupId: this.options.membership.groupId,
      })
    })
  }

  private async rebalance(): Promise<void> {
    const { membership, subscription, offsets, fetcher, logger, topics } = this.options
    for (;;) {
      const ownedBefore = membership.assignment
      const outcome = await membership.joinAndSync()
      subscription.assign([...outcome.assignment].map(([topic, partitions]) => ({ topic, partitions: [...partitions] })))
      if (outcome.revoked.length > 0) {
        // Lost partitions stop at the next message; their positions are committed before they change hands.
        await fetcher.whenReleased(outcome.revoked)
        const revokedOffsets = offsets
          .uncommittedOffsets()
          .topics.map(({ topic, partitions }) => ({
            topic,
            partitions: partitions.filter(({ partition }) => outcome.revoked.some((r) => r.topic === topic && r.partition === partition)),
          }))
          .filter(({ partitions }) => partitions.length > 0)
        if (this.options.autoCommit && revokedOffsets.length > 0) {
          await offsets.commitOffsets({ topics: revokedOffsets }).catch((error: Error) => {
            logger.warn('Committing the offsets of revoked partitions failed', { error: error.message, groupId: membership.groupId })
          })
        }
      }
      const keep = (topic: string, partition: number) => ownedBefore.get(topic)?.includes(partition) ?? false
      offsets.assign(outcome.assignment, keep)
      fetcher.rememberPartitionCounts(topics)
      if (outcome.revoked.length === 0 || this.options.stopped()) {
        await this.commitHeldBack()
        return
      }
      logger.info('Revoked partitions, rejoining so they can move (KIP-429)', { groupId: membership.groupId, revoked: outcome.revoked })
    }
  }
}
