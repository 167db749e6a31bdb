/**
 * The guided tour: the order workflow's lessons as steps, each one sentence and one button, played
 * on a topic `orders` (3 partitions, 3 replicas) through the same session the page's buttons use.
 */
import { SLOW_RECORD_MS } from './console-members.js'
import type { ConsoleSession } from './console-session.js'
import type { TourStepSnapshot } from './console-snapshot.js'

/** The tour's topic and its partition count. */
const TOUR_TOPIC = 'orders'
const TOUR_PARTITIONS = 3

interface TourStep {
  readonly title: string
  readonly sentence: string
  readonly button: string
  readonly run: (session: ConsoleSession) => Promise<void>
}

async function produceOrders(session: ConsoleSession, from: number, count: number, value = 'OrderPlaced'): Promise<void> {
  for (let n = from; n < from + count; n++) await session.produce(TOUR_TOPIC, `order-${n}`, value)
}

async function growGroup(session: ConsoleSession, groupId: string, size: number): Promise<void> {
  while (session.members.count(groupId) < size) await session.members.add(groupId, TOUR_TOPIC)
}

const STEPS: readonly TourStep[] = [
  {
    title: 'Keys choose partitions',
    sentence: 'A record’s key picks its partition — toPositive(murmur2(key)) % partitions — so every event of one order lands in the same partition, in order.',
    button: 'Send 6 orders',
    run: async (session) => {
      await session.ensureTopic(TOUR_TOPIC, TOUR_PARTITIONS)
      await produceOrders(session, 1, 6)
    },
  },
  {
    title: 'One member per partition',
    sentence: 'In a consumer group each partition is read by exactly one member, so three members of “inventory” share three partitions.',
    button: 'Start 3 inventory members',
    run: (session) => growGroup(session, 'inventory', 3),
  },
  {
    title: 'An idle member',
    sentence: 'A fourth member gets no partition: a group never has more busy members than the topic has partitions.',
    button: 'Add a 4th member',
    run: (session) => growGroup(session, 'inventory', 4),
  },
  {
    title: 'A broker dies',
    sentence: 'Crash the broker leading orders-0: the controller makes an in-sync replica the leader, the ISR shrinks and no acknowledged record is lost.',
    button: 'Crash the leader of orders-0',
    run: async (session) => {
      const leader = session.cluster.describe().partitions.find((p) => p.topic === TOUR_TOPIC && p.partition === 0)?.leader ?? -1
      if (leader < 0) throw new Error('orders-0 has no leader to crash: restart a broker first')
      session.cluster.crashBroker(leader)
      session.note(`crashed broker ${leader}, the leader of orders-0`)
    },
  },
  {
    title: 'A slow service falls behind',
    sentence: `One slow “billing” member takes ${SLOW_RECORD_MS} ms per order: send a burst of 30 and watch its lag climb on the chart.`,
    button: 'Send 30 orders to slow billing',
    run: async (session) => {
      session.members.setSlow('billing', true)
      await growGroup(session, 'billing', 1)
      await produceOrders(session, 100, 30)
    },
  },
  {
    title: 'Scale out to catch up',
    sentence: 'Two more billing members split the partitions, each works through its share, and the lag drains three times as fast.',
    button: 'Scale billing out to 3',
    run: (session) => growGroup(session, 'billing', 3),
  },
  {
    title: 'A poison order',
    sentence: 'An order no service can process fails its retries and goes to orders-dlt, with headers saying where it came from and why.',
    button: 'Send a poison order',
    run: (session) => session.produce(TOUR_TOPIC, 'order-666', 'poison: OrderPlaced with a negative quantity').then(() => undefined),
  },
]

/** Which steps the learner has played. */
export class GuidedTour {
  private readonly done = new Set<number>()

  steps(): TourStepSnapshot[] {
    return STEPS.map((step, index) => ({ title: step.title, sentence: step.sentence, button: step.button, done: this.done.has(index) }))
  }

  /** Plays step `index` (0-based). */
  async play(session: ConsoleSession, index: number): Promise<void> {
    const step = STEPS[index]
    if (step === undefined) throw new RangeError(`the tour has steps 0 to ${STEPS.length - 1}, not ${index}`)
    session.note(`tour step ${index + 1}: ${step.title}`)
    await step.run(session)
    this.done.add(index)
  }
}
