/** The assignors a consumer group leader runs client-side, with KafkaJS's interface and wire format. */
import { cooperativeSticky } from './cooperative-sticky-assigner.js'
import { range } from './range-assigner.js'
import { roundRobin } from './round-robin-assigner.js'

export { AssignerProtocol, MemberAssignment, MemberMetadata } from './assigner-protocol.js'
export type * from './assigner-types.js'
export { decodeOwnedPartitions, encodeOwnedPartitions, type OwnedPartitions } from './cooperative-sticky-assigner.js'

/** KafkaJS's `PartitionAssigners` (KafkaJS has `roundRobin` only), plus Kafka's range and cooperative-sticky. */
export const PartitionAssigners = { roundRobin, range, cooperativeSticky }
