/**
 * ApiVersions (key 18), versions 0-3: the first request of a connection (KIP-35). v1 added
 * throttle time, v3 flexible fields and the client's software name and version (KIP-511). The
 * answer lists exactly the APIs and versions this listener serves. A request of a version the
 * broker does not know gets a v0 answer with UNSUPPORTED_VERSION and the version list, so the
 * client can retry with one it shares (KIP-511); the response header is always v0.
 * Not modelled: supported and finalized features (KIP-584), left out as tagged fields allow.
 */
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'

export const apiVersionsCodec: ApiCodec = {
  key: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 3,
  responseHeaderV0: true,
  request: { flexibleFrom: 3, fields: [field('clientSoftwareName', 'string', '3+'), field('clientSoftwareVersion', 'string', '3+')] },
  response: {
    flexibleFrom: 3,
    fields: [
      field('errorCode', 'int16', '0+'),
      structs('apiKeys', '0+', [field('apiKey', 'int16', '0+'), field('minVersion', 'int16', '0+'), field('maxVersion', 'int16', '0+')]),
      field('throttleTimeMs', 'int32', '1+'),
    ],
  },
  async serve(ctx, message, version) {
    if (version >= 3) {
      const req = message as { clientSoftwareName: string; clientSoftwareVersion: string }
      ctx.log('debug', `client ${ctx.clientId} is ${req.clientSoftwareName} ${req.clientSoftwareVersion}`)
    }
    return { errorCode: 0, apiKeys: ctx.served().map((s) => ({ apiKey: s.key, minVersion: s.minVersion, maxVersion: s.maxVersion })) }
  },
}
