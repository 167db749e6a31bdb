/** What each compression codec of the wire layer provides, and the budget that bounds what it may inflate. */

/** How far a compressed batch may inflate: Kafka's default `socket.request.max.bytes`, so a zip bomb is refused, not inflated. */
export const MAX_INFLATED_BYTES = 104857600

/** Thrown by a codec for bytes it cannot decompress; the message says what was wrong. */
export class CompressedDataError extends Error {
  override name = 'CompressedDataError'
}

/** One codec: decompresses a produced batch's records section (throwing on bad bytes), compresses a fetched one. */
export interface BatchCodec {
  decompress(bytes: Buffer): Buffer
  compress(bytes: Buffer): Buffer
}
