/**
 * KafkaJS's `AssignerProtocol`: the subscription (`MemberMetadata`) and assignment
 * (`MemberAssignment`) buffers exchanged through JoinGroup and SyncGroup, in the layout of
 * Kafka's ConsumerProtocol v0, byte-compatible with KafkaJS:
 * - MemberMetadata: int16 version, array of string topics, bytes userData
 * - MemberAssignment: int16 version, array of (string topic, array of int32 partitions), bytes userData
 * Arrays carry an int32 count, strings an int16 length, bytes an int32 length (-1 for null).
 */
import type { Assignment } from './assigner-types.js'
import { BinaryReader as Reader, BinaryWriter as Writer } from './binary-codec.js'

/** A decoded subscription. */
export type MemberMetadata = { version: number; topics: string[]; userData: Buffer }

/** A decoded assignment. */
export type MemberAssignment = { version: number; assignment: Assignment; userData: Buffer }

/** Encodes and decodes a member's subscription. */
export const MemberMetadata = {
  /** `userData` defaults to empty bytes; `null` encodes as null bytes, as KafkaJS does. */
  encode({ version, topics, userData = Buffer.alloc(0) }: { version: number; topics: string[]; userData?: Buffer | null }): Buffer {
    const w = new Writer().int16(version).int32(topics.length)
    for (const topic of topics) w.string(topic)
    return w.bytes(userData).toBuffer()
  },

  /** Throws a RangeError naming the problem on a truncated or malformed buffer. */
  decode(buffer: Buffer): MemberMetadata {
    const r = new Reader(buffer, 'MemberMetadata')
    const version = r.int16()
    const topics = r.array(() => r.string()) as string[]
    const userData = r.bytes() as Buffer
    return { version, topics, userData }
  },
}

/** Encodes and decodes a member's assignment. */
export const MemberAssignment = {
  encode({ version, assignment, userData = Buffer.alloc(0) }: { version: number; assignment: Assignment; userData?: Buffer | null }): Buffer {
    const topics = Object.keys(assignment)
    const w = new Writer().int16(version).int32(topics.length)
    for (const topic of topics) {
      const partitions = assignment[topic]!
      w.string(topic).int32(partitions.length)
      for (const p of partitions) w.int32(p)
    }
    return w.bytes(userData).toBuffer()
  },

  /** An empty buffer (a member the leader gave nothing) decodes to null, as in KafkaJS. */
  decode(buffer: Buffer): MemberAssignment | null {
    if (buffer.length < 2) return null
    const r = new Reader(buffer, 'MemberAssignment')
    const version = r.int16()
    const assignment: Assignment = {}
    for (const { topic, partitions } of r.array(() => ({ topic: r.string() as string, partitions: r.array(() => r.int32()) }))) {
      // `__proto__` is a legal topic name: define it as an own property instead of setting the prototype
      Object.defineProperty(assignment, topic, { value: partitions, enumerable: true, writable: true, configurable: true })
    }
    const userData = r.bytes() as Buffer
    return { version, assignment, userData }
  },
}

/** KafkaJS's `AssignerProtocol` export. */
export const AssignerProtocol = { MemberMetadata, MemberAssignment }
