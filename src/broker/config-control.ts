/**
 * Dynamic configuration at the controller (Kafka's `ConfigurationControlManager`): validates and
 * applies AlterConfigs (replace a resource's whole set, KIP-133) and IncrementalAlterConfigs
 * (SET, DELETE, APPEND, SUBTRACT, KIP-339) for topics and brokers. A resource's change is
 * all-or-nothing; `validateOnly` checks and changes nothing. Changes take effect at once because
 * every reader goes through {@link TopicConfig}.
 */
import { AlterConfigOp, ConfigResourceType, Errors, type KafkaErrorCode } from '../protocol/index.js'
import { CLUSTER_DEFAULT, staticBrokerConfigs, type DynamicBrokerConfigs } from './broker-config.js'
import type { ClusterConfig } from './cluster-options.js'
import type { Controller, ControllerResult } from './controller.js'
import { TOPIC_CONFIGS, topicConfigOfSynonym, validateTopicConfig } from './topic-config.js'

/** One entry of an IncrementalAlterConfigs resource. */
export interface ConfigOperation {
  readonly name: string
  readonly configOperation: number
  readonly value: string | null
}

/** A resource to change, with its new set computed from the current one, or why it cannot be. */
type Computed = { readonly configs: Map<string, string> } | ControllerResult

/** Computes a resource's new dynamic configs from its current ones and the effective value of any config. */
type Compute = (current: ReadonlyMap<string, string>, effective: (name: string) => string | undefined) => Computed

const OK: ControllerResult = Object.freeze({ errorCode: 0, errorMessage: null })

function fail(error: KafkaErrorCode, message: string): ControllerResult {
  return { errorCode: error.code, errorMessage: message }
}

const OP_NAMES: Readonly<Record<number, string>> = { [AlterConfigOp.APPEND]: 'append', [AlterConfigOp.SUBTRACT]: 'subtract' }

export class ConfigControl {
  constructor(
    private readonly controller: Controller,
    private readonly dynamic: DynamicBrokerConfigs,
    private readonly cluster: ClusterConfig,
  ) {}

  /** AlterConfigs for one resource: its dynamic configs become exactly `configs`. */
  alter(resourceType: number, resourceName: string, configs: ReadonlyArray<{ readonly name: string; readonly value: string | null }>, validateOnly: boolean): ControllerResult {
    const duplicate = this.duplicateKeys(configs.map((c) => c.name))
    if (duplicate !== null) return duplicate
    const next = new Map<string, string>()
    for (const { name, value } of configs) {
      if (value === null) return fail(Errors.INVALID_REQUEST, `Null value not supported for : ${name}`)
      next.set(name, value)
    }
    return this.apply(resourceType, resourceName, () => ({ configs: next }), validateOnly)
  }

  /** IncrementalAlterConfigs for one resource: applies each operation to its current dynamic configs. */
  incrementalAlter(resourceType: number, resourceName: string, operations: readonly ConfigOperation[], validateOnly: boolean): ControllerResult {
    const duplicate = this.duplicateKeys(operations.map((c) => c.name))
    if (duplicate !== null) return duplicate
    return this.apply(resourceType, resourceName, (current, effective) => this.applyOperations(current, effective, operations), validateOnly)
  }

  private applyOperations(current: ReadonlyMap<string, string>, effective: (name: string) => string | undefined, operations: readonly ConfigOperation[]): Computed {
    const next = new Map(current)
    for (const { name, configOperation, value } of operations) {
      switch (configOperation) {
        case AlterConfigOp.SET:
          if (value === null) return fail(Errors.INVALID_REQUEST, `Null value not supported for : ${name}`)
          next.set(name, value)
          break
        case AlterConfigOp.DELETE:
          next.delete(name)
          break
        case AlterConfigOp.APPEND:
        case AlterConfigOp.SUBTRACT: {
          // Only list configs take APPEND and SUBTRACT; a missing override starts from the default (Kafka's ConfigAdminManager).
          if (TOPIC_CONFIGS[name]?.list !== true && TOPIC_CONFIGS[topicConfigOfSynonym(name) ?? '']?.list !== true) {
            return fail(Errors.INVALID_CONFIG, `Config value ${OP_NAMES[configOperation]} is not allowed for config key: ${name}`)
          }
          if (value === null) return fail(Errors.INVALID_REQUEST, `Null value not supported for : ${name}`)
          const items = (next.get(name) ?? effective(name) ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '')
          const given = value.split(',').map((v) => v.trim()).filter((v) => v !== '')
          const result = configOperation === AlterConfigOp.APPEND ? [...items, ...given.filter((v) => !items.includes(v))] : items.filter((v) => !given.includes(v))
          next.set(name, result.join(','))
          break
        }
        default:
          return fail(Errors.INVALID_REQUEST, `Unknown config operation ${configOperation} for ${name}: use SET (0), DELETE (1), APPEND (2) or SUBTRACT (3)`)
      }
    }
    return { configs: next }
  }

