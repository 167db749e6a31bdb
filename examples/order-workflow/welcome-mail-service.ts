/**
 * The welcome-mail service: greets each new customer (consumer group `welcome-mail` on `signup`).
 * `signup` has 2 partitions, so at most 2 instances have work: a third one joins the group and gets
 * no partition, because each partition is read by one member of a group at a time.
 */
import { KafkaListener, type Clock, type ListenerContext } from '../../src/index.js'
import { EffectLedger } from './effect-ledger.js'
import { signedUp, type SignedUp } from './events.js'
import { workFor } from './processing-time.js'

/** A welcome e-mail. */
export interface WelcomeMail {
  email: string
}

/** The mails sent, shared by the instances. */
export class WelcomeMailStore {
  readonly mails = new EffectLedger<WelcomeMail>('welcome-mail: welcome')
}

/** One instance of the welcome-mail service. */
export class WelcomeMailService {
  constructor(
    readonly name: string,
    private readonly store: WelcomeMailStore,
    private readonly clock: Clock,
    private readonly processingMs: number,
  ) {}

  @KafkaListener({ topic: signedUp, groupId: 'welcome-mail', fromBeginning: true })
  async welcome(event: SignedUp, context: ListenerContext): Promise<void> {
    const delivery = this.store.mails.recordDelivery(event.customerId, this.name, context, this.clock.now())
    await workFor(this.clock, this.processingMs, context.signal)
    this.store.mails.applyOnce(delivery, this.clock.now(), { email: event.email })
  }
}
