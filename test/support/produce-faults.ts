/**
 * Fault injection on clients' Produce requests through the transport's hooks, remembering which injected action hit
 * which record. With it a test knows, for every record, how many of its attempts reached a broker: on a cluster
 * without broker faults, exactly the copies of it the log must end up holding.
 */
import type { HookAction, HookHandle } from 'kafkalite'
import type { VirtualKafka } from './virtual-kafka.js'

/** One injected fault: what happens to the next `times` client Produce requests (of one partition, if given). */
export interface ProduceFault {
  readonly action: HookAction
  readonly times: number
  readonly partition?: number
}

interface ProduceRequestView {
  readonly topics: ReadonlyArray<{ readonly partitions: ReadonlyArray<{ readonly partition: number; readonly batch: { readonly records: ReadonlyArray<{ readonly value: Buffer | null }> } }> }>
}

function valuesOf(request: unknown): string[] {
  return (request as ProduceRequestView).topics.flatMap((t) => t.partitions.flatMap((p) => p.batch.records.map((r) => r.value?.toString() ?? '')))
}

function hasPartition(request: unknown, partition: number): boolean {
  return (request as ProduceRequestView).topics.some((t) => t.partitions.some((p) => p.partition === partition))
}

/** Watches every client Produce request and injects faults into them. */
export class ProduceFaults {
  private readonly attemptsOf = new Map<string, number>()
  private readonly hitsOf = new Map<string, HookAction[]>()
  private readonly injected: HookHandle[] = []

  constructor(private readonly vk: VirtualKafka) {
    // First in line and never firing: it only counts attempts, then lets the injected hooks decide.
    vk.cluster.transport.hooks.add({
      api: 'Produce',
      from: 'client',
      action: { type: 'delay', ms: 0 },
      when: (request) => {
        for (const value of valuesOf(request)) this.attemptsOf.set(value, (this.attemptsOf.get(value) ?? 0) + 1)
        return false
      },
    })
  }

  /** Injects a fault; the first injected fault that matches a request wins, as the transport's hooks do. */
  inject(fault: ProduceFault): void {
    const { action, times, partition } = fault
    this.injected.push(
      this.vk.cluster.transport.hooks.add({
        api: 'Produce',
        from: 'client',
        action,
        times,
        // A hook whose condition holds fires (earlier hooks did not match): remember what it did to each record.
        when: (request) => {
          if (partition !== undefined && !hasPartition(request, partition)) return false
          for (const value of valuesOf(request)) {
            let hits = this.hitsOf.get(value)
            if (hits === undefined) this.hitsOf.set(value, (hits = []))
            hits.push(action)
          }
          return true
        },
      }),
    )
  }

  /** Removes the injected faults; attempts are still counted. */
  stopInjecting(): void {
    for (const handle of this.injected.splice(0)) handle.remove()
  }

  /** How many Produce requests carried this record. */
  attempts(value: string): number {
    return this.attemptsOf.get(value) ?? 0
  }

  /** The injected actions that hit this record's requests, in order. */
  hits(value: string): readonly HookAction[] {
    return this.hitsOf.get(value) ?? []
  }

  /**
   * How many of this record's requests a broker served: all but those a `drop` or `fail` hook stopped, and those a
   * `delay` hook held as long as the request timeout (the client gave up and closed the connection first).
   */
  served(value: string, requestTimeoutMs: number): number {
    const stopped = (a: HookAction): boolean => a.type === 'drop' || a.type === 'fail' || (a.type === 'delay' && a.ms >= requestTimeoutMs)
    return this.attempts(value) - this.hits(value).filter(stopped).length
  }
}
