/**
 * Lays a send's messages out per partition as the log stores them (the producer's half of Kafka's MemoryRecords):
 * every key and value written once into one buffer for the whole send, one layout and one timestamp array shared by
 * its partitions, and no object per record. The leader then copies each partition's bytes in one go.
 */
import { NO_HEADERS, type LaidOutRecords, type RecordHeader } from '../../protocol/records.js'
import { messageTimestamp, toRecordHeaders, type Message } from '../message-types.js'

/** The messages of one topic after partitioning: each message's slot, and each slot's partition, in first-seen order. */
export interface PartitionedMessages {
  readonly messages: readonly Message[]
  /** Per message, the index of its partition in `partitions`. */
  readonly slotOf: Int32Array
  readonly partitions: readonly number[]
}

/** The largest number of bytes `item` (a key or value, not null) can take as UTF-8. */
function bound(item: Buffer | string | number | bigint | boolean): number {
  if (typeof item === 'string') return item.length * 3
  if (Buffer.isBuffer(item)) return item.length
  return Buffer.byteLength(String(item))
}

/** Writes `item` at `at`; returns the bytes written. Strings as UTF-8, scalars as the UTF-8 of `String(item)`, as KafkaJS. */
function write(bytes: Buffer, item: Buffer | string | number | bigint | boolean, at: number): number {
  if (typeof item === 'string') return writeString(bytes, item, at)
  if (Buffer.isBuffer(item)) {
    // TypedArray#set, not Buffer#copy: for keys and values of a few bytes it skips a native call's overhead.
    bytes.set(item, at)
    return item.length
  }
  return bytes.write(String(item), at, 'utf8')
}

/** A short ASCII string (an order id) byte by byte, without a native call; anything else through Node's UTF-8 writer. */
function writeString(bytes: Buffer, text: string, at: number): number {
  const length = text.length
  if (length <= 64) {
    let i = 0
    for (; i < length; i++) {
      const code = text.charCodeAt(i)
      if (code > 0x7f) break
      bytes[at + i] = code
    }
    if (i === length) return length
  }
  return bytes.write(text, at, 'utf8')
}

/** Lays out the messages of each partition of `partitioned`; the result is indexed as `partitions`. */
export function layOutMessages({ messages, slotOf, partitions }: PartitionedMessages, now: number): LaidOutRecords[] {
  const slots = partitions.length
  const counts = new Array<number>(slots).fill(0)
  const bounds = new Array<number>(slots).fill(0)
  for (let i = 0; i < messages.length; i++) {
    const { key, value } = messages[i]!
    const slot = slotOf[i]!
    counts[slot]++
    bounds[slot] += (key === null || key === undefined ? 0 : bound(key)) + (value === null ? 0 : bound(value))
  }
  // Each slot's region of the shared buffer, and its first index in the shared layout and timestamps.
  const cursor = new Array<number>(slots)
  const regionStart = new Array<number>(slots)
  const nextIndex = new Array<number>(slots)
  const firstIndex = new Array<number>(slots)
  let total = 0
  let index = 0
  for (let s = 0; s < slots; s++) {
    regionStart[s] = cursor[s] = total
    firstIndex[s] = nextIndex[s] = index
    total += bounds[s]!
    index += counts[s]!
  }
  // The producer's own memory (Node's pool is fine here): the log copies what it keeps.
  const bytes = Buffer.allocUnsafe(total)
  const layout = new Int32Array(messages.length * 4)
  const timestamps = new Float64Array(messages.length)
  let headers: Array<Array<readonly RecordHeader[]> | undefined> | undefined
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!
    const slot = slotOf[i]!
    const start = regionStart[slot]!
    let at = cursor[slot]!
    const n = nextIndex[slot]!++
    const { key, value } = message
    layout[n * 4] = at - start
    if (key === null || key === undefined) layout[n * 4 + 1] = -1
    else at += layout[n * 4 + 1] = write(bytes, key, at)
    layout[n * 4 + 2] = at - start
    if (value === null) layout[n * 4 + 3] = -1
    else at += layout[n * 4 + 3] = write(bytes, value, at)
    cursor[slot] = at
    timestamps[n] = messageTimestamp(message.timestamp as string | number | undefined, now)
    if (message.headers !== undefined && message.headers !== null) {
      const list = toRecordHeaders(message.headers)
      if (list.length > 0) {
        headers ??= new Array(slots)
        const forSlot = (headers[slot] ??= new Array<readonly RecordHeader[]>(counts[slot]!).fill(NO_HEADERS))
        forSlot[n - firstIndex[slot]!] = list
      }
    }
  }
  const laidOut: LaidOutRecords[] = []
  for (let s = 0; s < slots; s++) {
    const first = firstIndex[s]!
    const count = counts[s]!
    const slotHeaders = headers?.[s]
    laidOut.push({
      count,
      bytes: bytes.subarray(regionStart[s]!, cursor[s]!),
      layout: layout.subarray(first * 4, (first + count) * 4),
      timestamps: timestamps.subarray(first, first + count),
      ...(slotHeaders === undefined ? {} : { headers: slotHeaders }),
    })
  }
  return laidOut
}
