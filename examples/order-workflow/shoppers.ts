/**
 * The shop's customers and what they order, drawn from a seeded random: the same seed gives the
 * same customers, orders and mistakes (a billing address that cannot be invoiced) every run.
 */
import type { SeededRandom } from '../../src/index.js'
import type { OrderLine } from './events.js'
import type { OrderRequest } from './order-service.js'

/** What the shop sells: SKU and unit price in cents. */
export const CATALOGUE: ReadonlyArray<readonly [string, number]> = [
  ['kettle', 2_499],
  ['teapot', 1_899],
  ['mug', 699],
  ['tea-tin', 1_250],
  ['strainer', 450],
]

/** Units of each SKU in stock at the start. */
export const INITIAL_STOCK_PER_SKU = 1_000_000

const SELLERS = ['seller-anna', 'seller-bert', 'seller-chloe']
const STREETS = ['1 Mill Lane', '22 Harbour Road', '7 Rue Haute', '3 Kastanienallee', '90 Via Roma']
const CITIES = ['Ghent', 'Lyon', 'Berlin', 'Turin', 'Leeds']

/** An order to place, and whether this customer signs up first. */
export interface Shopper {
  request: OrderRequest
  /** Set when this is the customer's first order: sign up before ordering. */
  signUp?: { email: string }
  /** The customer's bank hangs on this payment, past the order service's payment timeout. */
  bankHangs: boolean
}

/** How often customers make trouble (0..1 each). */
export interface ShopperMistakes {
  /** Share of orders whose billing postcode the invoice service rejects. */
  invalidAddressRate: number
  /** Share of payments on which the customer's bank hangs. */
  bankHangRate: number
}

/** The id of the n-th order (from 1): `order-0001`. */
export function orderId(n: number): string {
  return `order-${String(n).padStart(4, '0')}`
}

/**
 * `count` shoppers. About one in three orders comes from a new customer. Mistakes come at their
 * rates, and so that every faulty run shows each: when its rate is above 0, order 3's bank hangs
 * and order 5's billing address is invalid.
 */
export function shoppers(random: SeededRandom, count: number, mistakes: ShopperMistakes): Shopper[] {
  const customers: string[] = []
  const result: Shopper[] = []
  for (let n = 1; n <= count; n++) {
    const isNew = customers.length === 0 || random.next() < 1 / 3
    if (isNew) customers.push(`customer-${String(customers.length + 1).padStart(3, '0')}`)
    const customerId = isNew ? customers[customers.length - 1]! : random.pick(customers)
    const lines: OrderLine[] = Array.from({ length: 1 + random.int(3) }, () => {
      const [sku, unitPrice] = random.pick(CATALOGUE)
      return { sku, quantity: 1 + random.int(3), unitPrice }
    })
    const invalid = mistakes.invalidAddressRate > 0 && (n === 5 || random.next() < mistakes.invalidAddressRate)
    const bankHangs = mistakes.bankHangRate > 0 && (n === 3 || random.next() < mistakes.bankHangRate)
    const city = random.pick(CITIES)
    const billingAddress = { street: random.pick(STREETS), postcode: invalid ? 'N/A' : String(10_000 + random.int(90_000)), city }
    const request: OrderRequest = { orderId: orderId(n), customerId, sellerId: random.pick(SELLERS), lines, billingAddress }
    result.push(isNew ? { request, signUp: { email: `${customerId}@example.com` }, bankHangs } : { request, bankHangs })
  }
  return result
}
