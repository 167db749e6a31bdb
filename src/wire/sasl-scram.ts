/**
 * SASL/SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677; Kafka's KIP-84), server side. Three messages:
 *
 *   client-first  `n,,n=<user>,r=<client nonce>`
 *   server-first  `r=<client nonce + server nonce>,s=<salt>,i=<iterations>`
 *   client-final  `c=<base64 of the GS2 header>,r=<nonce>,p=<client proof>`
 *   server-final  `v=<server signature>`
 *
 * The listener keeps only each user's salted keys (StoredKey, ServerKey), as Kafka keeps SCRAM credentials, made
 * once at listen time with Kafka's default 4096 iterations. Nonces and salts come from node:crypto, not the
 * cluster's seeded random: RFC 5802 needs them unpredictable, and the model's replayable randomness is not.
 * Not modelled: channel binding (`p=` GS2 flag, which Kafka refuses too) and delegation tokens (`tokenauth`).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'
import type { SaslExchange, SaslStep } from './sasl-exchange.js'

/** Kafka's default (and minimum) SCRAM iteration count (`kafka-configs --add-config 'SCRAM-SHA-256=[iterations=4096,...]'`). */
const ITERATIONS = 4096

interface UserKeys {
  readonly salt: Buffer
  readonly storedKey: Buffer
  readonly serverKey: Buffer
}

/** The SCRAM credentials of every user for one mechanism. */
export class ScramCredentials {
  readonly hash: 'sha256' | 'sha512'
  private readonly keys = new Map<string, UserKeys>()

  constructor(
    readonly mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512',
    users: ReadonlyMap<string, string>,
  ) {
    this.hash = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512'
    const length = this.hash === 'sha256' ? 32 : 64
    for (const [user, password] of users) {
      const salt = randomBytes(16)
      const salted = pbkdf2Sync(Buffer.from(password.normalize('NFKC'), 'utf8'), salt, ITERATIONS, length, this.hash)
      const clientKey = this.hmac(salted, 'Client Key')
      this.keys.set(user, { salt, storedKey: createHash(this.hash).update(clientKey).digest(), serverKey: this.hmac(salted, 'Server Key') })
    }
  }

  /** The salted keys of `user`, if it has any. */
  of(user: string): UserKeys | undefined {
    return this.keys.get(user)
  }

  hmac(key: Buffer, text: string): Buffer {
    return createHmac(this.hash, key).update(text, 'utf8').digest()
  }
}

/** The `k=v` attributes of a SCRAM message, in order; null when one is malformed. */
function attributes(message: string): Array<[string, string]> | null {
  const out: Array<[string, string]> = []
  for (const part of message.split(',')) {
    if (part.length < 2 || part[1] !== '=') return null
    out.push([part[0]!, part.slice(2)])
  }
  return out
}

/** A SCRAM user name with RFC 5802's escapes (`=2C` for a comma, `=3D` for an equals sign) undone; null when an escape is invalid. */
function saslName(escaped: string): string | null {
  if (/=(?!2C|3D)/.test(escaped)) return null
  return escaped.replace(/=2C/g, ',').replace(/=3D/g, '=')
}

function failed(reason: string): SaslStep {
  return { kind: 'failed', reason }
}

/** One SCRAM authentication: client-first, then client-final. */
export function scramExchange(credentials: ScramCredentials): SaslExchange {
  let state: { readonly user: string; readonly keys: UserKeys; readonly gs2Header: string; readonly nonce: string; readonly authPrefix: string } | null = null
  let done = false
  return {
    step(token) {
      if (done) return failed('a SCRAM exchange that already ended got another message')
      const message = token.toString('utf8')
      if (state === null) {
        // client-first: gs2-header ("n," or "y,", then an optional "a=authzid", then ","), then client-first-bare.
        const match = /^([ny]),(a=[^,]*)?,(.*)$/s.exec(message)
        if (match === null) {
          done = true
          return failed(message.startsWith('p=') ? 'SCRAM channel binding is not supported' : 'a malformed SCRAM client-first message')
        }
        const bare = match[3]!
        const fields = attributes(bare)
        const user = fields?.[0]?.[0] === 'n' ? saslName(fields[0][1]) : null
        const clientNonce = fields?.[1]?.[0] === 'r' ? fields[1][1] : ''
        if (fields === null || user === null || clientNonce === '') {
          done = true
          return failed('a malformed SCRAM client-first message')
        }
        const authzid = match[2] === undefined ? null : saslName(match[2].slice(2))
        const keys = credentials.of(user)
        if (keys === undefined || (authzid !== null && authzid !== user)) {
          done = true
          return failed(keys === undefined ? `unknown user ${user}` : `user ${user} asked to act as ${authzid}`)
        }
        const nonce = clientNonce + randomBytes(18).toString('base64')
        const serverFirst = `r=${nonce},s=${keys.salt.toString('base64')},i=${ITERATIONS}`
        state = { user, keys, gs2Header: message.slice(0, message.length - bare.length), nonce, authPrefix: `${bare},${serverFirst}` }
        return { kind: 'challenge', response: Buffer.from(serverFirst, 'utf8') }
      }
      done = true
      // client-final: c=..., r=..., [extensions,] p=...; the proof signs everything before ",p=".
      const proofAt = message.lastIndexOf(',p=')
      const fields = proofAt < 0 ? null : attributes(message.slice(0, proofAt))
      if (fields === null || fields[0]?.[0] !== 'c' || fields[1]?.[0] !== 'r') return failed('a malformed SCRAM client-final message')
      if (Buffer.from(fields[0][1], 'base64').toString('utf8') !== state.gs2Header) return failed('the SCRAM channel binding does not match the client-first message')
      // RFC 5802 wants the nonce repeated exactly; Kafka's ScramSaslServer accepts any nonce that ends with it, and
      // librdkafka 2.0 (Debian's) sends its client nonce once more in front. The proof still signs what was sent.
      if (!fields[1][1].endsWith(state.nonce)) return failed('the SCRAM nonce does not match')
      const authMessage = `${state.authPrefix},${message.slice(0, proofAt)}`
      const proof = Buffer.from(message.slice(proofAt + 3), 'base64')
      const signature = credentials.hmac(state.keys.storedKey, authMessage)
      if (proof.length !== signature.length) return failed(`user ${state.user}`)
      const clientKey = Buffer.alloc(proof.length)
      for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!
      if (!timingSafeEqual(createHash(credentials.hash).update(clientKey).digest(), state.keys.storedKey)) return failed(`user ${state.user}`)
      const verifier = credentials.hmac(state.keys.serverKey, authMessage).toString('base64')
      return { kind: 'authenticated', user: state.user, response: Buffer.from(`v=${verifier}`, 'utf8') }
    },
  }
}
