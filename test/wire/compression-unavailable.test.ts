/** A codec whose package cannot be loaded: the listener says so at start, and its batches are UNSUPPORTED_COMPRESSION_TYPE. */
import { describe, expect, it, vi } from 'vitest'
import { Cluster } from '../../src/cluster.js'
import { Errors } from '../../src/protocol/index.js'
import { compress, decompress, unfetchable } from '../../src/wire/compression.js'

vi.mock('snappyjs', () => {
  throw new Error('Cannot find package snappyjs')
})

describe('a compression package that cannot be loaded', () => {
  it('is logged when a listener starts; its batches are answered UNSUPPORTED_COMPRESSION_TYPE and the other codecs still work', async () => {
    const cluster = new Cluster({ brokers: 1 })
    const logs: string[] = []
    await cluster.listen({ port: 0, log: (level, line) => logs.push(`${level} ${line}`) })
    await cluster.close()
    expect(logs.filter((line) => line.includes('compression is unavailable'))).toEqual([expect.stringMatching(/^warn snappy compression is unavailable \(.+\): snappy batches are answered UNSUPPORTED_COMPRESSION_TYPE$/)])
    expect(decompress(2, Buffer.from('x'), 7)).toMatchObject({ ok: false, errorCode: Errors.UNSUPPORTED_COMPRESSION_TYPE.code, message: expect.stringContaining('cannot use snappy') })
    expect(unfetchable('snappy', 11)).toMatch(/cannot use snappy/)
    const lz4 = decompress(3, compress('lz4', Buffer.from('still here')), 7)
    expect(lz4.ok && lz4.bytes.toString()).toBe('still here')
  })
})
