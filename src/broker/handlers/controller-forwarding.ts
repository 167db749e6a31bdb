/**
 * Admin requests that change topics go to the controller, whichever broker receives them
 * (Kafka's forwarding, KIP-590). A broker cut off from the controller cannot forward: after the
 * request's `timeoutMs` it answers REQUEST_TIMED_OUT, as Kafka does when the controller is silent.
 */
import { Errors } from '../../protocol/index.js'
import type { HandlerContext } from './handler-context.js'

/** Runs `work` at the controller, or waits `timeoutMs` and returns null if this broker cannot reach it. */
export async function atController<T>(ctx: HandlerContext, timeoutMs: number, work: () => T): Promise<T | null> {
  if (ctx.cluster.canReachController(ctx.broker.id)) return work()
  await ctx.cluster.clock.sleep(Math.max(0, timeoutMs))
  return null
}

/** The per-topic answer when the controller could not be reached. */
export function controllerTimedOut(name: string): { name: string; errorCode: number; errorMessage: string } {
  return { name, errorCode: Errors.REQUEST_TIMED_OUT.code, errorMessage: 'The controller could not be reached in time' }
}
