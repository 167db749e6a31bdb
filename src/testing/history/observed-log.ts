/**
 * What a history says each partition's log holds: for every offset, the values acknowledgements and polls saw
 * there. Jepsen calls this the version order; the anomaly checks read it. Only `ok` sends contribute
 * acknowledgements: a failed or unknown send names no offset.
 */
import { topicPartitionKey } from '../../protocol/topic-partition.js'
import type { OffsetSeen, OperationRef } from './history-report.js'
import type { Operation } from './operation.js'

/** One sighting of a value at an offset. */
export interface Witness {
  readonly op: OperationRef
  readonly as: 'ack' | 'read'
}

/** An acknowledged send, placed in its partition. */
export interface AckedSend {
  readonly offset: number
  readonly value: string
  readonly op: OperationRef
}

/** The log of one partition as the history saw it. */
export class ObservedPartition {
  /** offset → value → who saw that value there. */
  readonly atOffset = new Map<number, Map<string, Witness[]>>()
  /** value → the offsets it was seen at. */
  readonly offsetsOfValue = new Map<string, Set<number>>()
  /** Values some poll returned. */
  readonly readValues = new Set<string>()
  readonly acks: AckedSend[] = []
  /** The highest offset any poll returned, and the first poll that returned it. */
  highestPolled: OffsetSeen | undefined
  private sortedOffsets: number[] | undefined

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** The values seen at `offset`, sorted. */
  valuesAt(offset: number): string[] {
    return [...(this.atOffset.get(offset)?.keys() ?? [])].sort()
  }

  /** The offsets strictly between `low` and `high` that some operation saw holding a record, ascending. */
  seenOffsetsBetween(low: number, high: number): number[] {
    this.sortedOffsets ??= [...this.atOffset.keys()].sort((a, b) => a - b)
    const sorted = this.sortedOffsets
    let lo = 0
    let hi = sorted.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (sorted[mid]! <= low) lo = mid + 1
      else hi = mid
    }
    const between: number[] = []
    for (let i = lo; i < sorted.length && sorted[i]! < high; i++) between.push(sorted[i]!)
    return between
  }

  see(offset: number, value: string, witness: Witness): void {
    let values = this.atOffset.get(offset)
    if (values === undefined) {
      this.atOffset.set(offset, (values = new Map()))
      this.sortedOffsets = undefined
    }
    let witnesses = values.get(value)
    if (witnesses === undefined) values.set(value, (witnesses = []))
    witnesses.push(witness)
    let offsets = this.offsetsOfValue.get(value)
    if (offsets === undefined) this.offsetsOfValue.set(value, (offsets = new Set()))
    offsets.add(offset)
    if (witness.as === 'read') {
      this.readValues.add(value)
      if (this.highestPolled === undefined || offset > this.highestPolled.offset) {
        this.highestPolled = { offset, op: witness.op }
      }
    }
  }
}

/** A reference to the operation at `index`. */
export function refOf(op: Operation, index: number): OperationRef {
  return { index, process: op.process, time: op.time }
}

/** Kafka's way to print a topic-partition: `orders-0`. */
export function partitionName(p: { readonly topic: string; readonly partition: number }): string {
  return `${p.topic}-${p.partition}`
}

/** Every partition's observed log, keyed by `topicPartitionKey`. */
export type ObservedLog = ReadonlyMap<string, ObservedPartition>

/** Builds the observed log of every partition the history's acknowledgements and polls mention. */
export function observeLog(operations: readonly Operation[]): ObservedLog {
  const log = new Map<string, ObservedPartition>()
  const partitionOf = (topic: string, partition: number): ObservedPartition => {
    const key = topicPartitionKey(topic, partition)
    let p = log.get(key)
    if (p === undefined) log.set(key, (p = new ObservedPartition(topic, partition)))
    return p
  }
  operations.forEach((op, index) => {
    if (op.type === 'send' && op.outcome.type === 'ok') {
      const ref = refOf(op, index)
      const p = partitionOf(op.topic, op.outcome.partition)
      p.see(op.outcome.offset, op.value, { op: ref, as: 'ack' })
      p.acks.push({ offset: op.outcome.offset, value: op.value, op: ref })
    } else if (op.type === 'poll') {
      const ref = refOf(op, index)
      for (const r of op.records) partitionOf(r.topic, r.partition).see(r.offset, r.value, { op: ref, as: 'read' })
    }
  })
  return log
}
