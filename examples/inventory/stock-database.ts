/**
 * The inventory service's database: stock per SKU and the reservations made against it. It outlives any one
 * process of the service (it is the outside world), and a process that has crashed can no longer write to it.
 */

/** An order asks to reserve `quantity` of `sku`. */
export interface Order {
  readonly orderId: string
  readonly sku: string
  readonly quantity: number
}

/** One reservation the database holds. */
export interface Reservation extends Order {
  /** The service process that made it. */
  readonly by: string
}

/** Thrown to a process that writes after it crashed: its effects never happen. */
export class ProcessCrashedError extends Error {
  constructor(process: string) {
    super(`${process} has crashed: it can no longer write to the database`)
    this.name = 'ProcessCrashedError'
  }
}

export class StockDatabase {
  readonly reservations: Reservation[] = []
  private readonly stock = new Map<string, number>()
  private readonly crashed = new Set<string>()

  constructor(initial: Record<string, number>) {
    for (const [sku, quantity] of Object.entries(initial)) this.stock.set(sku, quantity)
  }

  /** How much of `sku` is left. */
  available(sku: string): number {
    return this.stock.get(sku) ?? 0
  }

  /** The test's nemesis: `process` dies; whatever it writes from now on is lost. */
  crash(process: string): void {
    this.crashed.add(process)
  }

  /** Reserves the order's stock; applied as often as it is called. */
  reserve(order: Order, by: string): void {
    if (this.crashed.has(by)) throw new ProcessCrashedError(by)
    this.stock.set(order.sku, this.available(order.sku) - order.quantity)
    this.reservations.push({ ...order, by })
  }

  /**
   * Reserves the order's stock unless a reservation for its order id exists: the check and the write are one
   * transaction of the database, so the order id is an effect ledger (an idempotent consumer's key).
   */
  reserveOnce(order: Order, by: string): void {
    if (this.reservations.some((r) => r.orderId === order.orderId)) return
    this.reserve(order, by)
  }
}
