/**
 * A `Recording`: everything a run's recorded clients did, in two forms at once. As a Jepsen-style {@link History}
 * (sends with their outcome, polls, rebalances, commits, seeks, faults) for `checkHistory`, and as the plain
 * observations the oracles take (acknowledgements, deliveries, processed records, assignments per generation,
 * commits), all numbered in one sequence so that the oracles can order them.
 */
import { History } from 'kafkalite'
import type { Acknowledgement, CommitEvent, Delivery, GenerationAssignment, LogRecord } from '../oracles/observations.js'

/** Options of {@link Recording}. */
export interface RecordingOptions {
  /** The time of each history operation, in ms: pass the cluster's clock (`() => cluster.clock.now()`). */
  readonly now?: () => number
}

/** What recorded producers and consumers of one run did. Make one per run: it holds no state beyond the run. */
export class Recording {
  /** Every operation, for `checkHistory`. */
  readonly history: History
  /** Every send the producer reported written, at its partition and offset. */
  readonly acknowledgements: Acknowledgement[] = []
  /** Every record a consumer's handler was given, with the member and the generation it was given in. */
  readonly deliveries: Delivery[] = []
  /** Every record a handler finished with: `eachMessage` resolved, or `eachBatch` resolved its offset. */
  readonly processed: Delivery[] = []
  /** Every assignment a member received, per generation. */
  readonly assignments: GenerationAssignment[] = []
  /** Every successful offset commit, and every seek (which may lower the next commit). */
  readonly commits: CommitEvent[] = []
  private seq = 0

  constructor(options: RecordingOptions = {}) {
    this.history = new History(options.now === undefined ? {} : { now: options.now })
  }

  /** The next number of the run's event sequence. */
  nextSeq(): number {
    return this.seq++
  }

  /** Records a fault (Jepsen's nemesis), say from `applySchedule`'s `onStep`. */
  fault(description: string): void {
    this.history.record({ type: 'fault', process: 'nemesis', description })
  }

  /** The records a handler processed, as log records (deduplicated by place), for the at-least-once oracle. */
  processedRecords(): LogRecord[] {
    const seen = new Map<string, LogRecord>()
    for (const { topic, partition, offset, value } of this.processed) seen.set(`${topic}/${partition}@${offset}`, { topic, partition, offset, value })
    return [...seen.values()]
  }
}
