/**
 * One console's view of a cluster: a KafkaJS client of it (admin, producer, the console's own
 * members, its record and dead-letter readers), and the bookkeeping the page needs that the cluster
 * does not keep (lag over time, the newest records, a timeline). It holds no cluster state: every
 * number on the page is read back from `describe()`, the admin API or a consumer.
 */
import type { Admin } from '../client/admin/admin.js'
import { Kafka } from '../client/kafka.js'
import { logLevel } from '../client/logger.js'
import { Partitioners } from '../client/partitioners/index.js'
import { topicPartitionKey } from '../protocol/topic-partition.js'
import type { Producer } from '../client/producer/producer.js'
import { ConsoleMembers } from './console-members.js'
import type { ConsoleSnapshot, GroupSnapshot, RecordSnapshot, TimelineEntry } from './console-snapshot.js'
import type { ConsoleCluster, ConsoleNoteOptions } from './console-types.js'
import { DeadLetterView } from './dead-letter-view.js'
import { assignmentText, readGroups } from './group-view.js'
import { partitionForKey, RecordView } from './record-view.js'
import { TransactionWatch } from './transaction-watch.js'

/** Samples of lag kept per group for the chart. */
const LAG_SAMPLES = 120
/** Timeline lines kept for the page. */
const KEPT_LINES = 200

export class ConsoleSession {
  readonly kafka: Kafka
  readonly members: ConsoleMembers
  private readonly admin: Admin
  private readonly producer: Producer
  private readonly deadLetters: DeadLetterView
  private readonly records: RecordView
  private readonly transactions = new TransactionWatch()
  private readonly lagHistory = new Map<string, [number, number][]>()
  private readonly assignments = new Map<string, string>()
  private readonly timeline: TimelineEntry[] = []
  /** Cluster time of the timeline's first line: the page counts from it. */
  private firstLineAt: number | undefined
  private groups: GroupSnapshot[] = []
  private logStart: Record<string, string> = {}
  private readonly replayed = new Set<string>()

  constructor(readonly cluster: ConsoleCluster) {
    // The console's client logs nothing: its retries while a broker is down are the lesson, not noise.
    this.kafka = new Kafka({ clientId: 'kafkalite-console', cluster, logLevel: logLevel.NOTHING })
    this.admin = this.kafka.admin()
    this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
    this.members = new ConsoleMembers(this.kafka, cluster.clock, (text) => this.note(text))
    this.deadLetters = new DeadLetterView(this.kafka)
    this.records = new RecordView(this.kafka, (topic) => this.cluster.describe().partitions.filter((p) => p.topic === topic).length)
  }

  async start(): Promise<void> {
    await this.admin.connect()
    await this.producer.connect()
  }

  /** Adds a line to the page's timeline. */
  note(text: string, options: ConsoleNoteOptions = {}): void {
    const { kind, details } = options
    const time = this.cluster.clock.now()
    this.firstLineAt ??= time
    this.timeline.push({ time, text, ...(kind === undefined ? {} : { kind }), ...(details === undefined ? {} : { details: [...details] }) })
    if (this.timeline.length > KEPT_LINES) this.timeline.shift()
  }

  /** Notes what `describe()` shows changed since the last look that the timeline should tell (transactions). */
  observe(): void {
    this.transactions.observe(this.cluster.describe().transactions, (text) => this.note(text, { kind: 'transaction' }))
  }

  /** Reads groups, offsets and dead-letter topics through the admin API (the slow part of a refresh). */
  async refreshClientView(): Promise<void> {
    const description = this.cluster.describe()
    const highWatermarks = new Map(description.partitions.map((p) => [topicPartitionKey(p.topic, p.partition), p.highWatermark]))
    const topics = [...new Set(description.partitions.map((p) => p.topic))]
    await this.deadLetters.follow(topics)
    await this.records.follow(topics)
    // From the description, not ListOffsets: a new leader whose high watermark has not settled answers that with
    // OFFSET_NOT_AVAILABLE (KIP-207) for as long as its ISR is short, and the whole view would stop refreshing.
    this.logStart = Object.fromEntries(description.partitions.filter((p) => p.logStartOffset >= 0).map((p) => [`${p.topic}-${p.partition}`, String(p.logStartOffset)]))
    const now = this.cluster.clock.now()
    this.groups = (await readGroups(this.admin, highWatermarks)).map((group) => {
      this.noteRebalance(group)
      const history = this.lagHistory.get(group.groupId) ?? []
      history.push([now, group.offsets.reduce((sum, o) => sum + o.lag, 0)])
      if (history.length > LAG_SAMPLES) history.shift()
      this.lagHistory.set(group.groupId, history)
      return { ...group, lagHistory: [...history] }
    })
  }

