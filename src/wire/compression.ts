/**
 * Record batch compression (attributes bits 0-2): 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. gzip is
 * Node's zlib; snappy, lz4 and zstd are small pure-JavaScript packages (no native build, nothing
 * downloaded at install), wrapped in compression/ with checks that bound what a hostile batch can make
 * them allocate. They load when a listener starts ({@link loadCompressionCodecs}), so an in-process
 * user of kafkalite never loads them; a codec whose package cannot be loaded is answered
 * UNSUPPORTED_COMPRESSION_TYPE, and the listener logs why.
 *
 * A produced batch is decompressed into the log, which keeps its codec; a fetch compresses the records
 * again with it (Kafka keeps the producer's codec under `compression.type=producer`, its default). A
 * codec id Kafka does not define, or zstd on a request version before KIP-110's (Produce v7, Fetch
 * v10), is UNSUPPORTED_COMPRESSION_TYPE, as in Kafka.
 */
import { gunzipSync, gzipSync } from 'node:zlib'
import { Errors, type CompressionCodec } from '../protocol/index.js'
import { CompressedDataError, MAX_INFLATED_BYTES, type BatchCodec } from './compression/codec.js'
import { lz4Codec } from './compression/lz4.js'
import { snappyCodec } from './compression/snappy.js'
import { zstdCodec } from './compression/zstd.js'

/** Kafka's codec names by attribute value. */
const CODECS: readonly CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

/** The first Produce and Fetch versions that may carry zstd (KIP-110). */
export const ZSTD_MIN_PRODUCE_VERSION = 7
export const ZSTD_MIN_FETCH_VERSION = 10

type PackagedCodec = Exclude<CompressionCodec, 'none' | 'gzip'>

/** Each package is imported only here, dynamically, so importing kafkalite loads none of them. */
const LOADERS: Record<PackagedCodec, () => Promise<BatchCodec>> = {
  snappy: async () => snappyCodec(await import('snappyjs')),
  lz4: async () => lz4Codec(await import('lz4js')),
  zstd: async () => zstdCodec(await import('fzstd')),
}

const loaded = new Map<CompressionCodec, BatchCodec>([['gzip', { decompress: (bytes) => gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES }), compress: (bytes) => gzipSync(bytes) }]])
/** Why a codec could not be loaded, by codec. */
const missing = new Map<CompressionCodec, string>()
let loading: Promise<ReadonlyMap<CompressionCodec, string>> | undefined

/**
 * Loads snappy, lz4 and zstd (once per process); resolves with the codecs that could not be loaded
 * and why, for the listener to log.
 */
export function loadCompressionCodecs(): Promise<ReadonlyMap<CompressionCodec, string>> {
  loading ??= (async () => {
    for (const [codec, load] of Object.entries(LOADERS) as Array<[PackagedCodec, () => Promise<BatchCodec>]>) {
      try {
        loaded.set(codec, await load())
      } catch (error) {
        missing.set(codec, (error as Error).message)
      }
    }
    return missing
  })()
  return loading
}

/** The attribute value of a codec. */
export function codecId(codec: CompressionCodec): number {
  return CODECS.indexOf(codec)
}

function unavailable(codec: CompressionCodec): string {
  const why = missing.get(codec) ?? 'no listener has loaded it'
  return `kafkalite cannot use ${codec} compression here (${why})`
}

/** Why a fetch in `fetchVersion` cannot carry a batch compressed with `codec`, or null when it can. */
export function unfetchable(codec: CompressionCodec, fetchVersion: number): string | null {
  if (codec === 'none') return null
  if (codec === 'zstd' && fetchVersion < ZSTD_MIN_FETCH_VERSION) return `zstd batches need Fetch v${ZSTD_MIN_FETCH_VERSION}+ (KIP-110), got v${fetchVersion}`
  return loaded.has(codec) ? null : unavailable(codec)
}

/** The uncompressed records of a batch and its codec, or the Kafka error that rejects it. */
export type CompressionResult =
  | { readonly ok: true; readonly codec: CompressionCodec; readonly bytes: Buffer }
  | { readonly ok: false; readonly errorCode: number; readonly message: string }

/** Decompresses the records section of a batch whose attributes name codec `id`, sent in Produce `produceVersion`. */
export function decompress(id: number, bytes: Buffer, produceVersion: number): CompressionResult {
  const codec = CODECS[id]
  if (codec === undefined) {
    return { ok: false, errorCode: Errors.UNSUPPORTED_COMPRESSION_TYPE.code, message: `compression codec ${id} is unknown: Kafka's codecs are 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd` }
  }
  if (codec === 'none') return { ok: true, codec, bytes }
  if (codec === 'zstd' && produceVersion < ZSTD_MIN_PRODUCE_VERSION) {
    return { ok: false, errorCode: Errors.UNSUPPORTED_COMPRESSION_TYPE.code, message: `zstd batches need Produce v${ZSTD_MIN_PRODUCE_VERSION}+ (KIP-110), got v${produceVersion}` }
  }
  const implementation = loaded.get(codec)
  if (implementation === undefined) return { ok: false, errorCode: Errors.UNSUPPORTED_COMPRESSION_TYPE.code, message: unavailable(codec) }
  try {
    return { ok: true, codec, bytes: implementation.decompress(bytes) }
  } catch (error) {
    const reason = error instanceof CompressedDataError ? error.message : `${(error as Error).name}: ${(error as Error).message}`
    return { ok: false, errorCode: Errors.CORRUPT_MESSAGE.code, message: `${codec} records could not be decompressed: ${reason}` }
  }
}

/** Compresses a batch's records section with `codec` for a fetch; the caller checked {@link unfetchable} first. */
export function compress(codec: CompressionCodec, bytes: Buffer): Buffer {
  if (codec === 'none') return bytes
  const implementation = loaded.get(codec)
  if (implementation === undefined) throw new Error(unavailable(codec))
  return implementation.compress(bytes)
}
