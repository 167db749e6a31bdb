/**
 * The payment provider, called synchronously while the customer waits: the one call in the order
 * path that is not an event. A synchronous call needs a timeout, or a slow bank makes every checkout
 * hang; when it passes, the order is declined and the authorisation voided.
 */
import type { Clock, SeededRandom } from '../../src/index.js'
import { workFor } from './processing-time.js'

/** The bank did not answer within the payment timeout. */
export class PaymentTimeoutError extends Error {
  override name = 'PaymentTimeoutError'
  constructor(readonly orderId: string, readonly timeoutMs: number) {
    super(`The payment of ${orderId} did not complete within ${timeoutMs} ms; the order is declined`)
  }
}

/** How the payment provider behaves. */
export interface PaymentOptions {
  /** How long `charge` waits for the bank before giving up (ms). */
  timeoutMs: number
  /** Shortest and longest usual answer time of the bank (ms). */
  latencyMs: readonly [number, number]
  /** The simulated bank: whether it hangs, for `hangMs`, on this order's payment. */
  bankHangs: (orderId: string) => boolean
  hangMs: number
}

/** A payment that went through. */
export interface Payment {
  paymentId: string
  orderId: string
  amount: number
}

/** Charges customers; `charge` resolves when the bank said yes, or rejects with {@link PaymentTimeoutError}. */
export class PaymentService {
  /** Payments charged and not refunded, by order id. */
  readonly charged = new Map<string, Payment>()
  readonly refunded: Payment[] = []
  private nextId = 1

  constructor(
    private readonly clock: Clock,
    private readonly random: SeededRandom,
    readonly options: PaymentOptions,
  ) {}

  /** Charges `amount` cents for `orderId`, waiting at most `options.timeoutMs`. */
  async charge(orderId: string, amount: number): Promise<Payment> {
    const { latencyMs, bankHangs, hangMs, timeoutMs } = this.options
    const answerMs = bankHangs(orderId) ? hangMs : latencyMs[0] + this.random.int(latencyMs[1] - latencyMs[0] + 1)
    const giveUp = new AbortController()
    const timer = this.clock.setTimeout(() => giveUp.abort(new PaymentTimeoutError(orderId, timeoutMs)), timeoutMs)
    try {
      await workFor(this.clock, answerMs, giveUp.signal)
    } finally {
      this.clock.clearTimeout(timer)
    }
    const payment = { paymentId: `pay-${this.nextId++}`, orderId, amount }
    this.charged.set(orderId, payment)
    return payment
  }

  /** Gives the money back (the order could not be confirmed after all). */
  refund(payment: Payment): void {
    this.charged.delete(payment.orderId)
    this.refunded.push(payment)
  }
}
