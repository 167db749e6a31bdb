/**
 * Kafka's framing and headers: every request and response is an int32 size and that many bytes.
 * A request starts with request header v1 (api key, api version, correlation id, nullable client
 * id) or, in flexible versions, v2 (the same and a tagged-field section; the client id stays a
 * classic string). A response starts with response header v0 (the correlation id) or, when
 * flexible, v1 (with tagged fields), except ApiVersions, always v0 (KIP-511).
 */
import { requestHeaderVersion, responseHeaderVersion, type ApiCodec } from './api-codec.js'
import { codecFor } from './api-table.js'
import { WireDecodeError, WireReader, WireWriter } from './primitives.js'
import { decodeMessage, encodeMessage, type Message } from './schema.js'

/** The request header fields kafkalite reads. */
export interface RequestHeader {
  readonly apiKey: number
  readonly apiVersion: number
  readonly correlationId: number
  readonly clientId: string
}

/** What a request frame turned out to be. */
export type DecodedFrame =
  | { readonly kind: 'request'; readonly header: RequestHeader; readonly codec: ApiCodec; readonly body: Message }
  /** An API this listener does not serve (Kafka closes the connection). */
  | { readonly kind: 'unknown-api'; readonly header: RequestHeader }
  /** A version outside the API's range (ApiVersions answers it; other APIs close the connection). */
  | { readonly kind: 'unsupported-version'; readonly header: RequestHeader; readonly codec: ApiCodec }

/**
 * Decodes one request frame (without its size prefix). Throws {@link WireDecodeError} for bytes
 * that are not a well-formed request, and for nothing else: the fuzz test holds it to that.
 */
export function decodeRequestFrame(frame: Buffer): DecodedFrame {
  const r = new WireReader(frame)
  const apiKey = r.int16()
  const apiVersion = r.int16()
  const correlationId = r.int32()
  const clientId = r.string(false) ?? ''
  const header = { apiKey, apiVersion, correlationId, clientId }
  const codec = codecFor(apiKey)
  if (codec === undefined) return { kind: 'unknown-api', header }
  if (apiVersion < codec.minVersion || apiVersion > codec.maxVersion) return { kind: 'unsupported-version', header, codec }
  if (requestHeaderVersion(codec, apiVersion) === 2) r.skipTaggedFields()
  const body = decodeMessage(codec.request, apiVersion, r)
  if (r.remaining !== 0) throw new WireDecodeError(`${r.remaining} bytes follow the ${codec.name} v${apiVersion} request`)
  return { kind: 'request', header, codec, body }
}

/** Encodes a response frame, size prefix included. */
export function encodeResponseFrame(codec: ApiCodec, version: number, correlationId: number, body: Message): Buffer {
  const w = new WireWriter(256)
  w.int32(0).int32(correlationId)
  if (responseHeaderVersion(codec, version) === 1) w.emptyTaggedFields()
  encodeMessage(codec.response, version, body, w)
  w.patchInt32(0, w.length - 4)
  return Buffer.from(w.finish())
}

/** Encodes a request frame, size prefix included: for tests and tools that speak to a listener. */
export function encodeRequestFrame(codec: ApiCodec, version: number, correlationId: number, clientId: string | null, body: Message): Buffer {
  const w = new WireWriter(256)
  w.int32(0).int16(codec.key).int16(version).int32(correlationId).string(clientId, false)
  if (requestHeaderVersion(codec, version) === 2) w.emptyTaggedFields()
  encodeMessage(codec.request, version, body, w)
  w.patchInt32(0, w.length - 4)
  return Buffer.from(w.finish())
}

/** Decodes a response frame body (without its size prefix), for tests and tools. */
export function decodeResponseFrame(codec: ApiCodec, version: number, frame: Buffer): { correlationId: number; body: Message } {
  const r = new WireReader(frame)
  const correlationId = r.int32()
  if (responseHeaderVersion(codec, version) === 1) r.skipTaggedFields()
  const body = decodeMessage(codec.response, version, r)
  return { correlationId, body }
}
