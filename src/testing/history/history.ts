/**
 * The recorder of a test run: every send with its outcome, every poll with the records it returned, commits,
 * assignments and faults, in the order they completed, as Jepsen records a Kafka test's history.
 */
import { HistoryError } from './history-error.js'
import type { Operation, OperationInput } from './operation.js'
import { parseOperation } from './parse-operation.js'

/** The JSON form of a {@link History}: `JSON.stringify(history)` writes it, {@link History.fromJSON} reads it. */
export interface HistoryJSON {
  readonly format: 'kafkalite-history'
  readonly version: 1
  readonly operations: readonly Operation[]
}

/** Options of a {@link History}. */
export interface HistoryOptions {
  /**
   * Where operations without a `time` take theirs from, typically the test's virtual clock:
   * `new History({ now: () => clock.now() })`. Without it, every operation must carry its own `time`.
   */
  readonly now?: () => number
}

/**
 * An append-only list of the operations of a test run, to be checked afterwards by `checkHistory`.
 *
 * Record each operation when it completes. A process (a producer or consumer id) is one logical thread doing one
 * operation at a time, as in Jepsen: give concurrent senders distinct process ids. Records are told apart by value,
 * so make every value sent to a topic unique.
 *
 * @example
 * const history = new History({ now: () => clock.now() })
 * history.record({ type: 'send', process: 'p1', topic: 'orders', key: 'k', value: 'v1',
 *                  outcome: { type: 'ok', partition: 0, offset: 0 } })
 * history.record({ type: 'poll', process: 'c1',
 *                  records: [{ topic: 'orders', partition: 0, offset: 0, key: 'k', value: 'v1' }] })
 * expect(checkHistory(history).valid).toBe(true)
 */
export class History {
  private readonly ops: Operation[] = []
  private readonly now: (() => number) | undefined

  constructor(options: HistoryOptions = {}) {
    this.now = options.now
  }

  /**
   * Appends one operation (a validated copy of it) and returns what was stored.
   *
   * @throws {HistoryError} when the operation is malformed; the history is then left unchanged
   */
  record(op: OperationInput): Operation {
    const stored = parseOperation(op, this.ops.length, this.now)
    this.ops.push(stored)
    return stored
  }

  /** Every operation recorded so far, in recording order; an operation's position is its index in reports. */
  operations(): readonly Operation[] {
    return this.ops.slice()
  }

  /** How many operations have been recorded. */
  get length(): number {
    return this.ops.length
  }

  /** The JSON form, so that `JSON.stringify(history)` saves a history that {@link History.fromJSON} can check later. */
  toJSON(): HistoryJSON {
    return { format: 'kafkalite-history', version: 1, operations: this.operations() }
  }

  /**
   * Reads a history back from its JSON form (the string, or the parsed object).
   *
   * @throws {HistoryError} when the input is not a kafkalite history or an operation in it is malformed
   */
  static fromJSON(json: string | HistoryJSON): History {
    let parsed: unknown = json
    if (typeof json === 'string') {
      try {
        parsed = JSON.parse(json)
      } catch (e) {
        throw new HistoryError(`not valid JSON: ${(e as Error).message}`)
      }
    }
    const doc = parsed as Partial<HistoryJSON> | null
    if (typeof doc !== 'object' || doc === null || doc.format !== 'kafkalite-history' || doc.version !== 1) {
      throw new HistoryError(`not a kafkalite history: expected { format: 'kafkalite-history', version: 1, operations }`)
    }
    if (!Array.isArray(doc.operations)) throw new HistoryError(`'operations' must be an array`)
    const history = new History()
    history.ops.push(...doc.operations.map((op, i) => parseOperation(op, i)))
    return history
  }
}
