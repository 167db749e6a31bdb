/**
 * The steps of a fault schedule: what a nemesis does to a cluster (Jepsen's term), as plain JSON-friendly data so
 * that a failing schedule prints, shrinks and replays as it is.
 */
import type { ApiName, Cluster } from 'kafkalite'

/** What a request hook does (the transport's `HookAction`): delay, fail, drop, or drop the response. */
export type HookAction = Parameters<Cluster['transport']['hooks']['add']>[0]['action']

/** One step of a {@link FaultSchedule}. */
export type FaultStep =
  /** Let `ms` of cluster time pass. */
  | { readonly kind: 'wait'; readonly ms: number }
  /** `crashBroker(broker, { loseUnflushed: powerLoss })`: with power loss the broker forgets what it had not flushed. */
  | { readonly kind: 'crash'; readonly broker: number; readonly powerLoss: boolean }
  /** `restartBroker(broker)`. */
  | { readonly kind: 'restart'; readonly broker: number }
  /** `isolateBroker(broker)`: cut off from the other brokers and the controller, still reachable by clients. */
  | { readonly kind: 'isolate'; readonly broker: number }
  /** `heal()`: every isolated broker reconnects. */
  | { readonly kind: 'heal' }
  /**
   * A request hook on the transport: `action` on the next `times` requests of `api` sent by `from` (`broker` is
   * replication and transaction markers) to `broker` (any broker if left out).
   */
  | {
      readonly kind: 'hook'
      readonly api: ApiName
      readonly from: 'client' | 'broker'
      readonly broker?: number
      readonly action: HookAction
      readonly times: number
    }

/** A sequence of fault steps for a cluster of `brokers` brokers (ids 0 .. brokers-1). */
export interface FaultSchedule {
  readonly brokers: number
  readonly steps: readonly FaultStep[]
}

/** The kind of a {@link FaultStep}. */
export type FaultKind = FaultStep['kind']

/** A step in one line: `crash 2 (power loss)`, `hook Fetch from broker -> 1: delay 800 ms x2`. */
export function describeStep(step: FaultStep): string {
  switch (step.kind) {
    case 'wait':
      return `wait ${step.ms} ms`
    case 'crash':
      return `crash ${step.broker}${step.powerLoss ? ' (power loss)' : ''}`
    case 'restart':
      return `restart ${step.broker}`
    case 'isolate':
      return `isolate ${step.broker}`
    case 'heal':
      return 'heal'
    case 'hook': {
      const { action } = step
      const what =
        action.type === 'delay' ? `delay ${action.ms} ms` : action.type === 'fail' ? `fail with error ${action.errorCode}` : action.type
      return `hook ${step.api} from ${step.from}${step.broker === undefined ? '' : ` -> ${step.broker}`}: ${what} x${step.times}`
    }
  }
}

/** The schedule as numbered lines, to print with a failing seed. */
export function describeSchedule(schedule: FaultSchedule): string {
  return schedule.steps.map((step, i) => `${String(i + 1).padStart(3)}. ${describeStep(step)}`).join('\n')
}
