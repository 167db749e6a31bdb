/**
 * The property of the inventory service, written with `kafkalite/testing`: whatever broker faults happen and
 * whenever one instance of the service crashes, every order's stock is reserved exactly once, and every order whose
 * offset the group committed was processed. The guide (docs/testing-your-service.md) walks through it.
 */
import fc from 'fast-check'
import { Kafka, logLevel, type Cluster, type Consumer } from 'kafkalite'
import {
  checkAtLeastOnceProcessing,
  checkCommittedMonotonic,
  checkDisjointAssignments,
  checkEffectivelyOnce,
  faultSchedule,
  formatOracleReports,
  readCommittedOffsets,
  readFinalLog,
  recordConsumer,
  recordProducer,
  withCluster,
} from 'kafkalite/testing'
import { GROUP, ORDERS, startInventoryService, type Version } from './inventory-service.js'
import { StockDatabase, type Order } from './stock-database.js'

/** One run's input: the orders, when instance `a` crashes, and the broker faults. */
const runArb = fc.record({
  orders: fc.integer({ min: 2, max: 10 }),
  crashAfterMs: fc.integer({ min: 0, max: 800 }),
  schedule: faultSchedule({ brokers: 3, steps: 6, kinds: ['wait', 'crash', 'restart', 'hook'], maxWaitMs: 1000 }),
})

/** What one run reached: the windows the property is about, for its coverage. */
export interface InventoryRunWindows {
  /** Some order was delivered again (after the crash, a rebalance or a producer retry). */
  readonly redelivered: boolean
  /** Instance a crashed while it was handling an order. */
  readonly crashedMidOrder: boolean
  /** A broker crashed during the run. */
  readonly brokerCrashed: boolean
}

/**
 * The property for one version of the service: rejects with the oracles' report and the history when it fails.
 * `onRun` hears what each run reached.
 */
export function inventoryProperty(version: Version, onRun: (windows: InventoryRunWindows) => void = () => undefined) {
  return fc.asyncProperty(runArb, ({ orders, crashAfterMs, schedule }) => {
    const setup = async (_cluster: Cluster, kafka: Kafka): Promise<void> => {
      const admin = kafka.admin()
      await admin.connect()
      await admin.createTopics({ topics: [{ topic: ORDERS, numPartitions: 2, replicationFactor: 3 }], waitForLeaders: true })
      await admin.disconnect()
    }
    return withCluster({ brokers: 3, seed: 1, schedule, setup }, async (cluster, kafka, { clock, recording }) => {
      const db = new StockDatabase({ widget: 100 })
      // Two instances of the service, each its own process with its own client; the orders come once both run.
      const start = (instance: string): Promise<Consumer> =>
        startInventoryService(new Kafka({ clientId: instance, cluster, logLevel: logLevel.NOTHING }), db, {
          version,
          instance,
          work: (ms) => clock.sleep(ms),
          reserveMs: 100,
          wrap: (consumer) => recordConsumer(consumer, recording, { process: instance }),
        })
      const a = await start('a')
      await start('b')
      for (let waited = 0; waited < 30_000 && !recording.assignments.some((x) => x.member === 'b'); waited += 100) await clock.sleep(100)

      const producer = recordProducer(kafka.producer(), recording, { process: 'shop' })
      await producer.connect()
      const sendOrders = async (): Promise<void> => {
        for (let i = 0; i < orders; i++) {
          const order: Order = { orderId: `order-${i}`, sku: 'widget', quantity: 1 }
          await producer.send({ topic: ORDERS, messages: [{ key: order.orderId, value: JSON.stringify(order) }] }).catch(() => undefined)
        }
      }
      // The nemesis of the service: instance a's process dies while orders stream in. Its requests go nowhere from
      // now on (no LeaveGroup: the coordinator finds out through the session timeout) and it can no longer write to
      // the database.
      let crashedMidOrder = false
      const crashA = async (): Promise<void> => {
        await clock.sleep(crashAfterMs)
        // The window: a was given an order and had not finished it (its handler had not returned) when it died.
        const finished = new Set(recording.processed.filter((p) => p.member === 'a').map((p) => `${p.partition}@${p.offset}`))
        crashedMidOrder = recording.deliveries.some((d) => d.member === 'a' && !finished.has(`${d.partition}@${d.offset}`))
        db.crash('a')
        cluster.transport.hooks.add({ from: 'client', when: (_request, from) => from.kind === 'client' && from.clientId === 'a', action: { type: 'drop' } })
        void a.disconnect().catch(() => undefined)
      }
      await Promise.all([sendOrders(), crashA()])

      // Let the group settle and the survivor catch up, then judge from the outside.
      const acknowledged = new Set(recording.acknowledgements.map((ack) => ack.value))
      for (let waited = 0; waited < 30_000 && db.reservations.length < acknowledged.size; waited += 500) await clock.sleep(500)
      await clock.sleep(1000)
      const committed = await readCommittedOffsets(kafka, GROUP, [ORDERS])
      const log = await readFinalLog(kafka, clock, [ORDERS], { isolation: 'read_uncommitted', quietMs: 500 })
      const expected = log.records.map((r) => (JSON.parse(r.value) as Order).orderId)
      const reports = [
        checkAtLeastOnceProcessing(recording.processedRecords(), committed, log),
        checkEffectivelyOnce(db.reservations, (r) => r.orderId, { expected, effect: 'reservation for' }),
        checkDisjointAssignments(recording.assignments),
        checkCommittedMonotonic(recording.commits),
      ]
      const places = recording.deliveries.map((d) => `${d.partition}@${d.offset}`)
      onRun({ redelivered: new Set(places).size < places.length || new Set(expected).size < expected.length, crashedMidOrder, brokerCrashed: schedule.steps.some((s) => s.kind === 'crash') })
      if (reports.some((r) => r.anomalies.length > 0)) {
        throw new Error(`the ${version} inventory service broke its guarantees:\n${formatOracleReports(reports)}`)
      }
    })
  })
}
