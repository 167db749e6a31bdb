/**
 * KafkaJS's fetch manager: one fetch loop per broker, each fetching the partitions that broker
 * leads and waiting until its batches are processed before fetching again, so the messages of a
 * partition are handled in offset order; batches from all brokers share a pool of
 * `partitionsConsumedConcurrently` workers. When the set of brokers changes the loops restart;
 * the first error stops every loop and is thrown to the runner.
 */
import { KafkaJSNoBrokerAvailableError } from '../errors.js'
import type { Batch } from './batch.js'
import { ConcurrencyLimit } from './concurrency-limit.js'
import type { FetchResult } from './fetcher.js'

/** What a {@link FetchManager} drives. */
export interface FetchManagerOptions {
  /** The brokers to fetch from (from the cluster metadata). */
  nodeIds(): number[]
  fetch(nodeId: number): Promise<FetchResult>
  handle(batch: Batch): Promise<void>
  concurrency: number
}

interface Round {
  ended: boolean
  error?: unknown
}

const sameNodes = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((id) => b.includes(id))

/** Runs the per-broker fetch loops. */
export class FetchManager {
  private readonly workers: ConcurrencyLimit
  private stopped = false
  private round: Round | undefined

  constructor(private readonly options: FetchManagerOptions) {
    this.workers = new ConcurrencyLimit(options.concurrency)
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
      const round: Round = { ended: false }
      this.round = round
      await Promise.all(nodeIds.map((nodeId) => this.fetchLoop(nodeId, nodeIds, round)))
      if (round.error !== undefined) throw round.error
    }
  }

  /** Makes every loop end after its current fetch and batch, for good (the consumer is stopping). */
  stop(): void {
    this.stopped = true
  }

  private async fetchLoop(nodeId: number, nodeIds: readonly number[], round: Round): Promise<void> {
    while (!this.stopped && !round.ended) {
      if (!sameNodes(nodeIds, this.options.nodeIds())) {
        round.ended = true
        return
      }
      try {
        const { batches, release } = await this.options.fetch(nodeId)
        try {
          if (this.stopped || round.ended) return
          await this.processAll(batches)
        } finally {
          release()
        }
      } catch (error) {
        round.error ??= error
        round.ended = true
      }
    }
  }

  /** Processes batches on the shared workers; waits for all, then rejects with the first failure. */
  private async processAll(batches: readonly Batch[]): Promise<void> {
    const results = await Promise.allSettled(batches.map((batch) => this.workers.run(() => this.options.handle(batch))))
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  }
}
