/**
 * Builds the response a broker would give if it failed a whole request with one Kafka error:
 * what a `fail` hook returns. Per-partition APIs carry the code on every partition, as a
 * broker does when, say, it is not the leader for any of them.
 */
import type { ApiName, RequestOf, ResponseOf } from '../protocol/api.js'

type Builders = { [K in ApiName]: (request: RequestOf<K>, errorCode: number) => ResponseOf<K> }

function partitionErrors(
  topics: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<number | { partition: number }> }>,
  errorCode: number,
) {
  return {
    topics: topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({ partition: typeof p === 'number' ? p : p.partition, errorCode })),
    })),
  }
}

const builders: Builders = {
  Produce: (req, errorCode) => ({
    topics: req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode, baseOffset: -1, logAppendTime: -1, logStartOffset: -1 })),
    })),
  }),
  Fetch: (req, errorCode) => ({
    topics: req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({
        partition: p.partition,
        errorCode,
        highWatermark: -1,
        lastStableOffset: -1,
        logStartOffset: -1,
        abortedTransactions: [],
        batches: [],
      })),
    })),
  }),
  ListOffsets: (req, errorCode) => ({
    topics: req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode, timestamp: -1, offset: -1, leaderEpoch: -1 })),
    })),
  }),
  Metadata: (req, errorCode) => ({
    brokers: [],
    clusterId: '',
    controllerId: -1,
    topics: (req.topics ?? []).map((topic) => ({ topic, errorCode, isInternal: false, partitions: [] })),
  }),
  OffsetCommit: (req, errorCode) => partitionErrors(req.topics, errorCode),
  OffsetFetch: (_req, errorCode) => ({ errorCode, topics: [] }),
  FindCoordinator: (_req, errorCode) => ({ errorCode, errorMessage: null, nodeId: -1, host: '', port: -1 }),
  JoinGroup: (req, errorCode) => ({ errorCode, generationId: -1, protocolName: null, leader: '', memberId: req.memberId, members: [] }),
  Heartbeat: (_req, errorCode) => ({ errorCode }),
  LeaveGroup: (req, errorCode) => ({ errorCode, members: req.members.map((m) => ({ memberId: m.memberId, errorCode })) }),
  SyncGroup: (_req, errorCode) => ({ errorCode, assignment: Buffer.alloc(0) }),
  DescribeGroups: (req, errorCode) => ({
    groups: req.groups.map((groupId) => ({ errorCode, groupId, state: 'Dead' as const, protocolType: '', protocol: '', members: [] })),
  }),
  ListGroups: (_req, errorCode) => ({ errorCode, groups: [] }),
  CreateTopics: (req, errorCode) => ({ topics: req.topics.map((t) => ({ name: t.name, errorCode, errorMessage: null })) }),
  DeleteTopics: (req, errorCode) => ({ topics: req.topicNames.map((name) => ({ name, errorCode, errorMessage: null })) }),
  InitProducerId: (_req, errorCode) => ({ errorCode, producerId: -1, producerEpoch: -1 }),
  OffsetForLeaderEpoch: (req, errorCode) => ({
    topics: req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode, leaderEpoch: -1, endOffset: -1 })),
    })),
  }),
  AddPartitionsToTxn: (req, errorCode) => partitionErrors(req.topics, errorCode),
  AddOffsetsToTxn: (_req, errorCode) => ({ errorCode }),
  EndTxn: (_req, errorCode) => ({ errorCode }),
  WriteTxnMarkers: (req, errorCode) => ({
    markers: req.markers.map((m) => ({ producerId: m.producerId, ...partitionErrors(m.topics, errorCode) })),
  }),
  TxnOffsetCommit: (req, errorCode) => partitionErrors(req.topics, errorCode),
  DescribeConfigs: (req, errorCode) => ({
    resources: req.resources.map((r) => ({
      errorCode,
      errorMessage: null,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      configEntries: [],
    })),
  }),
  AlterConfigs: (req, errorCode) => ({
    resources: req.resources.map((r) => ({ resourceType: r.resourceType, resourceName: r.resourceName, errorCode, errorMessage: null })),
  }),
  IncrementalAlterConfigs: (req, errorCode) => ({
    resources: req.resources.map((r) => ({ resourceType: r.resourceType, resourceName: r.resourceName, errorCode, errorMessage: null })),
  }),
  DescribeAcls: (_req, errorCode) => ({ errorCode, errorMessage: null, resources: [] }),
  CreateAcls: (req, errorCode) => ({ results: req.creations.map(() => ({ errorCode, errorMessage: null })) }),
  DeleteAcls: (req, errorCode) => ({ filterResults: req.filters.map(() => ({ errorCode, errorMessage: null, matchingAcls: [] })) }),
  ElectLeaders: (_req, errorCode) => ({ errorCode, replicaElectionResults: [] }),
  AlterPartitionReassignments: (_req, errorCode) => ({ errorCode, errorMessage: null, responses: [] }),
  ListPartitionReassignments: (_req, errorCode) => ({ errorCode, errorMessage: null, topics: [] }),
  CreatePartitions: (req, errorCode) => ({ results: req.topics.map((t) => ({ name: t.name, errorCode, errorMessage: null })) }),
  DeleteGroups: (req, errorCode) => ({ results: req.groupIds.map((groupId) => ({ groupId, errorCode })) }),
  DeleteRecords: (req, errorCode) => ({
    topics: req.topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, lowWatermark: -1, errorCode })) })),
  }),
}

/** The response of `api` failing as a whole with `errorCode`. */
export function errorResponse<K extends ApiName>(api: K, request: RequestOf<K>, errorCode: number): ResponseOf<K> {
  return (builders[api] as (request: RequestOf<K>, errorCode: number) => ResponseOf<K>)(request, errorCode)
}
