/**
 * A consumer's fetch session at one broker (KIP-227), as Kafka's `FetchSessionHandler` keeps it: the
 * session id and the epoch of the next request, and per partition the fetch offset and leader epoch
 * the broker holds. A request then names only the partitions whose state moved and forgets those no
 * longer fetched there; the broker answers only partitions with something new.
 */
import { nextFetchEpoch } from '../../protocol/data-apis.js'
import { topicPartitionKey } from '../../protocol/topic-partition.js'

interface HeldPartition {
  readonly topic: string
  readonly partition: number
  readonly fetchOffset: number
  readonly leaderEpoch: number
}

export class ClientFetchSession {
  private readonly held = new Map<string, HeldPartition>()
  id = 0
  /** The epoch of the next request in this session. */
  epoch = 0

  /** True if the broker already holds this partition at this fetch offset and leader epoch. */
  holds(topic: string, partition: number, fetchOffset: number, leaderEpoch: number): boolean {
    const held = this.held.get(topicPartitionKey(topic, partition))
    return held !== undefined && held.fetchOffset === fetchOffset && held.leaderEpoch === leaderEpoch
  }

  /** The partitions the broker holds that are not fetched now (keyed as `fetching`), by topic: the request's forgotten topics. */
  leftOut(fetching: ReadonlyMap<string, unknown>): Array<{ topic: string; partitions: number[] }> {
    const byTopic = new Map<string, number[]>()
    for (const [key, { topic, partition }] of this.held) {
      if (fetching.has(key)) continue
      const list = byTopic.get(topic)
      if (list === undefined) byTopic.set(topic, [partition])
      else list.push(partition)
    }
    // Usually the same partitions are fetched each time: nothing to forget.
    return byTopic.size === 0 ? [] : [...byTopic].map(([topic, partitions]) => ({ topic, partitions }))
  }

  /** This session after the broker answered request `id` that forgot `forgotten` and named `named`. */
  next(id: number, forgotten: ReadonlyArray<{ topic: string; partitions: readonly number[] }>, named: ReadonlyArray<HeldPartition & { readonly key: string }>): this {
    if (id !== this.id) this.held.clear()
    for (const { topic, partitions } of forgotten) for (const partition of partitions) this.held.delete(topicPartitionKey(topic, partition))
    for (const { key, topic, partition, fetchOffset, leaderEpoch } of named) this.held.set(key, { topic, partition, fetchOffset, leaderEpoch })
    this.epoch = nextFetchEpoch(id === this.id ? this.epoch : 0)
    this.id = id
    return this
  }
}
