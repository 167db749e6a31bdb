import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { murmur2, toPositive } from '../../src/client/murmur2.js'

const require = createRequire(import.meta.url)
const kafkajsMurmur2: (key: Buffer | string) => number = require('kafkajs/src/producer/partitioners/default/murmur2')

describe('murmur2', () => {
  // Apache Kafka's clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java, testMurmur2.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %s to Java Utils.murmur2 value %i', (key, expected) => {
    expect(murmur2(key)).toBe(expected)
    expect(murmur2(Buffer.from(key))).toBe(expected)
  })

  it('hashes the empty key like Java', () => {
    expect(murmur2('')).toBe(275646681)
  })

  it('hashes strings as UTF-8 bytes', () => {
    expect(murmur2('żółw 🐢')).toBe(murmur2(Buffer.from('żółw 🐢', 'utf8')))
  })

  it('agrees with KafkaJS DefaultPartitioner murmur2 on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const key = Buffer.from(bytes)
        expect(murmur2(key)).toBe(kafkajsMurmur2(key))
      }),
      { numRuns: 500 },
    )
  })

  it('agrees with KafkaJS DefaultPartitioner murmur2 on any string', () => {
    // Any code point, lone surrogates included, as fc.string({ unit: 'binary' }) draws them: building that arbitrary
    // took 1.5 s of CPU (fast-check matches its own list of tricky strings against a map of every code point).
    const anyString = fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: 24 }).map((points) => String.fromCodePoint(...points))
    fc.assert(
      fc.property(anyString, (key) => {
        expect(murmur2(key)).toBe(kafkajsMurmur2(key))
      }),
      { numRuns: 200 },
    )
  })

  it('hashes an ASCII string read in place exactly as its bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0x7f }), { maxLength: 40 }), (codes) => {
        const key = String.fromCharCode(...codes)
        expect(murmur2(key)).toBe(kafkajsMurmur2(Buffer.from(key, 'utf8')))
      }),
      { numRuns: 500 },
    )
  })

  it('toPositive clears the sign bit, even for Integer.MIN_VALUE', () => {
    expect(toPositive(-2147483648)).toBe(0)
    expect(toPositive(-1)).toBe(2147483647)
    expect(toPositive(5)).toBe(5)
  })
})
