/**
 * Record batch compression (attributes bits 0-2): 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd.
 * gzip comes from Node's zlib. snappy, lz4 and zstd would need native or unmaintained npm
 * packages (Node 20's zlib has no zstd), so kafkalite does not take them: a batch using them is
 * answered UNSUPPORTED_COMPRESSION_TYPE, as a Kafka broker answers a codec it does not know, and
 * the listener logs why.
 */
import { gunzipSync } from 'node:zlib'

/** A gzip batch may not inflate past this (Kafka's default socket.request.max.bytes): a zip bomb is refused, not inflated. */
const MAX_INFLATED_BYTES = 104857600

/** Kafka's compression codec names by attribute value. */
const COMPRESSION_CODECS: readonly string[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

/** The uncompressed records of a batch, or why they cannot be had. */
export type CompressionResult = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly message: string }

/** Decompresses the records section of a batch whose attributes name `codec`. */
export function decompress(codec: number, bytes: Buffer): CompressionResult {
  switch (codec) {
    case 0:
      return { ok: true, bytes }
    case 1:
      try {
        return { ok: true, bytes: gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES }) }
      } catch (error) {
        return { ok: false, message: `gzip records could not be decompressed: ${(error as Error).message}` }
      }
    default: {
      const name = COMPRESSION_CODECS[codec] ?? `unknown codec ${codec}`
      return { ok: false, message: `kafkalite's wire listener does not decompress ${name}; produce uncompressed or with gzip` }
    }
  }
}
