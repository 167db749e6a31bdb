/**
 * Serdes: how a typed topic turns values into record bytes and back (Kafka's `Serializer` /
 * `Deserializer` pair). JSON is the default, as in Spring Kafka's `JsonSerializer`; a value that
 * cannot be decoded becomes a {@link DecodeError}, the poison-pill case Spring's
 * `ErrorHandlingDeserializer` exists for.
 */

/** A value's encoding. `deserialize` throws when the bytes are not a valid value. */
export interface Serde<T> {
  serialize(value: T): Buffer | string
  deserialize(bytes: Buffer): T
}

/** A record value that could not be decoded: it goes to the dead-letter topic, never into a handler. */
export class DecodeError extends Error {
  override name = 'DecodeError'
  /** Where the record was, when known. */
  readonly partition?: number
  readonly offset?: string

  constructor(
    readonly topic: string,
    readonly reason: string,
    options: { cause?: unknown; partition?: number; offset?: string } = {},
  ) {
    super(
      `Could not decode a value of topic "${topic}"` +
        (options.partition === undefined ? '' : ` (partition ${options.partition}, offset ${options.offset ?? '?'})`) +
        `: ${reason}`,
      { cause: options.cause },
    )
    this.partition = options.partition
    this.offset = options.offset
  }
}

/** Options of {@link jsonSerde}. */
export interface JsonSerdeOptions {
  /** Checks a parsed value; return false (or throw) to reject it as undecodable. */
  validate?: (value: unknown) => boolean
}

/** JSON as UTF-8 (the default serde of typed topics). `validate` turns shape checks into decode errors. */
export function jsonSerde<T>(options: JsonSerdeOptions = {}): Serde<T> {
  return {
    serialize(value: T): string {
      const text = JSON.stringify(value)
      if (text === undefined) throw new TypeError(`JSON cannot encode ${typeof value} values`)
      return text
    },
    deserialize(bytes: Buffer): T {
      const value: unknown = JSON.parse(bytes.toString('utf8'))
      if (options.validate !== undefined && !options.validate(value)) {
        throw new TypeError('the JSON value does not pass the topic\'s validate() check')
      }
      return value as T
    },
  }
}

/** UTF-8 text. */
export const stringSerde: Serde<string> = {
  serialize: (value) => value,
  deserialize: (bytes) => bytes.toString('utf8'),
}

/** Raw bytes, unchanged. */
export const bufferSerde: Serde<Buffer> = {
  serialize: (value) => value,
  deserialize: (bytes) => bytes,
}
