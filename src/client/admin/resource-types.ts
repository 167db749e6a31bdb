/**
 * KafkaJS's admin constants, with Kafka's numeric values: config resource types and sources
 * (DescribeConfigs), the operations of incrementalAlterConfigs, and the ACL enums.
 */
import { ConfigSource as ProtocolConfigSource } from '../../protocol/metadata-apis.js'

/** Kafka's `ConfigResource.Type` values KafkaJS exposes. */
export const ConfigResourceTypes = { UNKNOWN: 0, TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const
export type ConfigResourceTypes = (typeof ConfigResourceTypes)[keyof typeof ConfigResourceTypes]

/** Where a config value comes from (DescribeConfigs v1+): the protocol's own table. */
export const ConfigSource = ProtocolConfigSource
export type ConfigSource = (typeof ConfigSource)[keyof typeof ConfigSource]

/** The operations of `admin.incrementalAlterConfigs` (Kafka's `AlterConfigOp.OpType`, KIP-339). */
export const AlterConfigOpTypes = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const
export type AlterConfigOpTypes = (typeof AlterConfigOpTypes)[keyof typeof AlterConfigOpTypes]

export const AclResourceTypes = { UNKNOWN: 0, ANY: 1, TOPIC: 2, GROUP: 3, CLUSTER: 4, TRANSACTIONAL_ID: 5, DELEGATION_TOKEN: 6 } as const
export type AclResourceTypes = (typeof AclResourceTypes)[keyof typeof AclResourceTypes]

export const AclOperationTypes = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
} as const
export type AclOperationTypes = (typeof AclOperationTypes)[keyof typeof AclOperationTypes]

export const AclPermissionTypes = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const
export type AclPermissionTypes = (typeof AclPermissionTypes)[keyof typeof AclPermissionTypes]

export const ResourcePatternTypes = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const
export type ResourcePatternTypes = (typeof ResourcePatternTypes)[keyof typeof ResourcePatternTypes]
