/**
 * SaslHandshake (key 17), versions 0-1: the client names its SASL mechanism. After v0 the next frames are the
 * raw SASL tokens (KIP-43); after v1 they come in SaslAuthenticate requests (KIP-152). kafkalite offers the
 * listener's mechanisms (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) when it has users, and nothing otherwise
 * (UNSUPPORTED_SASL_MECHANISM for every mechanism). Not modelled: GSSAPI, OAUTHBEARER.
 */
import { Errors } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import type { SaslMechanism } from '../sasl.js'
import { field, scalars } from '../schema.js'

export const saslHandshakeCodec: ApiCodec = {
  key: 17,
  name: 'SaslHandshake',
  minVersion: 0,
  maxVersion: 1,
  request: { flexibleFrom: Infinity, fields: [field('mechanism', 'string', '0+')] },
  response: { flexibleFrom: Infinity, fields: [field('errorCode', 'int16', '0+'), scalars('mechanisms', 'string', '0+')] },
  async serve(ctx, message, version) {
    const mechanism = (message as { mechanism: string }).mechanism
    const { authenticator } = ctx.sasl
    const offered: readonly SaslMechanism[] = authenticator.enabled ? authenticator.mechanisms : []
    if (ctx.sasl.mechanism !== null) return { errorCode: Errors.ILLEGAL_SASL_STATE.code, mechanisms: offered }
    const chosen = offered.find((m) => m === mechanism)
    if (chosen === undefined) {
      ctx.log('warn', `SASL mechanism ${mechanism} refused: the listener offers [${offered.join(', ')}]`)
      return { errorCode: Errors.UNSUPPORTED_SASL_MECHANISM.code, mechanisms: offered }
    }
    ctx.sasl.mechanism = chosen
    ctx.sasl.exchange = authenticator.start(chosen)
    ctx.sasl.rawTokenNext = version === 0
    return { errorCode: 0, mechanisms: offered }
  },
}
