/** The admin's group operations: DescribeGroups, ListGroups and DeleteGroups, with KafkaJS's results and errors. */
import type { GroupState } from '../../protocol/group-apis.js'
import { Errors } from '../../protocol/error-codes.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSDeleteGroupsError, KafkaJSNonRetriableError, protocolError, type KafkaJSProtocolError } from '../errors.js'
import type { DeleteGroupsResult, GroupDescriptions, GroupOverview } from './admin-types.js'
import { sendToCoordinator } from './metadata-lookups.js'

function checkGroupIds(groupIds: unknown): asserts groupIds is string[] {
  if (!groupIds || !Array.isArray(groupIds)) throw new KafkaJSNonRetriableError(`Invalid groupIds array ${String(groupIds)}`)
  const invalid = groupIds.find((g) => typeof g !== 'string')
  if (invalid !== undefined) throw new KafkaJSNonRetriableError(`Invalid groupId name: ${JSON.stringify(invalid)}`)
}

/** Groups ids by their coordinator's broker id. */
async function byCoordinator(client: BrokerRouter, groupIds: readonly string[]): Promise<Map<number, string[]>> {
  const grouped = new Map<number, string[]>()
  for (const groupId of groupIds) {
    const coordinator = await client.findCoordinator(groupId)
    let list = grouped.get(coordinator)
    if (list === undefined) grouped.set(coordinator, (list = []))
    list.push(groupId)
  }
  return grouped
}

/**
 * `admin.describeGroups`: state, protocol and members of each group. An unknown group is described
 * as `Dead` with no members, as Kafka does.
 */
export async function describeGroups(client: BrokerRouter, groupIds: string[]): Promise<GroupDescriptions> {
  checkGroupIds(groupIds)
  const described = await Promise.all(
    groupIds.map((groupId) =>
      sendToCoordinator(client, groupId, async (coordinator) => {
        const { groups } = await client.send(coordinator, 'DescribeGroups', { groups: [groupId] })
        for (const g of groups) {
          const error = protocolError(g.errorCode, `describing group "${g.groupId}"`)
          if (error !== undefined) throw error
        }
        return groups
      }),
    ),
  )
  return {
    groups: described.flat().map((g) => ({
      errorCode: g.errorCode,
      groupId: g.groupId,
      state: g.state as GroupState,
      protocolType: g.protocolType,
      protocol: g.protocol,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: m.memberMetadata,
        memberAssignment: m.memberAssignment,
      })),
    })),
  }
}

/** `admin.listGroups`: every group of every broker (each broker lists the groups it coordinates). */
export async function listGroups(client: BrokerRouter): Promise<{ groups: GroupOverview[] }> {
  const { brokers } = await client.metadata([])
  const perBroker = await Promise.all(
    brokers.map(({ nodeId }) =>
      client.retrier(async (bail) => {
        const response = await client.send(nodeId, 'ListGroups', { statesFilter: [] })
        const error = protocolError(response.errorCode, `listing the groups of broker ${nodeId}`)
        if (error !== undefined) return error.retriable ? Promise.reject(error) : bail(error)
        return response.groups.map(({ groupId, protocolType }) => ({ groupId, protocolType }))
      }),
    ),
  )
  return { groups: perBroker.flat() }
}

/** Errors after which KafkaJS retries a DeleteGroups: the coordinator moved or is loading. */
const RETRY_DELETE = new Set<string>([Errors.NOT_COORDINATOR.type, Errors.COORDINATOR_NOT_AVAILABLE.type, Errors.COORDINATOR_LOAD_IN_PROGRESS.type])

/**
 * `admin.deleteGroups`: deletes empty groups and their committed offsets. Resolves with one result
 * per group; rejects with KafkaJSDeleteGroupsError listing the groups that could not be deleted
 * (NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND, ...).
 */
export async function deleteGroups(client: BrokerRouter, groupIds: string[]): Promise<DeleteGroupsResult[]> {
  checkGroupIds(groupIds)
  const results = new Map<string, DeleteGroupsResult>()
  let pending = [...groupIds]
  return client.retrier(async (bail) => {
    if (pending.length === 0) return groupIds.map((g) => results.get(g)!)
    const failures: Array<{ groupId: string; errorCode: number; error: KafkaJSProtocolError }> = []
    for (const [coordinator, ids] of await byCoordinator(client, pending)) {
      const response = await client.send(coordinator, 'DeleteGroups', { groupIds: ids })
      for (const { groupId, errorCode } of response.results) {
        const error = protocolError(errorCode, `deleting group "${groupId}"`)
        if (error === undefined) results.set(groupId, { groupId, errorCode })
        else failures.push({ groupId, errorCode, error })
      }
    }
    pending = failures.map((f) => f.groupId)
    if (failures.length === 0) return groupIds.map((g) => results.get(g)!)
    if (failures.every((f) => RETRY_DELETE.has(f.error.type))) throw failures[0]!.error
    return bail(new KafkaJSDeleteGroupsError('Error in DeleteGroups', failures))
  })
}
