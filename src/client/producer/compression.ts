/**
 * KafkaJS's compression registry. kafkalite keeps records uncompressed in memory, so a codec is
 * never run; but as in KafkaJS, producing with a codec that is not registered (Snappy, LZ4, ZSTD
 * need a plugin: `CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec`) fails, so an app
 * that forgot to register one fails here as it would against a real cluster.
 */
import { gunzip, gzip } from 'node:zlib'
import { promisify } from 'node:util'
import { KafkaJSNonRetriableError, KafkaJSNotImplemented } from '../errors.js'
import { CompressionTypes } from '../message-types.js'

/** A KafkaJS compression codec: `compress`/`decompress` over an encoder's buffer. */
export interface CompressionCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>
  decompress(buffer: Buffer): Promise<Buffer>
}

const gzipAsync = promisify(gzip)
const gunzipAsync = promisify(gunzip)

const gzipCodec: CompressionCodec = {
  compress: (encoder) => gzipAsync(encoder.buffer),
  decompress: (buffer) => gunzipAsync(buffer),
}

function notImplemented(name: string): () => never {
  return () => {
    throw new KafkaJSNotImplemented(`${name} compression not implemented`)
  }
}

/** KafkaJS's `CompressionCodecs`: codec factories by compression type; plugins assign into it. */
export const CompressionCodecs: Record<number, () => CompressionCodec> = {
  [CompressionTypes.GZIP]: () => gzipCodec,
  [CompressionTypes.Snappy]: notImplemented('Snappy'),
  [CompressionTypes.LZ4]: notImplemented('LZ4'),
  [CompressionTypes.ZSTD]: notImplemented('ZSTD'),
}

/**
 * Checks that a `compression` option names a known type with a registered codec; throws
 * KafkaJSNotImplemented for an unregistered one (as KafkaJS does when it encodes the batch).
 */
export function checkCompression(compression: unknown): void {
  if (compression === undefined || compression === null || compression === CompressionTypes.None) return
  if (typeof compression !== 'number' || !(Object.values(CompressionTypes) as number[]).includes(compression)) {
    throw new KafkaJSNonRetriableError(`Invalid compression ${String(compression)}: use one of CompressionTypes (None, GZIP, Snappy, LZ4, ZSTD)`)
  }
  CompressionCodecs[compression]?.()
}
