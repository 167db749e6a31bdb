/**
 * Keeps a generated fault schedule applicable and, if asked, survivable: a restart only of a crashed broker, an
 * isolation only of a connected one, and never more brokers down or cut off at once than `maxFailures`.
 * Applied after generation (inside `map`), so fast-check still shrinks the raw steps and the result stays valid.
 */
import type { FaultSchedule, FaultStep } from './fault-step.js'

/**
 * Drops the steps that cannot apply in order (restart of a live broker, crash of a crashed one, heal with nothing
 * isolated) and, with `maxFailures`, the crashes and isolations that would leave more brokers failed at once.
 */
export function normalizeSchedule(schedule: FaultSchedule, maxFailures: number | undefined): FaultSchedule {
  const down = new Set<number>()
  const isolated = new Set<number>()
  const failed = (): number => new Set([...down, ...isolated]).size
  const steps: FaultStep[] = []
  for (const step of schedule.steps) {
    if ('broker' in step && step.broker !== undefined && step.broker >= schedule.brokers) continue
    switch (step.kind) {
      case 'crash':
        if (down.has(step.broker)) continue
        if (maxFailures !== undefined && !isolated.has(step.broker) && failed() >= maxFailures) continue
        down.add(step.broker)
        break
      case 'restart':
        if (!down.delete(step.broker)) continue
        break
      case 'isolate':
        if (isolated.has(step.broker)) continue
        if (maxFailures !== undefined && !down.has(step.broker) && failed() >= maxFailures) continue
        isolated.add(step.broker)
        break
      case 'heal':
        if (isolated.size === 0) continue
        isolated.clear()
        break
      default:
        break
    }
    steps.push(step)
  }
  return { brokers: schedule.brokers, steps }
}
