/**
 * Assertions as documentation: a broker module states the invariant it keeps where it keeps it,
 * and with the `checkInvariants` test flag a violation stops the run where it happens, naming the
 * invariant (TigerBeetle's style), instead of surfacing later as a wrong answer.
 */
import { InvariantViolationError } from './cluster-errors.js'

/** Throws {@link InvariantViolationError} named `name` when `holds` is false; `detail` is built only then. */
export function invariant(holds: boolean, name: string, detail: () => string): asserts holds {
  if (!holds) throw new InvariantViolationError(name, detail())
}
