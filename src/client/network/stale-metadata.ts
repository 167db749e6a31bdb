/**
 * The partition errors that mean a client's metadata is stale: the leader moved, the partition is
 * being created or moved, or the leader epoch changed (KIP-320). The cure is the same everywhere:
 * reload metadata and send the request again to the leader it names.
 */
import { Errors } from '../../protocol/error-codes.js'

const STALE_METADATA = new Set<number>([
  Errors.NOT_LEADER_OR_FOLLOWER.code,
  Errors.LEADER_NOT_AVAILABLE.code,
  Errors.UNKNOWN_TOPIC_OR_PARTITION.code,
  Errors.FENCED_LEADER_EPOCH.code,
  Errors.UNKNOWN_LEADER_EPOCH.code,
  Errors.REPLICA_NOT_AVAILABLE.code,
  Errors.KAFKA_STORAGE_ERROR.code,
])

/** True if a partition error means "reload metadata and retry at the leader". */
export function isStaleMetadataError(errorCode: number): boolean {
  return STALE_METADATA.has(errorCode)
}
