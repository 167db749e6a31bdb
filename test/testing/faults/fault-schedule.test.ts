/** The fault-schedule arbitrary and its applier: schedules stay applicable and survivable, and apply on the clock. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster, VirtualClock } from 'kafkalite'
import { applySchedule, describeSchedule, faultSchedule, faultStep, normalizeSchedule, type FaultSchedule } from '../../../src/testing/faults/index.js'

/**
 * The most brokers failed at once: crashed, isolated, or (with `catchUpMs`) restarted after a power loss less than
 * `catchUpMs` of waits ago.
 */
function maxFailedAtOnce(schedule: FaultSchedule, catchUpMs = 0): number {
  const failedUntil = new Map<number, number>()
  const down = new Set<number>()
  const isolated = new Set<number>()
  const powerLost = new Set<number>()
  let now = 0
  let max = 0
  for (const step of schedule.steps) {
    if (step.kind === 'wait') now += step.ms
    if (step.kind === 'crash') {
      down.add(step.broker)
      if (step.powerLoss) powerLost.add(step.broker)
      else powerLost.delete(step.broker)
    }
    if (step.kind === 'restart') {
      down.delete(step.broker)
      if (powerLost.has(step.broker)) failedUntil.set(step.broker, now + catchUpMs)
    }
    if (step.kind === 'isolate') isolated.add(step.broker)
    if (step.kind === 'heal') isolated.clear()
    const catchingUp = [...failedUntil].filter(([broker, until]) => until > now && !down.has(broker)).map(([broker]) => broker)
    max = Math.max(max, new Set([...down, ...isolated, ...catchingUp]).size)
  }
  return max
}

/** Whether a broker lost power and restarted, and afterwards another broker crashed or was isolated. */
function failsAnotherAfterPowerLoss(schedule: FaultSchedule): boolean {
  const restarted = new Set<number>()
  const powerLost = new Set<number>()
  for (const step of schedule.steps) {
    if (step.kind === 'crash' && step.powerLoss) powerLost.add(step.broker)
    if (step.kind === 'restart' && powerLost.has(step.broker)) restarted.add(step.broker)
    if ((step.kind === 'crash' || step.kind === 'isolate') && [...restarted].some((b) => b !== step.broker)) return true
  }
  return false
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

  it('a broker that lost power counts as failed until 5 s of waits after its restart', () => {
    // The adversary's seed 36798: broker 0 lost power and restarted, and at once broker 2, the last in-sync replica, too.
    const backToBack: FaultSchedule = {
      brokers: 3,
      steps: [
        { kind: 'crash', broker: 0, powerLoss: true },
        { kind: 'restart', broker: 0 },
        { kind: 'crash', broker: 2, powerLoss: true },
        { kind: 'wait', ms: 4999 },
        { kind: 'isolate', broker: 1 },
        { kind: 'wait', ms: 1 },
        { kind: 'crash', broker: 2, powerLoss: false },
      ],
    }
    expect(normalizeSchedule(backToBack, 1).steps).toEqual([
      { kind: 'crash', broker: 0, powerLoss: true },
      { kind: 'restart', broker: 0 },
      { kind: 'wait', ms: 4999 },
      { kind: 'wait', ms: 1 },
      { kind: 'crash', broker: 2, powerLoss: false },
    ])
    // A process crash keeps the log: the restarted broker is a copy at once.
    const processCrash = backToBack.steps.map((step) => (step.kind === 'crash' ? { ...step, powerLoss: false } : step))
    expect(normalizeSchedule({ brokers: 3, steps: processCrash }, 1).steps).toHaveLength(5)
    // The broker that is catching up may fail again: that is no second failure.
    const again: FaultSchedule = { brokers: 3, steps: [backToBack.steps[0]!, backToBack.steps[1]!, { kind: 'isolate', broker: 0 }, { kind: 'heal' }, { kind: 'crash', broker: 0, powerLoss: false }] }
    expect(normalizeSchedule(again, 1).steps).toEqual(again.steps)
  })

  it('survivable schedules keep a broker that lost power failed until it had 5 s to catch up', () => {
    let reached = 0
    fc.assert(
      fc.property(faultSchedule({ brokers: 3, steps: 30, minSteps: 20, maxFailures: 1, maxWaitMs: 2000 }), (schedule) => {
        if (failsAnotherAfterPowerLoss(schedule)) reached++
        expect(maxFailedAtOnce(schedule, 5000)).toBeLessThanOrEqual(1)
      }),
      { numRuns: 1000 },
    )
    // The property reaches its window: schedules where a broker lost power, restarted and later another broker failed
    // (~1 % of them).
    expect(reached).toBeGreaterThanOrEqual(5)
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
