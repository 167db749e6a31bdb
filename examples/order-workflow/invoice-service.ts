/**
 * The invoice service: renders an invoice per order. Two failures, handled differently:
 * - the renderer sometimes hangs; each attempt has a timeout, and a retry (after a backoff on the
 *   cluster clock) usually succeeds: a transient error is worth retrying;
 * - an order whose billing address is invalid can never be invoiced; retrying would only block the
 *   partition, so the error is marked not retryable and the order goes at once to the dead-letter
 *   topic `order-placed-dlt`, with Spring Kafka's headers saying where it came from and why.
 */
import { KafkaListener, type Clock, type ListenerContext, type SeededRandom } from '../../src/index.js'
import { EffectLedger, type Delivery } from './effect-ledger.js'
import { ORDER_PLACED_DLT, orderPlaced, type OrderPlaced } from './events.js'
import { workFor } from './processing-time.js'

/** The order's billing address cannot be invoiced: no retry will change that. */
export class InvalidBillingAddressError extends Error {
  override name = 'InvalidBillingAddressError'
}

/** Each attempt's time limit: a rendering that takes longer is abandoned (its signal aborts). */
export const INVOICE_TIMEOUT_MS = 1_000
/** Attempts per order, the first included. */
export const INVOICE_ATTEMPTS = 4

/** An issued invoice. */
export interface Invoice {
  invoiceNumber: string
  amount: number
}

/** How the renderer behaves. */
export interface InvoiceOptions {
  /** Usual rendering time (ms). */
  renderMs: number
  /** Share of attempts on which the renderer hangs for `hangMs` (0..1). */
  hangRate: number
  hangMs: number
}

/** The invoices issued, shared by the instances. */
export class InvoiceStore {
  readonly invoices = new EffectLedger<Invoice>('invoice: issue invoice')
  private nextNumber = 1

  issue(delivery: Delivery, at: number, amount: number): void {
    if (!this.invoices.has(delivery.key)) this.invoices.applyOnce(delivery, at, { invoiceNumber: `INV-${this.nextNumber++}`, amount })
  }
}

/** Why an address cannot be invoiced, or undefined if it can. */
export function billingAddressProblem(address: OrderPlaced['billingAddress']): string | undefined {
  if (!/^\d{5}$/.test(address.postcode)) return `postcode ${JSON.stringify(address.postcode)} is not 5 digits`
  if (address.street.trim() === '') return 'the street is empty'
  return undefined
}

/** One instance of the invoice service. */
export class InvoiceService {
  constructor(
    readonly name: string,
    private readonly store: InvoiceStore,
    private readonly clock: Clock,
    private readonly random: SeededRandom,
    private readonly options: InvoiceOptions,
  ) {}

  @KafkaListener({
    topic: orderPlaced,
    groupId: 'invoice',
    fromBeginning: true,
    retry: { attempts: INVOICE_ATTEMPTS, initialBackoffMs: 200, maxBackoffMs: 2_000, timeoutMs: INVOICE_TIMEOUT_MS, notRetryable: [InvalidBillingAddressError] },
    deadLetter: { topic: ORDER_PLACED_DLT },
  })
  async generateInvoice(order: OrderPlaced, context: ListenerContext): Promise<void> {
    const delivery = this.store.invoices.recordDelivery(order.orderId, this.name, context, this.clock.now())
    const problem = billingAddressProblem(order.billingAddress)
    if (problem !== undefined) throw new InvalidBillingAddressError(`Cannot invoice ${order.orderId}: ${problem}`)
    const renderMs = this.random.next() < this.options.hangRate ? this.options.hangMs : this.options.renderMs
    await workFor(this.clock, renderMs, context.signal)
    this.store.issue(delivery, this.clock.now(), order.total)
  }
}
