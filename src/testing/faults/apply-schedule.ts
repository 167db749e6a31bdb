/**
 * `applySchedule(cluster, schedule)`: runs a fault schedule on the cluster's own clock, step by step, so that the
 * faults interleave with whatever workload runs on the same clock. Steps that no longer apply (a restart of a broker
 * the test restarted itself) are skipped and said so, never thrown.
 */
import { brokerSideOf, type Cluster } from '../../cluster.js'
import { describeStep, type FaultSchedule, type FaultStep } from './fault-step.js'

type HookHandle = ReturnType<Cluster['transport']['hooks']['add']>

/** Options of {@link applySchedule}. */
export interface ApplyScheduleOptions {
  /** Called before each step with its description and the cluster time, say to record it in a `History`. */
  readonly onStep?: (step: FaultStep, description: string) => void
  /**
   * After the last step, end every fault: remove the schedule's hooks, heal, restart every crashed broker
   * (default true). A liveness check then finds a cluster that must recover.
   */
  readonly recover?: boolean
}

/** What {@link applySchedule} did. */
export interface AppliedSchedule {
  /** One line per step, in order: what was done, or why it was skipped. */
  readonly log: readonly string[]
}

function apply(cluster: Cluster, step: FaultStep, hooks: HookHandle[]): string | null {
  switch (step.kind) {
    case 'wait':
      return null
    case 'crash':
      if (!brokerSideOf(cluster).broker(step.broker).isUp) return 'skipped: already down'
      cluster.crashBroker(step.broker, { loseUnflushed: step.powerLoss })
      return null
    case 'restart':
      if (brokerSideOf(cluster).broker(step.broker).isUp) return 'skipped: not down'
      cluster.restartBroker(step.broker)
      return null
    case 'isolate':
      if (cluster.isIsolated(step.broker)) return 'skipped: already isolated'
      cluster.isolateBroker(step.broker)
      return null
    case 'heal':
      cluster.heal()
      return null
    case 'hook':
      hooks.push(
        cluster.transport.hooks.add({
          api: step.api,
          from: step.from,
          ...(step.broker === undefined ? {} : { brokerId: step.broker }),
          action: step.action,
          times: step.times,
        }),
      )
      return null
  }
}

/**
 * Applies `schedule` to `cluster` on its clock; resolves after the last step (and the recovery, by default). With a
 * `VirtualClock`, drive it with the workload: `await clock.run(Promise.all([workload(), applySchedule(cluster, s)]))`.
 */
export async function applySchedule(cluster: Cluster, schedule: FaultSchedule, options: ApplyScheduleOptions = {}): Promise<AppliedSchedule> {
  const log: string[] = []
  const hooks: HookHandle[] = []
  for (const step of schedule.steps) {
    const description = describeStep(step)
    options.onStep?.(step, description)
    if (step.kind === 'wait') await cluster.clock.sleep(step.ms)
    const skipped = apply(cluster, step, hooks)
    log.push(skipped === null ? description : `${description} (${skipped})`)
  }
  if (options.recover ?? true) {
    for (const hook of hooks) hook.remove()
    cluster.heal()
    for (const id of cluster.brokerIds()) if (!brokerSideOf(cluster).broker(id).isUp) cluster.restartBroker(id)
    log.push('recover: hooks removed, healed, every broker restarted')
  }
  return { log }
}
