/** The shape every SASL mechanism of the listener shares: tokens in, one step at a time. */

/** What one client token leads to: another challenge, success as a user, or failure (the connection then closes). */
export type SaslStep =
  | { readonly kind: 'challenge'; readonly response: Buffer }
  | { readonly kind: 'authenticated'; readonly user: string; readonly response: Buffer }
  | { readonly kind: 'failed'; readonly reason: string }

/** One authentication in progress on one connection. */
export interface SaslExchange {
  step(token: Buffer): SaslStep
}
