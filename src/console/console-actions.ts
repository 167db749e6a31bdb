/**
 * The page's buttons, as POST bodies (`{ "action": "crash", "broker": 1 }`), each turned into calls of
 * the cluster's public API: the fault methods of `Cluster`, the producer, the admin client, group
 * members. Bad input is a {@link ConsoleActionError} (HTTP 400) saying what was wrong.
 */
import type { ConsoleSession } from './console-session.js'
import type { GuidedTour } from './guided-tour.js'

/** An action the console cannot run as asked. */
export class ConsoleActionError extends Error {
  override name = 'ConsoleActionError'
}

type Body = Record<string, unknown>

function integer(body: Body, field: string): number {
  const value = body[field]
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new ConsoleActionError(`"${field}" must be an integer, got ${JSON.stringify(value)}`)
  return value
}

function text(body: Body, field: string): string {
  const value = body[field]
  if (typeof value !== 'string' || value === '') throw new ConsoleActionError(`"${field}" must be a non-empty string, got ${JSON.stringify(value)}`)
  return value
}

function broker(session: ConsoleSession, body: Body): number {
  const id = integer(body, 'broker')
  if (!session.cluster.brokerIds().includes(id)) throw new ConsoleActionError(`there is no broker ${id}: the brokers are ${session.cluster.brokerIds().join(', ')}`)
  return id
}

const ACTIONS: Record<string, (session: ConsoleSession, body: Body, tour: GuidedTour) => Promise<void> | void> = {
  crash: (session, body) => {
    const id = broker(session, body)
    session.cluster.crashBroker(id)
    session.note(`crashed broker ${id}`)
  },
  restart: (session, body) => {
    const id = broker(session, body)
    session.cluster.restartBroker(id)
    session.note(`restarted broker ${id}: it truncates to its leader epoch and catches up as a follower`)
  },
  isolate: (session, body) => {
    const id = broker(session, body)
    session.cluster.isolateBroker(id)
    session.note(`isolated broker ${id} from the others and the controller`)
  },
  heal: (session) => {
    session.cluster.heal()
    session.note('healed the network')
  },
  produce: async (session, body) => {
    await session.produce(text(body, 'topic'), text(body, 'key'), typeof body.value === 'string' ? body.value : '')
  },
  'add-member': (session, body) => session.members.add(text(body, 'group'), text(body, 'topic')),
  'remove-member': (session, body) => session.members.remove(text(body, 'group')),
  'slow-member': (session, body) => session.members.setSlow(text(body, 'group'), body.slow === true),
  'add-partitions': (session, body) => session.addPartitions(text(body, 'topic'), integer(body, 'count')),
  'replay-dead-letters': async (session, body) => {
    await session.replayDeadLetters(text(body, 'topic'))
  },
  'tour-step': (session, body, tour) => tour.play(session, integer(body, 'step')),
}

/** Runs the action a POST body names; rejects with {@link ConsoleActionError} on bad input. */
export async function runAction(session: ConsoleSession, tour: GuidedTour, body: unknown): Promise<void> {
  if (typeof body !== 'object' || body === null) throw new ConsoleActionError('the request body must be a JSON object such as {"action":"crash","broker":1}')
  const fields = body as Body
  const name = fields.action
  const run = typeof name === 'string' && Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined
  if (run === undefined) throw new ConsoleActionError(`unknown action ${JSON.stringify(name)}: use one of ${Object.keys(ACTIONS).join(', ')}`)
  await run(session, fields, tour)
}
