/**
 * A small interpreter for Kafka's message schemas (clients/src/main/resources/common/message/*.json):
 * each API codec declares its request and response as fields with version ranges, and this file
 * reads and writes them for any version, classic or flexible (KIP-482: compact strings, bytes and
 * arrays, and a tagged-field section after every struct). Tagged fields kafkalite does not model
 * are skipped on read and never written, as the KIP allows.
 */
import { WireDecodeError, WireReader, WireWriter } from './primitives.js'

/** The scalar types of the schemas; `records` is a nullable bytes field holding record batches. */
export type ScalarType = 'int8' | 'int16' | 'int32' | 'int64' | 'bool' | 'string' | 'bytes' | 'uuid' | 'records'

/** A field type: a scalar, a struct (its fields), or an array of either. */
export type FieldType = ScalarType | { readonly struct: readonly Field[] } | { readonly array: ScalarType | readonly Field[] }

/** One field of a schema, present in versions `[min, max]`, nullable in `[nullMin, nullMax]`. */
export interface Field {
  readonly name: string
  readonly type: FieldType
  readonly versions: readonly [number, number]
  readonly nullable?: readonly [number, number]
  /** The value written when the caller gives none (the schema's `default`). */
  readonly default?: unknown
}

/** A decoded or to-be-encoded message: field name to value (structs nest, arrays are JS arrays). */
export type Message = { [name: string]: unknown }

/** A message schema: its fields and the first flexible version (Infinity if none). */
export interface Schema {
  readonly fields: readonly Field[]
  readonly flexibleFrom: number
}

const MAX = 0x7fff

/** Parses a schema version range: `'3+'`, `'0-7'`, `'2'`. */
export function range(spec: string): readonly [number, number] {
  const plus = /^(\d+)\+$/.exec(spec)
  if (plus) return [Number(plus[1]), MAX]
  const span = /^(\d+)-(\d+)$/.exec(spec)
  if (span) return [Number(span[1]), Number(span[2])]
  if (/^\d+$/.test(spec)) return [Number(spec), Number(spec)]
  throw new TypeError(`bad version range ${spec}`)
}

/** Declares a field: `field('ClusterId', 'string', '2+', { nullable: '2+' })`. */
export function field(name: string, type: FieldType, versions: string, options: { nullable?: string; default?: unknown } = {}): Field {
  return {
    name,
    type,
    versions: range(versions),
    ...(options.nullable === undefined ? {} : { nullable: range(options.nullable) }),
    ...(options.default === undefined ? {} : { default: options.default }),
  }
}

/** An array of structs. */
export function structs(name: string, versions: string, fields: readonly Field[], options: { nullable?: string } = {}): Field {
  return field(name, { array: fields }, versions, options)
}

/** An array of scalars. */
export function scalars(name: string, type: ScalarType, versions: string, options: { nullable?: string } = {}): Field {
  return field(name, { array: type }, versions, options)
}

const within = (r: readonly [number, number] | undefined, v: number): boolean => r !== undefined && v >= r[0] && v <= r[1]

function defaultOf(f: Field, version: number): unknown {
  if (f.default !== undefined) return f.default
  // A nullable field absent from this version reads as null (e.g. no group instance id before v5).
  if (f.nullable !== undefined && (within(f.nullable, version) || !within(f.versions, version))) return null
  const t = f.type
  if (typeof t === 'object') return 'array' in t ? [] : {}
  switch (t) {
    case 'bool':
      return false
    case 'string':
      return ''
    case 'bytes':
      return Buffer.alloc(0)
    case 'records':
      return null
    case 'uuid':
      return Buffer.alloc(16)
    default:
      return 0
  }
}

function readScalar(r: WireReader, type: ScalarType, compact: boolean, nullable: boolean, name: string): unknown {
  switch (type) {
    case 'int8':
      return r.int8()
    case 'int16':
      return r.int16()
    case 'int32':
      return r.int32()
    case 'int64':
      return r.int64()
    case 'bool':
      return r.bool()
    case 'uuid':
      return r.uuid()
    case 'string':
    case 'bytes':
    case 'records': {
      const value = type === 'string' ? r.string(compact) : r.bytes(compact)
      if (value === null && !nullable && type !== 'records') throw new WireDecodeError(`${name} must not be null`)
      return value
    }
  }
}

function writeScalar(w: WireWriter, type: ScalarType, compact: boolean, value: unknown, name: string): void {
  switch (type) {
    case 'int8':
      w.int8(value as number)
      return
    case 'int16':
      w.int16(value as number)
      return
    case 'int32':
      w.int32(value as number)
      return
    case 'int64':
      w.int64(value as number)
      return
    case 'bool':
      w.bool(value as boolean)
      return
    case 'uuid':
      w.uuid(value as Buffer)
      return
    case 'string':
      if (value !== null && typeof value !== 'string') throw new TypeError(`${name} must be a string`)
      w.string(value, compact)
      return
    case 'bytes':
    case 'records':
      w.bytes(value as Buffer | null, compact)
      return
  }
}

function readFields(r: WireReader, fields: readonly Field[], version: number, flexible: boolean): Message {
  const out: Message = {}
  for (const f of fields) {
    if (!within(f.versions, version)) {
      out[f.name] = defaultOf(f, version)
      continue
    }
    const nullable = within(f.nullable, version)
    const t = f.type
    if (typeof t === 'string') out[f.name] = readScalar(r, t, flexible, nullable, f.name)
    else if ('struct' in t) out[f.name] = readFields(r, t.struct, version, flexible)
    else {
      const n = r.arrayLength(flexible)
      if (n === null) {
        if (!nullable) throw new WireDecodeError(`array ${f.name} must not be null`)
        out[f.name] = null
        continue
      }
      const items: unknown[] = []
      const element = t.array
      for (let i = 0; i < n; i++) {
        items.push(typeof element === 'string' ? readScalar(r, element, flexible, false, f.name) : readFields(r, element, version, flexible))
      }
      out[f.name] = items
    }
  }
  if (flexible) r.skipTaggedFields()
  return out
}

function writeFields(w: WireWriter, fields: readonly Field[], version: number, flexible: boolean, message: Message): void {
  for (const f of fields) {
    if (!within(f.versions, version)) continue
    const given = message[f.name]
    const value = given === undefined ? defaultOf(f, version) : given
    const t = f.type
    if (typeof t === 'string') writeScalar(w, t, flexible, value, f.name)
    else if ('struct' in t) writeFields(w, t.struct, version, flexible, value as Message)
    else {
      if (value === null) {
        w.arrayLength(null, flexible)
        continue
      }
      const items = value as readonly unknown[]
      w.arrayLength(items.length, flexible)
      const element = t.array
      for (const item of items) {
        if (typeof element === 'string') writeScalar(w, element, flexible, item, f.name)
        else writeFields(w, element, version, flexible, item as Message)
      }
    }
  }
  if (flexible) w.emptyTaggedFields()
}

/** Reads a message body of `version`; throws {@link WireDecodeError} on malformed bytes. */
export function decodeMessage(schema: Schema, version: number, r: WireReader): Message {
  return readFields(r, schema.fields, version, version >= schema.flexibleFrom)
}

/** Writes a message body of `version`; fields the message leaves out get the schema default. */
export function encodeMessage(schema: Schema, version: number, message: Message, w: WireWriter): void {
  writeFields(w, schema.fields, version, version >= schema.flexibleFrom, message)
}
