/** The error a history recorder or checker throws for malformed input: what was wrong, and where. */

/** Thrown for an operation or history that does not have the shape the checker needs; nothing is recorded. */
export class HistoryError extends Error {
  override name = 'HistoryError'

  /**
   * @param message what was wrong and what to do about it
   * @param index the position of the offending operation in the history, when there is one
   */
  constructor(
    message: string,
    readonly index?: number,
  ) {
    super(index === undefined ? message : `operation #${index}: ${message}`)
  }
}
