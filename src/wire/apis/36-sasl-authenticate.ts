/**
 * SaslAuthenticate (key 36), versions 0-1: carries the SASL mechanism's bytes after a v1
 * handshake; v1 added the session lifetime (0: no re-authentication, KIP-368). PLAIN (RFC 4616):
 * `authzid NUL user NUL password`, checked against the listener's users; a failure is
 * SASL_AUTHENTICATION_FAILED, and the connection then closes, as Kafka closes it.
 * Not served: v2 (flexible fields).
 */
import { Errors } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { field } from '../schema.js'

/** Parses PLAIN's `authzid\0user\0password`; null if malformed. */
function parsePlain(bytes: Buffer): { user: string; password: string } | null {
  const parts = bytes.toString('utf8').split('\u0000')
  if (parts.length !== 3 || parts[1] === '') return null
  return { user: parts[1]!, password: parts[2]! }
}

export const saslAuthenticateCodec: ApiCodec = {
  key: 36,
  name: 'SaslAuthenticate',
  minVersion: 0,
  maxVersion: 1,
  request: { flexibleFrom: 2, fields: [field('authBytes', 'bytes', '0+')] },
  response: {
    flexibleFrom: 2,
    fields: [field('errorCode', 'int16', '0+'), field('errorMessage', 'string', '0+', { nullable: '0+' }), field('authBytes', 'bytes', '0+'), field('sessionLifetimeMs', 'int64', '1+')],
  },
  async serve(ctx, message) {
    if (ctx.sasl.mechanism !== 'PLAIN' || ctx.sasl.authenticatedAs !== null) {
      return { errorCode: Errors.ILLEGAL_SASL_STATE.code, errorMessage: 'SaslAuthenticate needs a successful SaslHandshake for PLAIN first' }
    }
    const credentials = parsePlain((message as { authBytes: Buffer }).authBytes)
    if (credentials === null || ctx.sasl.users.get(credentials.user) !== credentials.password) {
      ctx.log('warn', `SASL/PLAIN authentication failed for ${credentials?.user ?? 'a malformed PLAIN message'}`)
      return { errorCode: Errors.SASL_AUTHENTICATION_FAILED.code, errorMessage: 'Authentication failed: invalid username or password' }
    }
    ctx.sasl.authenticatedAs = credentials.user
    return { errorCode: 0, errorMessage: null }
  },
}
