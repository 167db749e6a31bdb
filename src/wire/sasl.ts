/**
 * SASL on the listener (KIP-43, KIP-152): the mechanisms it offers and the users they check. PLAIN (RFC 4616)
 * and SCRAM-SHA-256/512 (RFC 5802, RFC 7677, KIP-84) share one shape, a SaslExchange that takes the
 * client's tokens one at a time, so SaslAuthenticate and the raw tokens after a SaslHandshake v0 drive all of them.
 */
import type { SaslExchange } from './sasl-exchange.js'
import { plainExchange } from './sasl-plain.js'
import { ScramCredentials, scramExchange } from './sasl-scram.js'

/** The SASL mechanisms kafkalite's listener can offer (Kafka's `sasl.enabled.mechanisms` names). */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const
export type SaslMechanism = (typeof SASL_MECHANISMS)[number]

/** The listener's SASL configuration: its users (name to password) and the mechanisms it offers for them. */
export class SaslAuthenticator {
  private readonly scram = new Map<SaslMechanism, ScramCredentials>()

  constructor(
    private readonly users: ReadonlyMap<string, string>,
    /** Offered in this order in SaslHandshake answers. */
    readonly mechanisms: readonly SaslMechanism[],
  ) {
    for (const mechanism of mechanisms) if (mechanism !== 'PLAIN') this.scram.set(mechanism, new ScramCredentials(mechanism, users))
  }

  /** Whether clients must authenticate: some user and some mechanism are configured. Off, every client is served. */
  get enabled(): boolean {
    return this.users.size > 0 && this.mechanisms.length > 0
  }

  /** Starts an authentication with `mechanism`, one the listener offers. */
  start(mechanism: SaslMechanism): SaslExchange {
    const credentials = this.scram.get(mechanism)
    return credentials === undefined ? plainExchange(this.users) : scramExchange(credentials)
  }
}
