/**
 * The wire's compression codecs: every codec round-trips any bytes; frames made by the reference `lz4` and `zstd`
 * command-line tools decode, and ours decode with them (skipped, saying so, where they are missing); hostile frames
 * (bombs, mutations, random bytes) are refused with CORRUPT_MESSAGE, never a throw or an allocation past the budget.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { Errors, type CompressionCodec } from '../../src/protocol/index.js'
import { codecId, compress, decompress, loadCompressionCodecs } from '../../src/wire/compression.js'
import { Coverage } from '../support/coverage.js'

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const
const LZ4_CLI = existsSync('/usr/bin/lz4') ? '/usr/bin/lz4' : undefined
const ZSTD_CLI = existsSync('/usr/bin/zstd') ? '/usr/bin/zstd' : undefined

beforeAll(async () => {
  expect([...(await loadCompressionCodecs())]).toEqual([])
})

function inflate(codec: CompressionCodec, bytes: Buffer) {
  return decompress(codecId(codec), bytes, 7)
}

describe('compression codecs', () => {
  it('every codec gives back the bytes it compressed (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CODECS), fc.uint8Array({ maxLength: 3000 }), fc.nat(70_000), (codec, random, repeats) => {
        // Random bytes (incompressible) followed by a run (compressible), so both paths of each block coder run.
        const bytes = Buffer.concat([Buffer.from(random), Buffer.alloc(repeats, 7)])
        const result = inflate(codec, compress(codec, bytes))
        expect(result.ok && result.bytes.equals(bytes)).toBe(true)
      }),
      { numRuns: 60 },
    )
  })

  it.skipIf(LZ4_CLI === undefined || ZSTD_CLI === undefined)(
    `reads frames of the reference lz4 and zstd tools, which read ours${LZ4_CLI === undefined || ZSTD_CLI === undefined ? ' (SKIPPED: lz4 or zstd is not installed)' : ''}`,
    () => {
      const text = Buffer.from('kafkalite '.repeat(5000) + 'end')
      for (const [codec, cli, args] of [
        ['lz4', LZ4_CLI!, ['-c', '-B4']],
        ['lz4', LZ4_CLI!, ['-c', '--content-size', '-BD']],
        ['zstd', ZSTD_CLI!, ['-c', '-q']],
        ['zstd', ZSTD_CLI!, ['-c', '-q', '--no-content-size', '-3']],
      ] as const) {
        const framed = execFileSync(cli, [...args], { input: text, stdio: ['pipe', 'pipe', 'ignore'] })
        const result = inflate(codec, framed)
        expect(result.ok && result.bytes.equals(text), `${cli} ${args.join(' ')}`).toBe(true)
        expect(execFileSync(cli, ['-d', '-c', '-q'], { input: compress(codec, text) }).equals(text)).toBe(true)
      }
    },
  )

  it('refuses bombs before inflating them: CORRUPT_MESSAGE for frames that would pass the 100 MiB budget', () => {
    // zstd: 1000 RLE blocks of 128 KiB (125 MiB) from 4 KiB, and a frame asking for a 2 GiB window.
    const rle = Buffer.alloc(4 + 1 + 1 + 1000 * 4)
    rle.writeUInt32LE(0xfd2fb528, 0)
    rle[4] = 0x00
    rle[5] = 0x58
    for (let i = 0; i < 1000; i++) rle.writeUIntLE(((128 * 1024) << 3) | (1 << 1) | (i === 999 ? 1 : 0), 6 + i * 4, 3)
    expect(inflate('zstd', rle)).toMatchObject({ ok: false, errorCode: Errors.CORRUPT_MESSAGE.code, message: expect.stringContaining('may take more than') })
    const window = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xa8, 0x01, 0x00, 0x00])
    expect(inflate('zstd', window)).toMatchObject({ ok: false, errorCode: Errors.CORRUPT_MESSAGE.code })
    // lz4: 30 blocks of 16 KiB, each able to fill its 4 MiB maximum.
    const blocks = Buffer.alloc(7 + 30 * (4 + 16384) + 4)
    blocks.writeUInt32LE(0x184d2204, 0)
    blocks[4] = 0x40
    blocks[5] = 0x70
    for (let i = 0; i < 30; i++) blocks.writeUInt32LE(16384, 7 + i * (4 + 16384))
    expect(inflate('lz4', blocks)).toMatchObject({ ok: false, errorCode: Errors.CORRUPT_MESSAGE.code, message: expect.stringContaining('inflate past') })
    // snappy: a raw block declaring 2 GiB.
    expect(inflate('snappy', Buffer.from([0x80, 0x80, 0x80, 0x80, 0x08, 0x00]))).toMatchObject({ ok: false, errorCode: Errors.CORRUPT_MESSAGE.code })
  })

  it('never throws on random or mutated frames: each decodes or is refused with CORRUPT_MESSAGE (property)', () => {
    const coverage = new Coverage(['decoded', 'refused'] as const)
    const valid = Object.fromEntries(CODECS.map((codec) => [codec, compress(codec, Buffer.from('kafkalite '.repeat(300)))]))
    fc.assert(
      fc.property(
        fc.constantFrom(...CODECS),
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'random' as const, bytes })),
          fc.record({ kind: fc.constant('mutated' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), cut: fc.nat() }),
        ),
        (codec, input) => {
          let bytes: Buffer
          if (input.kind === 'random') bytes = Buffer.from(input.bytes)
          else {
            bytes = Buffer.from(valid[codec]!)
            bytes[input.at % bytes.length] = input.value
            bytes = bytes.subarray(0, bytes.length - (input.cut % 4 === 0 ? input.cut % bytes.length : 0))
          }
          const result = inflate(codec, bytes)
          coverage.record({ decoded: result.ok, refused: !result.ok })
          if (!result.ok) expect(result.errorCode).toBe(Errors.CORRUPT_MESSAGE.code)
        },
      ),
      { numRuns: 400 },
    )
    expect(coverage.below(0.1), coverage.toString()).toEqual([])
  })

  it('answers UNSUPPORTED_COMPRESSION_TYPE for a codec id Kafka does not define and for zstd before Produce v7', () => {
    expect(decompress(5, Buffer.alloc(1), 7)).toMatchObject({ ok: false, errorCode: Errors.UNSUPPORTED_COMPRESSION_TYPE.code, message: expect.stringContaining('codec 5 is unknown') })
    expect(decompress(4, compress('zstd', Buffer.from('x')), 6)).toMatchObject({ ok: false, errorCode: Errors.UNSUPPORTED_COMPRESSION_TYPE.code, message: expect.stringContaining('KIP-110') })
  })
})
