/**
 * SaslAuthenticate (key 36), versions 0-1: carries the SASL mechanism's tokens after a v1 handshake, one
 * request per token (PLAIN: one; SCRAM: client-first, then client-final); v1 added the session lifetime
 * (0: no re-authentication, KIP-368). A failure is SASL_AUTHENTICATION_FAILED with Kafka's message, and the
 * connection then closes, as Kafka closes it. Not served: v2 (flexible fields).
 */
import { Errors } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
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
    const { sasl } = ctx
    if (sasl.exchange === null || sasl.authenticatedAs !== null) {
      return { errorCode: Errors.ILLEGAL_SASL_STATE.code, errorMessage: 'SaslAuthenticate needs a successful SaslHandshake first' }
    }
    const step = sasl.exchange.step((message as { authBytes: Buffer }).authBytes)
    if (step.kind === 'failed') {
      sasl.exchange = null
      ctx.log('warn', `SASL/${sasl.mechanism} authentication failed: ${step.reason}`)
      return { errorCode: Errors.SASL_AUTHENTICATION_FAILED.code, errorMessage: authenticationFailedMessage(sasl.mechanism!) }
    }
    if (step.kind === 'authenticated') {
      sasl.exchange = null
      sasl.authenticatedAs = step.user
    }
    return { errorCode: 0, errorMessage: null, authBytes: step.response, sessionLifetimeMs: 0 }
  },
}

/** Kafka's message for a failed authentication (its SaslServerAuthenticator's), by mechanism. */
function authenticationFailedMessage(mechanism: string): string {
  return mechanism === 'PLAIN'
    ? 'Authentication failed: Invalid username or password'
    : `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`
}
