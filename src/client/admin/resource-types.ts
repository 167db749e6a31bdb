/**
 * KafkaJS's admin constants, with Kafka's numeric values: config resource types and sources
 * (DescribeConfigs), the operations of incrementalAlterConfigs, and the ACL enums.
 */
import { AclOperation, AclPermission, AclResourceType, PatternType } from '../../protocol/index.js'
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

/** KafkaJS's names for Kafka's ACL codes, which the protocol layer defines once. */
export const AclResourceTypes = AclResourceType
export type AclResourceTypes = (typeof AclResourceTypes)[keyof typeof AclResourceTypes]

export const AclOperationTypes = AclOperation
export type AclOperationTypes = (typeof AclOperationTypes)[keyof typeof AclOperationTypes]

export const AclPermissionTypes = AclPermission
export type AclPermissionTypes = (typeof AclPermissionTypes)[keyof typeof AclPermissionTypes]

export const ResourcePatternTypes = PatternType
export type ResourcePatternTypes = (typeof ResourcePatternTypes)[keyof typeof ResourcePatternTypes]
