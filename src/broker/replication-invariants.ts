/**
 * Kafka's replication invariants, asserted inside the cluster when `checkInvariants` is on
 * (TigerBeetle-style: the model checks itself after every change):
 * - every replica's high watermark is within its log (a replica asserts this as it moves its high
 *   watermark; checked here too, since a log shortened past it by any other path breaks it as well);
 * - log matching: any two replicas hold the same records below the smaller of their high watermarks (on a
 *   compacted topic each replica's log cleaner removes records at its own time: a record one of them removed is
 *   not compared);
 * - leader completeness: the leader holds every committed record (below the highest high watermark seen);
 * - durability: no committed record is missing from every replica.
 * A committed record may legitimately be lost by an unclean election (a topic with
 * `unclean.leader.election.enable`) or by a power loss of its last in-sync replica with no eligible leader replica
 * (KIP-966) left to hold it; such partitions are exempt from the last two checks from then on.
 */
import type { LogRecord } from '../protocol/index.js'
import type { Broker } from './broker.js'
import { InvariantViolationError } from './cluster-errors.js'
import type { ClusterStateView } from './cluster-state-view.js'
import type { Replica } from './replica.js'

export class ReplicationInvariants {
  /** Per partition (topic id and number): the highest high watermark a leader has reached. */
  private readonly committed = new Map<string, number>()
  private readonly lossAllowed = new Set<string>()
  /**
   * Partitions whose last in-sync replica lost power while eligible leader replicas (KIP-966) still held the committed
   * records, with that broker: recovered if another replica is elected, a legitimate loss once no eligible replica is left.
   */
  private readonly atRisk = new Map<string, number>()

  constructor(private readonly cluster: ClusterStateView) {}

  /** A power loss on `broker`: committed records it alone held may be gone. */
  onPowerLoss(broker: Broker, lost: boolean): void {
    if (!lost) return
    for (const replica of broker.replicas()) {
      const key = `${replica.topicId}/${replica.partition}`
      const committed = this.committed.get(key) ?? 0
      const state = this.cluster.controller.topics.get(replica.topic)?.partitions[replica.partition]
      const soleIsr = state !== undefined && state.isr.length === 1 && state.isr[0] === broker.id
      if (replica.logEndOffset >= committed || !soleIsr) continue
      if (this.eligibleHolderOf(replica.topic, state.elr, replica.partition, committed)) this.atRisk.set(key, broker.id)
      else this.lossAllowed.add(key)
    }
  }

  /** Whether an eligible leader replica of the partition still holds every record below `committed`. */
  private eligibleHolderOf(topic: string, elr: readonly number[], partition: number, committed: number): boolean {
    return elr.some((id) => (this.cluster.broker(id).replica(topic, partition)?.logEndOffset ?? 0) >= committed)
  }