  private apply(
    resourceType: number,
    resourceName: string,
    compute: Compute,
    validateOnly: boolean,
  ): ControllerResult {
    if (resourceType === ConfigResourceType.TOPIC) return this.applyToTopic(resourceName, compute, validateOnly)
    if (resourceType === ConfigResourceType.BROKER) return this.applyToBroker(resourceName, compute, validateOnly)
    return fail(Errors.INVALID_REQUEST, `Unsupported resource type ${resourceType} for altering configs: use TOPIC (2) or BROKER (4)`)
  }

  private applyToTopic(name: string, compute: Compute, validateOnly: boolean): ControllerResult {
    const topic = this.controller.topics.get(name)
    if (topic === undefined) return fail(Errors.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist`)
    const computed = compute(topic.config.overrides, (config) => (TOPIC_CONFIGS[config] === undefined ? undefined : topic.config.get(config)))
    if (!('configs' in computed)) return computed
    for (const [config, value] of computed.configs) {
      const problem = validateTopicConfig(config, value)
      if (problem !== null) return fail(Errors.INVALID_CONFIG, problem)
    }
    const rf = topic.partitions[0]?.replicas.length ?? 0
    const minIsr = Number(computed.configs.get('min.insync.replicas') ?? '1')
    if (computed.configs.has('min.insync.replicas') && minIsr > rf) {
      // The same kafkalite check as at creation (docs/semantics.md): no acks=all write could ever succeed.
      return fail(Errors.INVALID_CONFIG, `min.insync.replicas ${minIsr} is larger than the replication factor ${rf}`)
    }
    if (validateOnly) return OK
    const minIsrBefore = topic.config.minInsyncReplicas
    topic.config.replaceOverrides(computed.configs)
    this.controller.configsChanged(name, () => minIsrBefore)
    return OK
  }

  private applyToBroker(name: string, compute: Compute, validateOnly: boolean): ControllerResult {
    if (name !== CLUSTER_DEFAULT && !(/^\d+$/.test(name) && this.controller.knowsBroker(Number(name)))) {
      return fail(Errors.INVALID_REQUEST, `Unknown broker ${JSON.stringify(name)}: name a broker id, or '' for the cluster-wide default`)
    }
    const staticConfigs = staticBrokerConfigs(this.cluster, 0)
    const computed = compute(this.dynamic.entries(name), (config) => this.dynamic.get(CLUSTER_DEFAULT, config) ?? this.staticDefault(config))
    if (!('configs' in computed)) return computed
    const readOnly = [...computed.configs.keys()].filter((config) => staticConfigs.has(config))
    // Kafka's DynamicBrokerConfig: only reconfigurable configs may change at run time.
    if (readOnly.length > 0) return fail(Errors.INVALID_REQUEST, `Cannot update these configs dynamically: Set(${readOnly.join(', ')})`)
    for (const [config, value] of computed.configs) {
      const topicConfig = topicConfigOfSynonym(config)
      if (topicConfig === undefined) continue // Kafka stores custom broker configs as they are.
      const problem = TOPIC_CONFIGS[topicConfig]!.validate(value)
      if (problem !== null) return fail(Errors.INVALID_CONFIG, `Invalid value ${value} for configuration ${config}: ${problem}`)
    }
    if (validateOnly) return OK
    const minIsrBefore = new Map([...this.controller.topics.values()].map((topic) => [topic.name, topic.config.minInsyncReplicas]))
    this.dynamic.replace(name, computed.configs)
    this.controller.configsChanged(null, (topic) => minIsrBefore.get(topic)!)
    return OK
  }

  private staticDefault(brokerConfig: string): string | undefined {
    const topicConfig = topicConfigOfSynonym(brokerConfig)
    if (topicConfig === undefined) return undefined
    const spec = TOPIC_CONFIGS[topicConfig]!
    return spec.staticValue?.(this.cluster) ?? spec.kafkaDefault
  }

  private duplicateKeys(names: readonly string[]): ControllerResult | null {
    return new Set(names).size === names.length ? null : fail(Errors.INVALID_REQUEST, 'Error due to duplicate config keys')
  }
}
