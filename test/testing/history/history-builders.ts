/** Short constructors for hand-written histories in tests: topic 't' unless told otherwise. */
import type { Operation, ReadRecord } from '../../../src/testing/history/index.js'

let clock = 0
/** Resets the fake time each builder stamps on its operation. */
export function resetTime(): void {
  clock = 0
}

export function sendOk(process: string, partition: number, offset: number, value: string, topic = 't'): Operation {
  return { type: 'send', process, time: ++clock, topic, key: null, value, outcome: { type: 'ok', partition, offset } }
}

export function sendFailed(process: string, value: string, error = 'NOT_ENOUGH_REPLICAS', topic = 't'): Operation {
  return { type: 'send', process, time: ++clock, topic, key: null, value, outcome: { type: 'fail', error } }
}

export function sendUnknown(process: string, value: string, topic = 't'): Operation {
  return { type: 'send', process, time: ++clock, topic, key: null, value, outcome: { type: 'info', error: 'REQUEST_TIMED_OUT' } }
}

/** A poll of `[partition, offset, value]` records. */
export function poll(process: string, records: [number, number, string][], topic = 't'): Operation {
  return {
    type: 'poll',
    process,
    time: ++clock,
    records: records.map(([partition, offset, value]): ReadRecord => ({ topic, partition, offset, key: null, value })),
  }
}

export function rebalance(process: string, partitions: number[], topic = 't'): Operation {
  return { type: 'rebalance', process, time: ++clock, partitions: partitions.map((partition) => ({ topic, partition })) }
}

export function assign(process: string, partitions: number[], topic = 't'): Operation {
  return { type: 'assign', process, time: ++clock, partitions: partitions.map((partition) => ({ topic, partition })) }
}

export function seek(process: string, partition: number, offset: number, topic = 't'): Operation {
  return { type: 'seek', process, time: ++clock, topic, partition, offset }
}

export function fault(description: string): Operation {
  return { type: 'fault', process: 'nemesis', time: ++clock, description }
}

export function commit(process: string, partition: number, offset: number, topic = 't'): Operation {
  return { type: 'commit', process, time: ++clock, offsets: [{ topic, partition, offset }], outcome: { type: 'ok' } }
}
