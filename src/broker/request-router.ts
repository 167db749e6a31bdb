/** Which handler serves each API: the table behind the cluster's one dispatch point. */
import type { ApiName, RequestOf, ResponseOf } from '../protocol/index.js'
import { handleAddOffsetsToTxn } from './handlers/add-offsets-to-txn.js'
import { handleAddPartitionsToTxn } from './handlers/add-partitions-to-txn.js'
import { handleAlterConfigs } from './handlers/alter-configs.js'
import { handleAlterPartitionReassignments } from './handlers/alter-partition-reassignments.js'
import { handleCreateAcls } from './handlers/create-acls.js'
import { handleCreatePartitions } from './handlers/create-partitions.js'
import { handleCreateTopics } from './handlers/create-topics.js'
import { handleDeleteRecords } from './handlers/delete-records.js'
import { handleDeleteAcls } from './handlers/delete-acls.js'
import { handleDeleteGroups } from './handlers/delete-groups.js'
import { handleDeleteTopics } from './handlers/delete-topics.js'
import { handleDescribeAcls } from './handlers/describe-acls.js'
import { handleDescribeConfigs } from './handlers/describe-configs.js'
import { handleDescribeGroups } from './handlers/describe-groups.js'
import { handleElectLeaders } from './handlers/elect-leaders.js'
import { handleEndTxn } from './handlers/end-txn.js'
import { handleFetch } from './handlers/fetch.js'
import { handleFindCoordinator } from './handlers/find-coordinator.js'
import type { HandlerContext } from './handlers/handler-context.js'
import type { PendingAnswer } from './pending-answer.js'
import { handleHeartbeat } from './handlers/heartbeat.js'
import { handleIncrementalAlterConfigs } from './handlers/incremental-alter-configs.js'
import { handleInitProducerId } from './handlers/init-producer-id.js'
import { handleJoinGroup } from './handlers/join-group.js'
import { handleLeaveGroup } from './handlers/leave-group.js'
import { handleListGroups } from './handlers/list-groups.js'
import { handleListOffsets } from './handlers/list-offsets.js'
import { handleListPartitionReassignments } from './handlers/list-partition-reassignments.js'
import { handleMetadata } from './handlers/metadata.js'
import { handleOffsetCommit } from './handlers/offset-commit.js'
import { handleOffsetFetch } from './handlers/offset-fetch.js'
import { handleOffsetForLeaderEpoch } from './handlers/offset-for-leader-epoch.js'
import { handleProduce } from './handlers/produce.js'
import { handleSyncGroup } from './handlers/sync-group.js'
import { handleTxnOffsetCommit } from './handlers/txn-offset-commit.js'
import { handleWriteTxnMarkers } from './handlers/write-txn-markers.js'

type Handler<K extends ApiName> = (ctx: HandlerContext, request: RequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>> | PendingAnswer<ResponseOf<K>>

/** One handler per Kafka API. */
export const HANDLERS: { readonly [K in ApiName]: Handler<K> } = {
  Produce: handleProduce,
  Fetch: handleFetch,
  ListOffsets: handleListOffsets,
  Metadata: handleMetadata,
  OffsetCommit: handleOffsetCommit,
  OffsetFetch: handleOffsetFetch,
  FindCoordinator: handleFindCoordinator,
  JoinGroup: handleJoinGroup,
  Heartbeat: handleHeartbeat,
  LeaveGroup: handleLeaveGroup,
  SyncGroup: handleSyncGroup,
  DescribeGroups: handleDescribeGroups,
  ListGroups: handleListGroups,
  CreateTopics: handleCreateTopics,
  DeleteTopics: handleDeleteTopics,
  OffsetForLeaderEpoch: handleOffsetForLeaderEpoch,
  DescribeConfigs: handleDescribeConfigs,
  AlterConfigs: handleAlterConfigs,
  DescribeAcls: handleDescribeAcls,
  CreateAcls: handleCreateAcls,
  DeleteAcls: handleDeleteAcls,
  IncrementalAlterConfigs: handleIncrementalAlterConfigs,
  CreatePartitions: handleCreatePartitions,
  DeleteGroups: handleDeleteGroups,
  DeleteRecords: handleDeleteRecords,
  ElectLeaders: handleElectLeaders,
  AlterPartitionReassignments: handleAlterPartitionReassignments,
  ListPartitionReassignments: handleListPartitionReassignments,
  InitProducerId: handleInitProducerId,
  AddPartitionsToTxn: handleAddPartitionsToTxn,
  AddOffsetsToTxn: handleAddOffsetsToTxn,
  EndTxn: handleEndTxn,
  WriteTxnMarkers: handleWriteTxnMarkers,
  TxnOffsetCommit: handleTxnOffsetCommit,
}

/** Serves `request` with the handler of `api`. */
export function route<K extends ApiName>(ctx: HandlerContext, api: K, request: RequestOf<K>): ResponseOf<K> | Promise<ResponseOf<K>> | PendingAnswer<ResponseOf<K>> {
  const handler = HANDLERS[api] as Handler<K> | undefined
  if (handler === undefined) throw new TypeError(`kafkalite has no handler for API ${String(api)}`)
  return handler(ctx, request)
}
