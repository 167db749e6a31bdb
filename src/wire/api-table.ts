/** Every API the wire listener serves, by key: the one table behind ApiVersions and request decoding. */
import type { ApiCodec } from './api-codec.js'
import { produceCodec } from './apis/00-produce.js'
import { fetchCodec } from './apis/01-fetch.js'
import { listOffsetsCodec } from './apis/02-list-offsets.js'
import { metadataCodec } from './apis/03-metadata.js'
import { offsetCommitCodec } from './apis/08-offset-commit.js'
import { offsetFetchCodec } from './apis/09-offset-fetch.js'
import { findCoordinatorCodec } from './apis/10-find-coordinator.js'
import { joinGroupCodec } from './apis/11-join-group.js'
import { heartbeatCodec } from './apis/12-heartbeat.js'
import { leaveGroupCodec } from './apis/13-leave-group.js'
import { syncGroupCodec } from './apis/14-sync-group.js'
import { describeGroupsCodec } from './apis/15-describe-groups.js'
import { listGroupsCodec } from './apis/16-list-groups.js'
import { saslHandshakeCodec } from './apis/17-sasl-handshake.js'
import { apiVersionsCodec } from './apis/18-api-versions.js'
import { createTopicsCodec } from './apis/19-create-topics.js'
import { deleteTopicsCodec } from './apis/20-delete-topics.js'
import { deleteRecordsCodec } from './apis/21-delete-records.js'
import { initProducerIdCodec } from './apis/22-init-producer-id.js'
import { offsetForLeaderEpochCodec } from './apis/23-offset-for-leader-epoch.js'
import { addPartitionsToTxnCodec } from './apis/24-add-partitions-to-txn.js'
import { addOffsetsToTxnCodec } from './apis/25-add-offsets-to-txn.js'
import { endTxnCodec } from './apis/26-end-txn.js'
import { txnOffsetCommitCodec } from './apis/28-txn-offset-commit.js'
import { describeAclsCodec } from './apis/29-describe-acls.js'
import { createAclsCodec } from './apis/30-create-acls.js'
import { deleteAclsCodec } from './apis/31-delete-acls.js'
import { describeConfigsCodec } from './apis/32-describe-configs.js'
import { alterConfigsCodec } from './apis/33-alter-configs.js'
import { saslAuthenticateCodec } from './apis/36-sasl-authenticate.js'
import { createPartitionsCodec } from './apis/37-create-partitions.js'
import { deleteGroupsCodec } from './apis/42-delete-groups.js'
import { electLeadersCodec } from './apis/43-elect-leaders.js'
import { incrementalAlterConfigsCodec } from './apis/44-incremental-alter-configs.js'
import { alterPartitionReassignmentsCodec } from './apis/45-alter-partition-reassignments.js'
import { listPartitionReassignmentsCodec } from './apis/46-list-partition-reassignments.js'
import { describeClusterCodec } from './apis/60-describe-cluster.js'

/** The codecs in key order. */
export const API_CODECS: readonly ApiCodec[] = [
  produceCodec,
  fetchCodec,
  listOffsetsCodec,
  metadataCodec,
  offsetCommitCodec,
  offsetFetchCodec,
  findCoordinatorCodec,
  joinGroupCodec,
  heartbeatCodec,
  leaveGroupCodec,
  syncGroupCodec,
  describeGroupsCodec,
  listGroupsCodec,
  saslHandshakeCodec,
  apiVersionsCodec,
  createTopicsCodec,
  deleteTopicsCodec,
  deleteRecordsCodec,
  initProducerIdCodec,
  offsetForLeaderEpochCodec,
  addPartitionsToTxnCodec,
  addOffsetsToTxnCodec,
  endTxnCodec,
  txnOffsetCommitCodec,
  describeAclsCodec,
  createAclsCodec,
  deleteAclsCodec,
  describeConfigsCodec,
  alterConfigsCodec,
  saslAuthenticateCodec,
  createPartitionsCodec,
  deleteGroupsCodec,
  electLeadersCodec,
  incrementalAlterConfigsCodec,
  alterPartitionReassignmentsCodec,
  listPartitionReassignmentsCodec,
  describeClusterCodec,
]

const byKey = new Map(API_CODECS.map((codec) => [codec.key, codec]))

/** The codec of an API key, or undefined for an API the listener does not serve. */
export function codecFor(key: number): ApiCodec | undefined {
  return byKey.get(key)
}

/** The ApiVersions list: each served API with its version range. */
export function servedApis(): ReadonlyArray<{ key: number; minVersion: number; maxVersion: number }> {
  return API_CODECS.map((c) => ({ key: c.key, minVersion: c.advertisedMinVersion ?? c.minVersion, maxVersion: c.maxVersion }))
}