  /** Notes a group whose members or assignment changed since the last refresh: a rebalance, seen from outside. */
  private noteRebalance(group: Pick<GroupSnapshot, 'groupId' | 'members' | 'state'>): void {
    if (group.state !== 'Stable' && group.state !== 'Empty') return
    const text = assignmentText(group)
    if (this.assignments.get(group.groupId) === text) return
    this.assignments.set(group.groupId, text)
    this.note(`group ${group.groupId}, ${group.members.length} member(s), each partition to one of them: ${text}`, { kind: 'rebalance' })
  }

  /** Produces a keyed record with the default partitioner and records where it went and why. */
  async produce(topic: string, key: string, value: string): Promise<RecordSnapshot> {
    const partitions = this.cluster.describe().partitions.filter((p) => p.topic === topic).length
    const [metadata] = await this.producer.send({ topic, messages: [{ key, value }] })
    if (metadata === undefined) throw new Error(`producing to ${topic} returned no metadata`)
    const { hash, why } = partitionForKey(key, partitions)
    const record = { topic, key, hash, partition: metadata.partition, offset: metadata.baseOffset ?? '', value, why }
    this.records.add(record)
    this.note(`produced ${key} to ${topic}-${record.partition} at offset ${record.offset}: ${why}`, { kind: 'produce' })
    return record
  }

  /** Creates `topic` if it does not exist (3 replicas where there are 3 brokers, as the tour needs). */
  async ensureTopic(topic: string, numPartitions: number): Promise<void> {
    if ((await this.admin.listTopics()).includes(topic)) return
    const replicationFactor = Math.min(3, this.cluster.brokerIds().length)
    await this.admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor }], waitForLeaders: true })
    this.note(`created ${topic} with ${numPartitions} partitions, replication factor ${replicationFactor}`)
  }

  async addPartitions(topic: string, count: number): Promise<void> {
    await this.admin.createPartitions({ topicPartitions: [{ topic, count }] })
    this.note(`${topic} now has ${count} partitions: keys hash to new partitions from now on`)
  }

  /**
   * Sends each dead letter of `topic` not yet replayed back to its original topic (header
   * `kafka_dlt-original-topic`) with its key and value, as `kafka-console-producer` fed from the DLT
   * would: the record gets a new offset; the dead letter stays in its log.
   */
  async replayDeadLetters(topic: string): Promise<number> {
    const pending = this.deadLetters.snapshot().filter((r) => r.topic === topic && !this.replayed.has(`${r.topic}-${r.partition}-${r.offset}`))
    for (const record of pending) {
      const original = record.headers['kafka_dlt-original-topic']
      if (original === undefined) continue
      await this.producer.send({ topic: original, messages: [{ key: record.key, value: record.value }] })
      this.replayed.add(`${record.topic}-${record.partition}-${record.offset}`)
    }
    this.note(`replayed ${pending.length} dead letter(s) of ${topic}`)
    return pending.length
  }

  /** The page's picture; `tour` comes from the caller, which owns the tour. */
  snapshot(tour: ConsoleSnapshot['tour']): ConsoleSnapshot {
    const description = this.cluster.describe()
    return {
      brokers: description.brokers,
      partitions: description.partitions,
      logStart: this.logStart,
      groups: this.groups,
      transactions: description.transactions,
      records: this.records.snapshot(),
      deadLetters: this.deadLetters.snapshot(),
      tour,
      timeline: [...this.timeline],
      startedAt: this.firstLineAt ?? this.cluster.clock.now(),
      consoleMembers: this.members.list(),
    }
  }

  /** Disconnects the console's clients; when the cluster is closing they may already be gone, which is fine. */
  async close(): Promise<void> {
    await Promise.allSettled([this.members.closeAll(), this.deadLetters.close(), this.records.close(), this.producer.disconnect(), this.admin.disconnect()])
  }
}
