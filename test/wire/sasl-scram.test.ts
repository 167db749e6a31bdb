/**
 * SASL/SCRAM-SHA-256 and SCRAM-SHA-512 on the listener (RFC 5802, RFC 7677, KIP-84): the unmocked KafkaJS client
 * authenticates with each and is refused with a wrong password (SASL_AUTHENTICATION_FAILED, then a closed
 * connection); a hand-written client drives the raw tokens of a SaslHandshake v0 and checks the server's signature.
 */
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto'
import { Kafka, logLevel, type SASLOptions } from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../src/cluster.js'
import { Errors } from '../../src/protocol/index.js'
import { metadataCodec } from '../../src/wire/apis/03-metadata.js'
import { saslHandshakeCodec } from '../../src/wire/apis/17-sasl-handshake.js'
import { saslAuthenticateCodec } from '../../src/wire/apis/36-sasl-authenticate.js'
import type { ListenOptions } from '../../src/wire/listener.js'
import { RawClient } from './raw-client.js'

const clusters: Cluster[] = []
const logs: string[] = []

afterEach(async () => {
  for (const c of clusters.splice(0)) await c.close()
  logs.length = 0
})

async function listen(options: ListenOptions): Promise<string[]> {
  const cluster = new Cluster({ brokers: 1 })
  clusters.push(cluster)
  const listener = await cluster.listen({ port: 0, log: (level, line) => logs.push(`${level} ${line}`), ...options })
  return [...listener.brokers]
}

function kafka(brokers: string[], sasl: SASLOptions): Kafka {
  return new Kafka({ brokers, logLevel: logLevel.NOTHING, sasl, retry: { retries: 0 } })
}

/** A SCRAM client, written here from RFC 5802, to drive the raw exchange. */
function scramClient(hash: 'sha256' | 'sha512', user: string, password: string) {
  const nonce = 'fyko+d2lbbFgONRv9qkxdawL'
  const first = `n=${user},r=${nonce}`
  const hmac = (key: Buffer, text: string) => createHmac(hash, key).update(text).digest()
  let serverKey = Buffer.alloc(0)
  let authMessage = ''
  return {
    first: Buffer.from(`n,,${first}`),
    final(serverFirst: string): Buffer {
      const fields = Object.fromEntries(serverFirst.split(',').map((p) => [p[0], p.slice(2)]))
      const salted = pbkdf2Sync(password, Buffer.from(fields['s']!, 'base64'), Number(fields['i']), hash === 'sha256' ? 32 : 64, hash)
      const clientKey = hmac(salted, 'Client Key')
      serverKey = hmac(salted, 'Server Key')
      const withoutProof = `c=biws,r=${fields['r']}`
      authMessage = `${first},${serverFirst},${withoutProof}`
      const signature = hmac(createHash(hash).update(clientKey).digest(), authMessage)
      const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!))
      return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`)
    },
    expectedServerFinal: () => `v=${hmac(serverKey, authMessage).toString('base64')}`,
  }
}

function sized(token: Buffer): Buffer {
  const size = Buffer.alloc(4)
  size.writeInt32BE(token.length)
  return Buffer.concat([size, token])
}

describe('SASL/SCRAM on the listener', () => {
  it('KafkaJS authenticates with scram-sha-256 and scram-sha-512, and a wrong password is SASL_AUTHENTICATION_FAILED', async () => {
    const brokers = await listen({ sasl: { users: { alice: 'alice-secret' } } })
    for (const mechanism of ['scram-sha-256', 'scram-sha-512'] as const) {
      const admin = kafka(brokers, { mechanism, username: 'alice', password: 'alice-secret' }).admin()
      await admin.connect()
      expect(await admin.createTopics({ topics: [{ topic: `t-${mechanism}` }] })).toBe(true)
      await admin.disconnect()
      await expect(kafka(brokers, { mechanism, username: 'alice', password: 'wrong' }).admin().connect()).rejects.toThrow(
        new RegExp(`authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism.toUpperCase()}`),
      )
      await expect(kafka(brokers, { mechanism, username: 'mallory', password: 'x' }).admin().connect()).rejects.toThrow(/authentication failed/)
    }
    expect(logs.filter((line) => line.includes('authentication failed: user alice'))).toHaveLength(2)
    expect(logs.filter((line) => line.includes('authentication failed: unknown user mallory'))).toHaveLength(2)
  }, 30_000)

  it('offers only the configured mechanisms: a PLAIN client is refused UNSUPPORTED_SASL_MECHANISM', async () => {
    const brokers = await listen({ sasl: { users: { alice: 's' }, mechanisms: ['SCRAM-SHA-512'] } })
    const client = await RawClient.open(brokers[0]!)
    expect(await client.request(saslHandshakeCodec, 1, { mechanism: 'PLAIN' })).toEqual({ errorCode: Errors.UNSUPPORTED_SASL_MECHANISM.code, mechanisms: ['SCRAM-SHA-512'] })
    client.close()
    await expect(listen({ sasl: { users: {}, mechanisms: ['GSSAPI' as 'PLAIN'] } })).rejects.toThrow(/unknown SASL mechanism GSSAPI/)
  })

  it('serves the raw SCRAM tokens after a SaslHandshake v0 and signs the exchange with the server key', async () => {
    const brokers = await listen({ sasl: { users: { alice: 'pencil' } } })
    const client = await RawClient.open(brokers[0]!)
    expect(await client.request(saslHandshakeCodec, 0, { mechanism: 'SCRAM-SHA-256' })).toMatchObject({ errorCode: 0 })
    const scram = scramClient('sha256', 'alice', 'pencil')
    const serverFirst = (await client.sendRaw(sized(scram.first))).toString()
    expect(serverFirst).toMatch(/^r=fyko\+d2lbbFgONRv9qkxdawL[^,]+,s=[^,]+,i=4096$/)
    const serverFinal = (await client.sendRaw(sized(scram.final(serverFirst)))).toString()
    expect(serverFinal).toBe(scram.expectedServerFinal())
    expect(((await client.request(metadataCodec, 1, { topics: [] })) as { brokers: unknown[] }).brokers).toHaveLength(1)
    client.close()
  })

  it('a SaslAuthenticate with a forged proof is SASL_AUTHENTICATION_FAILED and the connection closes', async () => {
    const brokers = await listen({ sasl: { users: { alice: 'pencil' }, mechanisms: ['SCRAM-SHA-512'] } })
    const client = await RawClient.open(brokers[0]!)
    await client.request(saslHandshakeCodec, 1, { mechanism: 'SCRAM-SHA-512' })
    const scram = scramClient('sha512', 'alice', 'not-pencil')
    const first = (await client.request(saslAuthenticateCodec, 1, { authBytes: scram.first })) as { errorCode: number; authBytes: Buffer }
    expect(first.errorCode).toBe(0)
    const final = (await client.request(saslAuthenticateCodec, 1, { authBytes: scram.final(first.authBytes.toString()) })) as { errorCode: number; errorMessage: string }
    expect(final).toMatchObject({ errorCode: Errors.SASL_AUTHENTICATION_FAILED.code, errorMessage: expect.stringContaining('SCRAM-SHA-512') })
    await client.closed
  })
})
