/**
 * SaslHandshake (key 17), versions 0-1: the client names its SASL mechanism. After v0 the next
 * frame is the raw PLAIN message (KIP-43); after v1 it comes in a SaslAuthenticate request
 * (KIP-152). kafkalite offers PLAIN when the listener has users, and nothing otherwise
 * (UNSUPPORTED_SASL_MECHANISM for every mechanism). Not modelled: SCRAM, GSSAPI, OAUTHBEARER.
 */
import { Errors } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
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
    const offered = ctx.sasl.users.size > 0 ? ['PLAIN'] : []
    if (ctx.sasl.mechanism !== null) return { errorCode: Errors.ILLEGAL_SASL_STATE.code, mechanisms: offered }
    if (!offered.includes(mechanism)) {
      ctx.log('warn', `SASL mechanism ${mechanism} refused: the listener offers [${offered.join(', ')}]`)
      return { errorCode: Errors.UNSUPPORTED_SASL_MECHANISM.code, mechanisms: offered }
    }
    ctx.sasl.mechanism = mechanism
    ctx.sasl.rawTokenNext = version === 0
    return { errorCode: 0, mechanisms: offered }
  },
}
