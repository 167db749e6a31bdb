/** A recorded history as text, one operation a line, to print beside a failing property's counterexample. */
import type { History, Operation } from 'kafkalite'

function line(op: Operation): string {
  const head = `t=${op.time} ${op.process}`
  switch (op.type) {
    case 'send': {
      const outcome = op.outcome.type === 'ok' ? `ok at ${op.topic}/${op.outcome.partition}@${op.outcome.offset}` : `${op.outcome.type}${op.outcome.error === undefined ? '' : ` (${op.outcome.error})`}`
      return `${head} send ${JSON.stringify(op.value)}: ${outcome}`
    }
    case 'poll':
      return `${head} poll ${op.records.map((r) => `${r.topic}/${r.partition}@${r.offset} ${JSON.stringify(r.value)}`).join(', ')}`
    case 'commit':
      return `${head} commit ${op.offsets.map((o) => `${o.topic}/${o.partition}=${o.offset}`).join(', ')}: ${op.outcome.type}`
    case 'rebalance':
      return `${head} rebalance, assigned ${op.partitions.map((p) => `${p.topic}/${p.partition}`).join(', ') || 'nothing'}`
    case 'assign':
      return `${head} assign ${op.partitions.map((p) => `${p.topic}/${p.partition}`).join(', ')}`
    case 'seek':
      return `${head} seek ${op.topic}/${op.partition} to ${op.offset}`
    case 'fault':
      return `${head} ${op.description}`
  }
}

/** The history's operations, one a line (`t=1200 consumer-a poll orders/1@3 "..."`); with `last`, only the last ones. */
export function formatHistory(history: History, options: { readonly last?: number } = {}): string {
  const ops = history.operations()
  const shown = options.last === undefined ? ops : ops.slice(-options.last)
  const skipped = ops.length - shown.length
  return [...(skipped > 0 ? [`(${skipped} earlier operations left out)`] : []), ...shown.map(line)].join('\n')
}
