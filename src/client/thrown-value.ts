/** What the client does with a value thrown by application code, which JavaScript lets be anything. */

/**
 * A thrown value as an Error. JavaScript lets a handler throw anything (`throw undefined`,
 * `throw 'text'`), while logging, retrying and the CRASH event read `name`, `message` and `stack`:
 * a non-Error becomes a plain (retriable, as KafkaJS treats an application's Error) Error that names it.
 */
export function toError(thrown: unknown, where: string): Error {
  if (thrown instanceof Error) return thrown
  let shown: string
  try {
    shown = String(thrown)
  } catch {
    shown = Object.prototype.toString.call(thrown)
  }
  return new Error(`${where} threw a value that is not an Error: ${shown}; throw an Error instead`)
}
