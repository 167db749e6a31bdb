/**
 * A network tap for tests: a cluster connection that forwards every request to the cluster's transport unchanged and
 * notes, for each Produce attempt, what became of each record in it (appended at an offset, certainly rejected, or
 * unknown). A test then classifies a failed send honestly as Jepsen does: `fail` only when no attempt can have
 * written the record, `info` when one may have.
 */
import { errorForCode, KafkaErrors, type Cluster, type KafkaConfig } from 'kafkalite'
import { brokerSideOf } from '../../src/cluster.js'

/** What the `Kafka` client needs from a cluster (kafkalite's `ClientBootstrap`). */
export type ClientBootstrap = NonNullable<KafkaConfig['cluster']>
type RequestChannel = ClientBootstrap['transport']

/** What became of one record in one Produce attempt. */
export type AttemptFate =
  | { readonly fate: 'appended'; readonly brokerId: number; readonly partition: number; readonly offset: number }
  | { readonly fate: 'rejected'; readonly brokerId: number; readonly reason: string }
  | { readonly fate: 'unknown'; readonly brokerId: number; readonly reason: string }

/**
 * Produce error codes that Kafka returns only before appending (ReplicaManager / Partition.appendRecordsToLeader).
 * NOT_LEADER_OR_FOLLOWER is not here: a leader that loses leadership while an acks=all batch waits for the ISR
 * answers it for a batch it did append. REQUEST_TIMED_OUT and NOT_ENOUGH_REPLICAS_AFTER_APPEND follow an append.
 */
const REJECTED_BEFORE_APPEND: ReadonlySet<number> = new Set([
  KafkaErrors.NOT_ENOUGH_REPLICAS.code,
  KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION.code,
  KafkaErrors.LEADER_NOT_AVAILABLE.code,
  KafkaErrors.INVALID_TOPIC_EXCEPTION.code,
  KafkaErrors.CORRUPT_MESSAGE.code,
  KafkaErrors.MESSAGE_TOO_LARGE.code,
  KafkaErrors.INVALID_REQUIRED_ACKS.code,
])

interface ProduceBatchView {
  readonly partition: number
  readonly batch: { readonly records: ReadonlyArray<{ readonly value: Buffer | null }> }
}
interface ProduceRequestView {
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly ProduceBatchView[] }>
}
interface ProduceResponseView {
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly partitions: ReadonlyArray<{ readonly partition: number; readonly errorCode: number; readonly baseOffset: number }>
  }>
}

/** A {@link ClientBootstrap} over `cluster` that watches Produce attempts; hand it to `new Kafka({ cluster: tap })`. */
export class ProduceTap implements ClientBootstrap {
  readonly transport: RequestChannel
  private readonly fates = new Map<string, AttemptFate[]>()

  constructor(readonly cluster: Cluster) {
    this.transport = {
      send: (from, brokerId, api, request, options) => {
        // The transport refuses an unreachable broker before serving anything: nothing can have been written.
        const unreachable = brokerSideOf(cluster).unreachableReason(from, brokerId)
        const response = cluster.transport.send(from, brokerId, api, request, options)
        if (api === 'Produce') this.watch(brokerId, request as ProduceRequestView, response as Promise<unknown>, unreachable)
        return response
      },
    }
  }

  get clock(): Cluster['clock'] {
    return this.cluster.clock
  }

  get random(): Cluster['random'] {
    return this.cluster.random
  }

  brokerIds(): number[] {
    return this.cluster.brokerIds()
  }

  /** Clients made over the tap are the cluster's: closing the cluster disconnects them. */
  track(client: Parameters<NonNullable<ClientBootstrap['track']>>[0]): void {
    this.cluster.track(client)
  }

  /** Every Produce attempt that carried a record with this value (on `topic`), in the order they settled. */
  attempts(topic: string, value: string): readonly AttemptFate[] {
    return this.fates.get(key(topic, value)) ?? []
  }

  /** Whether some attempt may have written the record: one not certainly rejected. */
  mayHaveLanded(topic: string, value: string): boolean {
    return this.attempts(topic, value).some((a) => a.fate !== 'rejected')
  }

  /** How many record attempts ended each way, over the whole run: tells a thin run from a thorough one. */
  counts(): Record<AttemptFate['fate'], number> {
    const counts = { appended: 0, rejected: 0, unknown: 0 }
    for (const list of this.fates.values()) for (const a of list) counts[a.fate]++
    return counts
  }

  private note(topic: string, value: string, fate: AttemptFate): void {
    const k = key(topic, value)
    let list = this.fates.get(k)
    if (list === undefined) this.fates.set(k, (list = []))
    list.push(fate)
  }

  private watch(brokerId: number, request: ProduceRequestView, response: Promise<unknown>, unreachable: string | null): void {
    const each = (visit: (topic: string, partition: number, value: string, index: number) => void): void => {
      for (const t of request.topics) {
        for (const p of t.partitions) p.batch.records.forEach((r, i) => visit(t.topic, p.partition, r.value?.toString() ?? '', i))
      }
    }
    response.then(
      (answer) => {
        const results = new Map<string, { errorCode: number; baseOffset: number }>()
        for (const t of (answer as ProduceResponseView).topics) for (const p of t.partitions) results.set(`${p.partition}:${t.topic}`, p)
        each((topic, partition, value, index) => {
          const r = results.get(`${partition}:${topic}`)
          if (r === undefined) this.note(topic, value, { fate: 'unknown', brokerId, reason: 'no answer for its partition' })
          else if (r.errorCode === 0) this.note(topic, value, { fate: 'appended', brokerId, partition, offset: r.baseOffset + index })
          else if (REJECTED_BEFORE_APPEND.has(r.errorCode)) this.note(topic, value, { fate: 'rejected', brokerId, reason: codeName(r.errorCode) })
          else this.note(topic, value, { fate: 'unknown', brokerId, reason: codeName(r.errorCode) })
        })
      },
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error)
        const fate = unreachable !== null ? 'rejected' : 'unknown'
        each((topic, _partition, value) => this.note(topic, value, { fate, brokerId, reason }))
      },
    )
  }
}

function key(topic: string, value: string): string {
  return JSON.stringify([topic, value])
}

function codeName(code: number): string {
  return errorForCode(code).type
}
