/**
 * Keeps a generated fault schedule applicable and, if asked, survivable: a restart only of a crashed broker, an
 * isolation only of a connected one, and never more brokers failed at once than `maxFailures`. A broker that lost
 * power is failed until it has had time to copy back what it lost: restarted, it holds none of the writes it
 * forgot, so another failure meanwhile is a second one (seed 36798 of the adversary: broker 0 lost power and
 * restarted, and at the same instant broker 2, the partition's last in-sync replica, lost power too; 24 acknowledged
 * records of a transactional topic were gone, as they would be in Kafka, whose brokers do not fsync by default).
 * Applied after generation (inside `map`), so fast-check still shrinks the raw steps and the result stays valid.
 */
import type { FaultSchedule, FaultStep } from './fault-step.js'

/**
 * How long a broker that lost power stays failed after its restart, in ms of the schedule's waits: the time it has
 * to fetch back what it lost and rejoin the ISR. Followers fetch at once and long-poll for at most
 * `replica.fetch.wait.max.ms` (500 ms), so a restarted broker normally catches up within a few hundred ms; the margin
 * is for schedules that delay its fetches too.
 */
export const POWER_LOSS_CATCH_UP_MS = 5000

/**
 * Drops the steps that cannot apply in order (restart of a live broker, crash of a crashed one, heal with nothing
 * isolated) and, with `maxFailures`, the crashes and isolations that would leave more brokers failed at once. A
 * broker that lost power counts as failed from its crash until `catchUpMs` of waits after its restart.
 */
export function normalizeSchedule(schedule: FaultSchedule, maxFailures: number | undefined, catchUpMs = POWER_LOSS_CATCH_UP_MS): FaultSchedule {
  const down = new Set<number>()
  const isolated = new Set<number>()
  /** Down brokers that lost power. */
  const lostPower = new Set<number>()
  /** Brokers that lost power and restarted, with the ms of waits left until they count as copies again. */
  const catchingUp = new Map<number, number>()
  const failed = (): number => new Set([...down, ...isolated, ...catchingUp.keys()]).size
  const isFailed = (broker: number): boolean => down.has(broker) || isolated.has(broker) || catchingUp.has(broker)
  const steps: FaultStep[] = []
  for (const step of schedule.steps) {
    if ('broker' in step && step.broker !== undefined && step.broker >= schedule.brokers) continue
    switch (step.kind) {
      case 'crash':
        if (down.has(step.broker)) continue
        if (maxFailures !== undefined && !isFailed(step.broker) && failed() >= maxFailures) continue
        down.add(step.broker)
        // Down again before it caught up, it still lacks what it lost: its catching up starts over at the next restart.
        if (step.powerLoss || catchingUp.delete(step.broker)) lostPower.add(step.broker)
        break
      case 'restart':
        if (!down.delete(step.broker)) continue
        if (lostPower.delete(step.broker) && catchUpMs > 0) catchingUp.set(step.broker, catchUpMs)
        break
      case 'isolate':
        if (isolated.has(step.broker)) continue
        if (maxFailures !== undefined && !isFailed(step.broker) && failed() >= maxFailures) continue
        isolated.add(step.broker)
        break
      case 'heal':
        if (isolated.size === 0) continue
        isolated.clear()
        break
      case 'wait':
        for (const [broker, left] of catchingUp) {
          if (left <= step.ms) catchingUp.delete(broker)
          else catchingUp.set(broker, left - step.ms)
        }
        break
      default:
        break
    }
    steps.push(step)
  }
  return { brokers: schedule.brokers, steps }
}
