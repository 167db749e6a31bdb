/**
 * Group members that the console starts so a learner can watch a group rebalance: ordinary KafkaJS
 * consumers of the cluster (the console owns them as any app owns its consumers). Each can be made
 * slow, to show lag building, and each sends a record it cannot process (a value containing
 * "poison") to the dead-letter topic after its retries, as a Spring service with a
 * `DeadLetterPublishingRecoverer` would.
 */
import type { Consumer } from '../client/consumer/consumer.js'
import type { Kafka } from '../client/kafka.js'
import type { Clock } from '../time/clock.js'

/** Processing time of one record by a slow member, ms of the cluster clock. */
export const SLOW_RECORD_MS = 300

/** The error a member throws for a poison record; it names the record so the dead letter explains itself. */
class PoisonRecordError extends Error {
  override name = 'PoisonRecordError'
}

interface Member {
  readonly groupId: string
  readonly consumer: Consumer
  memberId: string | null
}

/** The console's own members, per group, newest last. */
export class ConsoleMembers {
  private readonly members: Member[] = []
  private readonly slowGroups = new Set<string>()

  constructor(
    private readonly kafka: Kafka,
    private readonly clock: Clock,
    private readonly note: (text: string) => void,
  ) {}

  /** Starts a member of `groupId` subscribed to `topic` from its beginning. */
  async add(groupId: string, topic: string): Promise<void> {
    // Heartbeats every 500 ms (KafkaJS: 3000) so the other members of the group hear of a rebalance
    // while the learner watches; session.timeout.ms stays at the broker's minimum, 6000.
    const consumer = this.kafka.consumer({ groupId, heartbeatInterval: 500, sessionTimeout: 6000 })
    const member: Member = { groupId, consumer, memberId: null }
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      // The group's assignment goes on the timeline from the admin API's view of the group, as any group's does.
      member.memberId = (event.payload as { memberId: string }).memberId
    })
    this.members.push(member)
    await consumer.connect()
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    await consumer.run({
      retry: { attempts: 2, initialBackoffMs: 100 },
      deadLetter: {},
      eachMessage: async ({ message }) => {
        if (this.slowGroups.has(groupId)) await this.clock.sleep(SLOW_RECORD_MS)
        const value = message.value?.toString() ?? ''
        if (value.includes('poison')) throw new PoisonRecordError(`cannot process ${value}: it is a poison order`)
      },
    })
  }

  /** Stops the newest console member of `groupId`; its partitions move to the others. */
  async remove(groupId: string): Promise<void> {
    const index = this.members.map((m) => m.groupId).lastIndexOf(groupId)
    if (index < 0) throw new Error(`the console started no member of group ${groupId}: add one first`)
    const [member] = this.members.splice(index, 1)
    await member?.consumer.disconnect()
    this.note(`${groupId}: ${member?.memberId ?? 'a member'} left`)
  }

  /** Makes every console member of `groupId` take {@link SLOW_RECORD_MS} per record, or full speed again. */
  setSlow(groupId: string, slow: boolean): void {
    if (slow) this.slowGroups.add(groupId)
    else this.slowGroups.delete(groupId)
  }

  list(): { groupId: string; memberId: string | null; slow: boolean }[] {
    return this.members.map((m) => ({ groupId: m.groupId, memberId: m.memberId, slow: this.slowGroups.has(m.groupId) }))
  }

  count(groupId: string): number {
    return this.members.filter((m) => m.groupId === groupId).length
  }

  async closeAll(): Promise<void> {
    const all = this.members.splice(0)
    await Promise.all(all.map((m) => m.consumer.disconnect()))
  }
}
