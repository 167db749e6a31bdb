/** The group coordinator: Kafka's classic consumer group protocol and committed offsets, broker side. */
export { GroupCoordinator, type GroupCoordinatorOptions } from './group-coordinator.js'
export { OffsetStore, type CommittedOffset, type OffsetToCommit } from './offset-store.js'
export { NEW_MEMBER_JOIN_TIMEOUT_MS } from './rebalance.js'
export { OFFSET_METADATA_MAX_BYTES } from './offset-requests.js'
