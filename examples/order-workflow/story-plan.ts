/**
 * The story's plan: its phases (steady trading, a burst, after the scale-out), their pace, and the
 * faults of a run (which broker crashes when, how often payments and invoices hang, how many
 * billing addresses are invalid).
 */

/** Time between two orders while trading is steady (ms): slower than the inventory's 500 ms per order. */
export const STEADY_EVERY_MS = 600
/** Time between two orders in the burst (ms): far faster than one inventory instance can go. */
export const BURST_EVERY_MS = 20
/** Share of confirmed orders the customer cancels, `CANCEL_AFTER_MS` after the confirmation. */
export const CANCEL_RATE = 0.1
export const CANCEL_AFTER_MS = 1_500
/** How long after the burst two more inventory instances start (ms). */
export const SCALE_OUT_AFTER_BURST_MS = 2_000

/** Crash a broker just before order number `atOrder` (from 1) is placed. */
export interface CrashPlan {
  atOrder: number
  /** Which broker (default: the leader of `order-placed` partition 0 at that moment). */
  brokerId?: number
  /** Restart it this long after the crash (default: never). */
  restartAfterMs?: number
}

/** Every fault of a run. */
export interface FaultSchedule {
  crash?: CrashPlan
  /** Share of payments on which the customer's bank hangs past the payment timeout (order 3's always does, when above 0). */
  paymentHangRate: number
  /** Share of invoice attempts on which the renderer hangs past the invoice timeout. */
  invoiceHangRate: number
  /** Share of orders whose billing address the invoice service rejects (order 5's always is, when above 0). */
  invalidAddressRate: number
}

/** No faults at all. */
export const NO_FAULTS: FaultSchedule = { paymentHangRate: 0, invoiceHangRate: 0, invalidAddressRate: 0 }

/** The story's phases, with the order count of each. */
export interface Phases {
  steady: number
  burst: number
  afterScaleOut: number
}

/** 20% steady, 60% burst, the rest after the scale-out. */
export function phasesFor(orders: number): Phases {
  const steady = Math.max(1, Math.round(orders * 0.2))
  const burst = Math.min(orders - steady, Math.max(0, Math.round(orders * 0.6)))
  return { steady, burst, afterScaleOut: orders - steady - burst }
}

/** The faults of the demo: a crash in the middle of the burst, restarted 8 s later, and a few flaky services. */
export function defaultFaults(orders: number): FaultSchedule {
  const { steady, burst } = phasesFor(orders)
  return { crash: { atOrder: steady + Math.ceil(burst / 2), restartAfterMs: 8_000 }, paymentHangRate: 0.02, invoiceHangRate: 0.1, invalidAddressRate: 0.03 }
}

