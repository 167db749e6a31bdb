/** The fault-schedule arbitrary and its applier: schedules stay applicable and survivable, and apply on the clock. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster, VirtualClock } from 'kafkalite'
import { applySchedule, describeSchedule, faultSchedule, faultStep, type FaultSchedule } from '../../../src/testing/faults/index.js'

function maxFailedAtOnce(schedule: FaultSchedule): number {
  const down = new Set<number>()
  const isolated = new Set<number>()
  let max = 0
  for (const step of schedule.steps) {
    if (step.kind === 'crash') down.add(step.broker)
    if (step.kind === 'restart') down.delete(step.broker)
    if (step.kind === 'isolate') isolated.add(step.broker)
    if (step.kind === 'heal') isolated.clear()
    max = Math.max(max, new Set([...down, ...isolated]).size)
  }
  return max
}

describe('faultSchedule', () => {
  it('survivable schedules never fail more brokers at once than maxFailures, and every step applies', () => {
    fc.assert(
      fc.property(faultSchedule({ brokers: 3, steps: 20, maxFailures: 1 }), (schedule) => {
        expect(maxFailedAtOnce(schedule)).toBeLessThanOrEqual(1)
        const down = new Set<number>()
        for (const step of schedule.steps) {
          if (step.kind === 'restart') expect(down.delete(step.broker)).toBe(true)
          if (step.kind === 'crash') {
            expect(down.has(step.broker)).toBe(false)
            down.add(step.broker)
          }
        }
      }),
    )
  })

  it('unsurvivable schedules may fail every broker at once', () => {
    const samples = fc.sample(faultSchedule({ brokers: 3, steps: 30, survivable: false, kinds: ['crash', 'restart', 'wait'] }), { seed: 1, numRuns: 200 })
    expect(Math.max(...samples.map(maxFailedAtOnce))).toBe(3)
  })

  it('kinds restrict the steps, and hooks on replication come from brokers', () => {
    const samples = fc.sample(faultSchedule({ brokers: 3, kinds: ['hook'], apis: ['Fetch'] }), { seed: 2, numRuns: 100 })
    const steps = samples.flatMap((s) => s.steps)
    expect(steps.every((s) => s.kind === 'hook')).toBe(true)
    expect(steps.some((s) => s.kind === 'hook' && s.from === 'broker')).toBe(true)
  })

  it('a failing schedule shrinks to the one step that matters', () => {
    const result = fc.check(
      fc.property(faultSchedule({ brokers: 3, steps: 20 }), (schedule) => !schedule.steps.some((s) => s.kind === 'crash' && s.powerLoss)),
      { seed: 3 },
    )
    expect(result.failed).toBe(true)
    const shrunk = result.counterexample![0] as FaultSchedule
    expect(shrunk.steps).toEqual([{ kind: 'crash', broker: 0, powerLoss: true }])
    expect(describeSchedule(shrunk)).toContain('crash 0 (power loss)')
  })
})

describe('faultStep', () => {
  it('draws single steps of the given kinds, and with powerLoss false only process crashes', () => {
    const steps = fc.sample(faultStep({ brokers: 4, kinds: ['wait', 'crash', 'restart'], powerLoss: false, maxWaitMs: 20_000 }), { seed: 3, numRuns: 300 })
    expect(new Set(steps.map((s) => s.kind))).toEqual(new Set(['wait', 'crash', 'restart']))
    expect(steps.filter((s) => s.kind === 'crash' && s.powerLoss)).toEqual([])
    expect(Math.max(...steps.map((s) => (s.kind === 'wait' ? s.ms : 0)))).toBeGreaterThan(3000)
    const withPowerLoss = fc.sample(faultStep({ brokers: 4, kinds: ['crash'] }), { seed: 3, numRuns: 50 })
    expect(withPowerLoss.some((s) => s.kind === 'crash' && s.powerLoss)).toBe(true)
  })
})

describe('applySchedule', () => {
  it('applies the steps on the cluster clock, then recovers', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 3, clock })
    const start = clock.now()
    const schedule: FaultSchedule = {
      brokers: 3,
      steps: [
        { kind: 'crash', broker: 1, powerLoss: true },
        { kind: 'wait', ms: 500 },
        { kind: 'isolate', broker: 2 },
        { kind: 'hook', api: 'Produce', from: 'client', action: { type: 'drop' }, times: 1 },
        { kind: 'restart', broker: 0 },
      ],
    }
    const seen: string[] = []
    const applied = await clock.run(applySchedule(cluster, schedule, { onStep: (_s, d) => seen.push(`${clock.now() - start} ${d}`) }))
    expect(seen).toEqual(['0 crash 1 (power loss)', '0 wait 500 ms', '500 isolate 2', '500 hook Produce from client: drop x1', '500 restart 0'])
    expect(applied.log).toContain('restart 0 (skipped: not down)')
    expect(cluster.liveBrokerIds()).toEqual([0, 1, 2])
    expect(cluster.isIsolated(2)).toBe(false)
  })
})
