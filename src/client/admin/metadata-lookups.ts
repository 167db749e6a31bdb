/**
 * The admin's metadata lookups: a topic's partitions (failing at once for an unknown topic, as
 * the controller's answer is authoritative in-process), the controller, and the ListOffsets
 * requests behind `fetchTopicOffsets`, routed to each partition's leader.
 */
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, type IsolationLevel } from '../../protocol/data-apis.js'
import { Errors } from '../../protocol/error-codes.js'
import type { TopicMetadata } from '../../protocol/metadata-apis.js'
import type { ApiName, RequestOf, ResponseOf } from '../../protocol/api.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { protocolError, type KafkaJSProtocolError } from '../errors.js'

export { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP }

/** The cluster's metadata for one topic; rejects with the broker's error (e.g. UNKNOWN_TOPIC_OR_PARTITION). */
export async function describeTopic(client: BrokerRouter, topic: string): Promise<TopicMetadata> {
  const response = await client.metadata([topic])
  const meta = response.topics.find((t) => t.topic === topic)
  if (meta === undefined) throw protocolError(Errors.UNKNOWN_TOPIC_OR_PARTITION.code, `topic "${topic}"`)!
  const error = protocolError(meta.errorCode, `topic "${topic}"`)
  if (error !== undefined) throw error
  return meta
}

/** The partition ids of a topic, ascending. */
export async function topicPartitions(client: BrokerRouter, topic: string): Promise<number[]> {
  const meta = await describeTopic(client, topic)
  return meta.partitions.map((p) => p.partition).sort((a, b) => a - b)
}

/**
 * Sends a request to the controller, retrying with fresh metadata while the controller moves
 * (NOT_CONTROLLER, connection errors), as KafkaJS's `findControllerBroker` callers do.
 * `check` turns the response into the caller's result or throws its error.
 */
export async function sendToController<K extends ApiName, T>(
  client: BrokerRouter,
  api: K,
  request: RequestOf<K>,
  check: (response: ResponseOf<K>) => T,
): Promise<T> {
  return client.retrier(async (bail) => {
    await client.metadata([])
    const controller = client.controller()
    const response = await client.send(controller >= 0 ? controller : (client.brokerList()[0]?.nodeId ?? 0), api, request)
    try {
      return check(response)
    } catch (error) {
      if ((error as KafkaJSProtocolError).type === Errors.NOT_CONTROLLER.type) throw error
      return bail(error as Error)
    }
  })
}

/** Sends a request to a group's coordinator, finding it again after NOT_COORDINATOR or a connection error. */
export async function sendToCoordinator<T>(client: BrokerRouter, groupId: string, send: (coordinator: number) => Promise<T>): Promise<T> {
  return client.retrier(async (bail) => {
    try {
      return await send(await client.findCoordinator(groupId))
    } catch (error) {
      // Non-retriable errors reach the caller as they are (typed), not wrapped by the retrier.
      if ((error as { retriable?: boolean }).retriable === false) bail(error as Error)
      throw error
    }
  })
}

/**
 * ListOffsets for every given partition of a topic, at `timestamp` (or LATEST / EARLIEST), sent to
 * each partition's leader; retries while leadership moves. Resolves partition -> offset (-1 when no
 * record has a timestamp at or after the one asked for).
 */
export async function listOffsets(
  client: BrokerRouter,
  topic: string,
  partitions: readonly number[],
  timestamp: number,
  isolationLevel: IsolationLevel = 1,
): Promise<Map<number, number>> {
  const offsets = new Map<number, number>()
  await client.addTargetTopics([topic])
  return client.retrier(async (bail) => {
    await client.refreshMetadataIfNecessary()
    const pending = partitions.filter((p) => !offsets.has(p))
    const byLeader = client.findLeaderForPartitions(topic, pending)
    let retriable: Error | undefined
    if ([...byLeader.values()].flat().length < pending.length) {
      client.invalidateMetadata()
      retriable = protocolError(Errors.LEADER_NOT_AVAILABLE.code, `topic "${topic}"`)
    }
    await Promise.all(
      [...byLeader].map(async ([leader, leaderPartitions]) => {
        const response = await client.send(leader, 'ListOffsets', {
          replicaId: -1,
          isolationLevel,
          topics: [{ topic, partitions: leaderPartitions.map((partition) => ({ partition, timestamp })) }],
        })
        for (const p of response.topics.flatMap((t) => t.partitions)) {
          const error = protocolError(p.errorCode, `topic "${topic}" partition ${p.partition}`)
          if (error === undefined) offsets.set(p.partition, p.offset)
          else if (error.retriable) {
            client.invalidateMetadata()
            retriable = error
          } else bail(error)
        }
      }),
    )
    if (retriable !== undefined) throw retriable
    return offsets
  })
}
