/** SASL/PLAIN (RFC 4616): the client sends `authzid NUL user NUL password` once; the listener checks it against its users. */
import type { SaslExchange } from './sasl-exchange.js'

/** A PLAIN authentication against `users` (name to password): one token, then success or failure. */
export function plainExchange(users: ReadonlyMap<string, string>): SaslExchange {
  return {
    step(token) {
      const parts = token.toString('utf8').split('\u0000')
      if (parts.length !== 3 || parts[1] === '') return { kind: 'failed', reason: 'a malformed PLAIN message' }
      const [authzid, user, password] = parts as [string, string, string]
      // Kafka's PlainSaslServer: an authorization id, if given, must be the user itself.
      if (authzid !== '' && authzid !== user) return { kind: 'failed', reason: `user ${user} asked to act as ${authzid}` }
      if (users.get(user) !== password) return { kind: 'failed', reason: `user ${user}` }
      return { kind: 'authenticated', user, response: Buffer.alloc(0) }
    },
  }
}
