/** SASL/PLAIN (RFC 4616): the client sends `authzid NUL user NUL password` once; the listener checks it against its users. */
import type { SaslState } from './api-codec.js'

/** The user the PLAIN message authenticates, or null when it is malformed or the password is wrong. */
export function authenticatePlain(sasl: SaslState, bytes: Buffer): { ok: true; user: string } | { ok: false; reason: string } {
  const parts = bytes.toString('utf8').split('\u0000')
  if (parts.length !== 3 || parts[1] === '') return { ok: false, reason: 'a malformed PLAIN message' }
  const user = parts[1]!
  if (sasl.users.get(user) !== parts[2]) return { ok: false, reason: `user ${user}` }
  sasl.authenticatedAs = user
  return { ok: true, user }
}
