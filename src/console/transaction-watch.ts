/**
 * Transactions on the timeline: at each refresh the console compares each transactional id's state
 * in `describe()` with the one it saw last and notes the change (opened, committed, aborted). A
 * transaction that opens and ends between two refreshes shows only as its outcome.
 */
import type { ConsoleTransactionView } from './console-types.js'

/** Kafka's `TransactionState` names, as a learner would say them. */
export const TRANSACTION_STATE_WORDS: Readonly<Record<string, string>> = {
  Empty: 'ready, no transaction yet',
  Ongoing: 'open',
  PrepareCommit: 'committing',
  PrepareAbort: 'aborting',
  CompleteCommit: 'committed',
  CompleteAbort: 'aborted',
}

function partitionsText(t: ConsoleTransactionView): string {
  return t.partitions.map((p) => `${p.topic}-${p.partition}`).join(', ')
}

/** Remembers the last state seen of each transactional id. */
export class TransactionWatch {
  private readonly seen = new Map<string, string>()

  /** Notes each transactional id whose state or producer epoch changed since the last call. */
  observe(transactions: readonly ConsoleTransactionView[], note: (text: string) => void): void {
    for (const t of transactions) {
      const signature = `${t.state}|${t.producerId}|${t.producerEpoch}`
      if (this.seen.get(t.transactionalId) === signature) continue
      this.seen.set(t.transactionalId, signature)
      const word = TRANSACTION_STATE_WORDS[t.state] ?? t.state
      const writing = t.state === 'Ongoing' && t.partitions.length > 0 ? `, writing ${partitionsText(t)}` : ''
      note(`transaction ${t.transactionalId} (producer ${t.producerId}, epoch ${t.producerEpoch}): ${word}${writing}`)
    }
  }
}
