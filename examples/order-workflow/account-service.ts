/** Sign-ups: a new customer's account is created and a `SignedUp` event published (acks=all). */
import type { Clock, Producer } from '../../src/index.js'
import { signedUp } from './events.js'

/** Creates customer accounts. */
export class AccountService {
  constructor(
    private readonly clock: Clock,
    private readonly producer: Producer,
  ) {}

  /** Publishes `SignedUp`, keyed by customer id; the welcome-mail service reacts to it. */
  async signUp(customerId: string, email: string): Promise<void> {
    await signedUp.send(this.producer, { customerId, email, signedUpAt: this.clock.now() }, { acks: -1 })
  }
}
