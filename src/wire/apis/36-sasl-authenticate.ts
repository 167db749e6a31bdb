/**
 * SaslAuthenticate (key 36), versions 0-1: carries the SASL mechanism's bytes after a v1
 * handshake; v1 added the session lifetime (0: no re-authentication, KIP-368). PLAIN (RFC 4616):
 * `authzid NUL user NUL password`, checked against the listener's users; a failure is
 * SASL_AUTHENTICATION_FAILED, and the connection then closes, as Kafka closes it.
 * Not served: v2 (flexible fields).
 */
import { Errors } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { authenticatePlain } from '../sasl-plain.js'
import { field } from '../schema.js'

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
    const result = authenticatePlain(ctx.sasl, (message as { authBytes: Buffer }).authBytes)
    if (!result.ok) {
      ctx.log('warn', `SASL/PLAIN authentication failed for ${result.reason}`)
      return { errorCode: Errors.SASL_AUTHENTICATION_FAILED.code, errorMessage: 'Authentication failed: invalid username or password' }
    }
    return { errorCode: 0, errorMessage: null }
  },
}