  /** Throws {@link InvariantViolationError} naming the first invariant that does not hold. */
  check(): void {
    for (const topic of this.cluster.controller.topics.values()) {
      for (const state of topic.partitions) {
        const key = `${topic.topicId}/${state.partition}`
        const replicas = state.replicas.flatMap((id) => {
          const replica = this.cluster.broker(id).replica(topic.name, state.partition)
          return replica === undefined || replica.topicId !== topic.topicId ? [] : [replica]
        })
        for (const replica of replicas) {
          if (replica.highWatermark > replica.logEndOffset) {
            throw new InvariantViolationError(
              'high watermark within the log',
              `${topic.name}-${state.partition} on broker ${replica.brokerId}: high watermark ${replica.highWatermark} is past the log end offset ${replica.logEndOffset}`,
            )
          }
        }
        const powerLost = this.atRisk.get(key)
        if (powerLost !== undefined && state.leader >= 0 && state.leader !== powerLost) this.atRisk.delete(key)
        else if (powerLost !== undefined && !this.eligibleHolderOf(topic.name, state.elr, state.partition, this.committed.get(key) ?? 0)) {
          this.atRisk.delete(key)
          this.lossAllowed.add(key)
        }
        const leader = state.leader >= 0 ? replicas.find((r) => r.brokerId === state.leader && r.isLeader) : undefined
        let committed = this.committed.get(key) ?? 0
        if (leader !== undefined && this.cluster.broker(leader.brokerId).isUp) committed = Math.max(committed, leader.highWatermark)
        this.committed.set(key, committed)
        for (let i = 0; i < replicas.length; i++) for (let j = i + 1; j < replicas.length; j++) this.checkLogMatching(replicas[i]!, replicas[j]!)
        if (topic.config.uncleanLeaderElection || this.lossAllowed.has(key)) continue
        if (leader !== undefined && leader.logEndOffset < committed) {
          throw new InvariantViolationError(
            'leader completeness',
            `${topic.name}-${state.partition}: leader ${leader.brokerId} ends at ${leader.logEndOffset}, below committed offset ${committed}`,
          )
        }
        if (committed > 0 && !replicas.some((r) => r.logEndOffset >= committed)) {
          throw new InvariantViolationError('durability', `${topic.name}-${state.partition}: no replica holds the records up to committed offset ${committed}`)
        }
      }
    }
  }

  private checkLogMatching(a: Replica, b: Replica): void {
    const bound = Math.min(a.highWatermark, b.highWatermark, a.logEndOffset, b.logEndOffset)
    if (bound <= 0) return
    const where = `${a.topic}-${a.partition} on brokers ${a.brokerId} and ${b.brokerId} below offset ${bound}`
    // A replica whose log starts at or above the bound (retention, DeleteRecords) holds nothing to compare.
    if (a.log.logStartOffset >= bound || b.log.logStartOffset >= bound) return
    const [x, y] = [a.log.recordAt(bound - 1), b.log.recordAt(bound - 1)]
    const cleanedAway = (x === undefined || y === undefined) && a.config.compacted
    if (!cleanedAway && !sameRecord(x, y)) throw new InvariantViolationError('log matching', `${where}: records at ${bound - 1} differ`)
    // Log start offsets move at different times on each replica (retention, the leader's log start in fetches):
    // compare the epochs of the range both hold, as if both logs started at the later start.
    const start = Math.max(a.log.logStartOffset, b.log.logStartOffset)
    const held = (entries: ReadonlyArray<{ epoch: number; startOffset: number }>) => {
      const inRange = entries.filter((e) => e.startOffset < bound)
      let first = 0
      while (first + 1 < inRange.length && inRange[first + 1]!.startOffset <= start) first++
      return inRange.slice(first).map((e) => ({ epoch: e.epoch, startOffset: Math.max(e.startOffset, start) }))
    }
    const epochsA = held(a.log.epochs.all())
    const epochsB = held(b.log.epochs.all())
    const same = epochsA.length === epochsB.length && epochsA.every((e, i) => e.epoch === epochsB[i]!.epoch && e.startOffset === epochsB[i]!.startOffset)
    if (!same) {
      throw new InvariantViolationError('log matching', `${where}: leader epochs differ (${JSON.stringify(epochsA)} vs ${JSON.stringify(epochsB)})`)
    }
  }
}

const sameBytes = (x: Buffer | null, y: Buffer | null): boolean => (x === null || y === null ? x === y : x.equals(y))

/** Two replicas' copies of a record are the same record: same place, epoch, producer, and bytes. */
function sameRecord(x: LogRecord | undefined, y: LogRecord | undefined): boolean {
  if (x === undefined || y === undefined) return x === y
  return (
    x.offset === y.offset &&
    x.leaderEpoch === y.leaderEpoch &&
    x.timestamp === y.timestamp &&
    x.producerId === y.producerId &&
    x.sequence === y.sequence &&
    x.control === y.control &&
    sameBytes(x.key, y.key) &&
    sameBytes(x.value, y.value)
  )
}
