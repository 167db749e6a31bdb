/**
 * KafkaJS's fetch manager: one fetch loop per broker, each fetching the partitions that broker
 * leads and waiting until its batches are processed before fetching again, so the messages of a
 * partition are handled in offset order; batches from all brokers share a pool of
 * `partitionsConsumedConcurrently` workers. When the set of brokers changes the loops restart;
 * the first error stops every loop and is thrown to the runner.
 */
import PQueue from 'p-queue'
import type { Clock } from '../../time/clock.js'
import { KafkaJSNoBrokerAvailableError } from '../errors.js'
import type { Batch } from './batch.js'
import type { FetchResult } from './fetcher.js'

/** What a {@link FetchManager} drives. */
export interface FetchManagerOptions {
  /** The brokers to fetch from (from the cluster metadata). */
  nodeIds(): number[]
  /** `signal` aborts when the round ends (the consumer stops, or a loop failed): the fetch should end at once. */
  fetch(nodeId: number, signal: AbortSignal): Promise<FetchResult>
  handle(batch: Batch): Promise<void>
  concurrency: number
  clock: Clock
}

/**
 * In-process, a fetch answered from data already there and a handler that does no I/O take no
 * cluster time. A loop that goes round this many times without the clock moving (a handler that
 * never resolves its offsets re-reads the same batch forever, as in KafkaJS) yields 1 ms, so that
 * virtual time, and everything else on it, can move on.
 */
const ROUNDS_BEFORE_YIELD = 64

interface Round {
  ended: boolean
  error?: unknown
  /** Ends the fetches of the round still parked at a broker or idle, so a failure or a stop costs no long-poll. */
  readonly abort: AbortController
}

const sameNodes = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((id) => b.includes(id))

/** Runs the per-broker fetch loops. */
export class FetchManager {
  /**
   * At most `partitionsConsumedConcurrently` batches in flight, started in arrival order: no timers
   * (no interval or timeout option), so the schedule stays deterministic on the virtual clock.
   */
  private readonly workers: PQueue
  private stopped = false
  private round: Round | undefined

  constructor(private readonly options: FetchManagerOptions) {
    this.workers = new PQueue({ concurrency: options.concurrency })
  }

  /** True once processing should stop early: the consumer stops, or another loop failed. */
  get interrupted(): boolean {
    return this.stopped || this.round?.error !== undefined
  }

  /** Fetches and processes until {@link stop} is called; rejects with the first error of any loop. */
  async run(): Promise<void> {
    while (!this.stopped) {
      const nodeIds = this.options.nodeIds()
      if (nodeIds.length === 0) throw new KafkaJSNoBrokerAvailableError()
      const round: Round = { ended: false, abort: new AbortController() }
      this.round = round
      await Promise.all(nodeIds.map((nodeId) => this.fetchLoop(nodeId, nodeIds, round)))
      if (round.error !== undefined) throw round.error
    }
  }

  /** Makes every loop end after its current fetch and batch, for good (the consumer is stopping). */
  stop(): void {
    this.stopped = true
    this.round?.abort.abort()
  }

  private async fetchLoop(nodeId: number, nodeIds: readonly number[], round: Round): Promise<void> {
    const { clock } = this.options
    let timelessRounds = 0
    while (!this.stopped && !round.ended) {
      const startedAt = clock.now()
      if (!sameNodes(nodeIds, this.options.nodeIds())) {
        round.ended = true
        return
      }
      try {
        const { batches, release } = await this.options.fetch(nodeId, round.abort.signal)
        try {
          if (this.stopped || round.ended) return
          await this.processAll(batches)
        } finally {
          release()
        }
      } catch (error) {
        round.error ??= error
        round.ended = true
        round.abort.abort()
      }
      timelessRounds = clock.now() === startedAt ? timelessRounds + 1 : 0
      if (timelessRounds >= ROUNDS_BEFORE_YIELD) {
        timelessRounds = 0
        await clock.sleep(1)
      }
    }
  }

  /** Processes batches on the shared workers; waits for all, then rejects with the first failure. */
  private async processAll(batches: readonly Batch[]): Promise<void> {
    // The common single-partition answer: nothing to gather (no allSettled and its promise per batch).
    if (batches.length === 1) return this.workers.add(() => this.options.handle(batches[0]!))
    const results = await Promise.allSettled(batches.map((batch) => this.workers.add(() => this.options.handle(batch))))
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  }
}
