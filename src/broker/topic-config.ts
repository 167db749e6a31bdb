/**
 * Topic-level configs (Kafka's `LogConfig`): the names kafkalite knows, how each value is
 * validated, and the effective value of a topic from its overrides, the dynamic broker defaults
 * and the static ones. This is the single source every reader of a topic config goes through.
 */
import { CLUSTER_DEFAULT, type DynamicBrokerConfigs } from './broker-config.js'
import type { ClusterConfig } from './cluster-options.js'
import type { CompressionCodec, TimestampType } from '../protocol/index.js'

type Validator = (value: string) => string | null

const LONG_MAX = '9223372036854775807'

function integer(min: number): Validator {
  return (value) => (/^-?\d+$/.test(value) && Number(value) >= min ? null : `must be an integer >= ${min}`)
}

function oneOf(...allowed: string[]): Validator {
  return (value) => (allowed.includes(value) ? null : `must be one of ${allowed.join(', ')}`)
}

const bool = oneOf('true', 'false')

function cleanupPolicy(value: string): string | null {
  const parts = value.split(',').map((p) => p.trim())
  return parts.length > 0 && parts.every((p) => p === 'delete' || p === 'compact') ? null : 'must be a list of delete, compact'
}

/**
 * A topic config: its validator, its broker-level synonym (the broker config that gives its
 * default, Kafka's `LogConfig.TopicConfigSynonyms`), whether it is a list (APPEND and SUBTRACT
 * apply to lists only, KIP-339), and its default: a cluster option (a static broker config) or Kafka's default.
 */
interface ConfigSpec {
  readonly validate: Validator
  readonly synonym: string
  readonly list: boolean
  /** Set when a cluster option gives the default (source STATIC_BROKER_CONFIG when it differs from Kafka's default). */
  readonly staticValue?: (cluster: ClusterConfig) => string
  readonly kafkaDefault: string
}

function spec(validate: Validator, synonym: string, kafkaDefault: string, list = false, staticValue?: (cluster: ClusterConfig) => string): ConfigSpec {
  return staticValue === undefined ? { validate, synonym, list, kafkaDefault } : { validate, synonym, list, kafkaDefault, staticValue }
}

/** Every topic config name kafkalite accepts, with Kafka's types, synonyms and defaults. */
export const TOPIC_CONFIGS: Readonly<Record<string, ConfigSpec>> = {
  'cleanup.policy': spec(cleanupPolicy, 'log.cleanup.policy', 'delete', true),
  'compression.type': spec(oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'), 'compression.type', 'producer'),
  'delete.retention.ms': spec(integer(0), 'log.cleaner.delete.retention.ms', '86400000'),
  'file.delete.delay.ms': spec(integer(0), 'log.segment.delete.delay.ms', '60000'),
  // Kafka's default: never fsync on a count or a timer, rely on replication (see PartitionLog.flushedOffset).
  'flush.messages': spec(integer(1), 'log.flush.interval.messages', LONG_MAX),
  'flush.ms': spec(integer(0), 'log.flush.interval.ms', LONG_MAX),
  'max.compaction.lag.ms': spec(integer(1), 'log.cleaner.max.compaction.lag.ms', LONG_MAX),
  'max.message.bytes': spec(integer(0), 'message.max.bytes', '1048588', false, (c) => String(c.maxMessageBytes)),
  'message.timestamp.type': spec(oneOf('CreateTime', 'LogAppendTime'), 'log.message.timestamp.type', 'CreateTime'),
  'min.cleanable.dirty.ratio': spec((v) => (Number(v) >= 0 && Number(v) <= 1 ? null : 'must be a number in [0, 1]'), 'log.cleaner.min.cleanable.ratio', '0.5'),
  'min.compaction.lag.ms': spec(integer(0), 'log.cleaner.min.compaction.lag.ms', '0'),
  'min.insync.replicas': spec(integer(1), 'min.insync.replicas', '1', false, (c) => String(c.minInsyncReplicas)),
  'retention.bytes': spec(integer(-1), 'log.retention.bytes', '-1'),
  'retention.ms': spec(integer(-1), 'log.retention.ms', '604800000'),
  'segment.bytes': spec(integer(14), 'log.segment.bytes', '1073741824'),
  'segment.ms': spec(integer(1), 'log.roll.ms', '604800000'),
  'unclean.leader.election.enable': spec(bool, 'unclean.leader.election.enable', 'false', false, (c) => String(c.uncleanLeaderElection)),
}

/** The topic config whose broker-level synonym is `brokerConfig`, if any. */
export function topicConfigOfSynonym(brokerConfig: string): string | undefined {
  return Object.keys(TOPIC_CONFIGS).find((name) => TOPIC_CONFIGS[name]!.synonym === brokerConfig)
}

/** One place a config's value may come from, as DescribeConfigs reports synonyms. */
export interface ConfigSynonym {
  readonly name: string
  readonly value: string
  readonly source: ConfigSourceName
}

export type ConfigSourceName = 'TOPIC_CONFIG' | 'DYNAMIC_BROKER_CONFIG' | 'DYNAMIC_DEFAULT_BROKER_CONFIG' | 'STATIC_BROKER_CONFIG' | 'DEFAULT_CONFIG'

/**
 * The broker-level sources of a topic config's default, highest precedence first (Kafka:
 * dynamic per-broker, dynamic cluster default, static, Kafka's default). `brokerId` adds that
 * broker's per-broker value, which DescribeConfigs of a broker resource shows.
 */
export function brokerSynonyms(name: string, cluster: ClusterConfig, dynamic: DynamicBrokerConfigs, brokerId?: number): ConfigSynonym[] {
  const config = TOPIC_CONFIGS[name]!
  const out: ConfigSynonym[] = []
  const perBroker = brokerId === undefined ? undefined : dynamic.get(String(brokerId), config.synonym)
  if (perBroker !== undefined) out.push({ name: config.synonym, value: perBroker, source: 'DYNAMIC_BROKER_CONFIG' })
  const clusterDefault = dynamic.get(CLUSTER_DEFAULT, config.synonym)
  if (clusterDefault !== undefined) out.push({ name: config.synonym, value: clusterDefault, source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' })
  const staticValue = config.staticValue?.(cluster)
  if (staticValue !== undefined && staticValue !== config.kafkaDefault) out.push({ name: config.synonym, value: staticValue, source: 'STATIC_BROKER_CONFIG' })
  out.push({ name: config.synonym, value: config.kafkaDefault, source: 'DEFAULT_CONFIG' })
  return out
}

/** Why a config entry is invalid, or null if it is valid. */
export function validateTopicConfig(name: string, value: string | null): string | null {
  const config = TOPIC_CONFIGS[name]
  if (config === undefined) return `Unknown topic config name: ${name}`
  if (value === null) return `Null value not supported for topic config ${name}`
  const problem = config.validate(value)
  return problem === null ? null : `Invalid value ${value} for configuration ${name}: ${problem}`
}

/** The effective configs a replica reads on every append, resolved together ({@link TopicConfig.appendValues}). */
export interface AppendValues {
  readonly minInsyncReplicas: number
  readonly maxMessageBytes: number
  readonly timestampType: TimestampType
  /** `compression.type` as configured (`producer`, `uncompressed` or a codec). */
  readonly compressionType: string
  /** `cleanup.policy` includes `compact`. */
  readonly compacted: boolean
  /** `flush.messages`, as a number (Long.MAX becomes Infinity). */
  readonly flushMessages: number
  readonly flushMs: number
  readonly segmentBytes: number
  readonly segmentMs: number
}

function compactedPolicy(policy: string): boolean {
  return policy !== 'delete' && policy.includes('compact')
}

/**
 * The configs of one topic: its overrides over the cluster-wide broker defaults. The controller
 * holds one per topic and changes it on AlterConfigs; replicas read it on every use, so a change
 * takes effect at once (the log cleaner reads retention and cleanup policy from here too).
 */
export class TopicConfig {
  private current: ReadonlyMap<string, string>
  /**
   * Effective values (and numbers) as computed since the overrides and the dynamic broker configs last changed: every
   * append reads several of them, on each replica.
   */
  private readonly resolved = new Map<string, string>()
  private readonly numbers = new Map<string, number>()
  private resolvedAtVersion = -1
  /** The values every append reads, resolved together once per change (see {@link appendValues}). */
  private append: AppendValues | undefined

  constructor(
    private readonly cluster: ClusterConfig,
    private readonly dynamic: DynamicBrokerConfigs,
    overrides: ReadonlyMap<string, string>,
  ) {
    this.current = new Map(overrides)
  }

  /** The topic's overrides (source TOPIC_CONFIG), by name. */
  get overrides(): ReadonlyMap<string, string> {
    return this.current
  }

  /** Replaces the overrides: only the controller calls this, after validating them. */
  replaceOverrides(overrides: ReadonlyMap<string, string>): void {
    this.current = new Map(overrides)
    this.resolved.clear()
    this.numbers.clear()
    this.append = undefined
  }

  /** Every source of a known config's value, highest precedence first: the first is the effective one. */
  synonyms(name: string): ConfigSynonym[] {
    const override = this.current.get(name)
    const rest = brokerSynonyms(name, this.cluster, this.dynamic)
    return override === undefined ? rest : [{ name, value: override, source: 'TOPIC_CONFIG' }, ...rest]
  }

  /** The effective value of a known config (the first of {@link synonyms}, without building them: replicas call this per request). */
  get(name: string): string {
    this.dropStale()
    let value = this.resolved.get(name)
    if (value === undefined) {
      const config = TOPIC_CONFIGS[name]!
      value = this.current.get(name) ?? this.dynamic.get(CLUSTER_DEFAULT, config.synonym) ?? config.staticValue?.(this.cluster) ?? config.kafkaDefault
      this.resolved.set(name, value)
    }
    return value
  }

  /** The effective value of a numeric config, as a number. */
  private number(name: string): number {
    this.dropStale()
    let value = this.numbers.get(name)
    if (value === undefined) this.numbers.set(name, (value = Number(this.get(name))))
    return value
  }

  private dropStale(): void {
    if (this.resolvedAtVersion === this.dynamic.version) return
    this.resolved.clear()
    this.numbers.clear()
    this.append = undefined
    this.resolvedAtVersion = this.dynamic.version
  }

  /**
   * The effective values a replica reads on every append (its flush policy among them), as one object made once per
   * change of the overrides or the dynamic broker configs: an append reads a field, not a map per config.
   */
  appendValues(): AppendValues {
    this.dropStale()
    return (this.append ??= {
      minInsyncReplicas: this.number('min.insync.replicas'),
      maxMessageBytes: this.number('max.message.bytes'),
      timestampType: this.get('message.timestamp.type') as TimestampType,
      compressionType: this.get('compression.type'),
      compacted: compactedPolicy(this.get('cleanup.policy')),
      flushMessages: this.number('flush.messages'),
      flushMs: this.number('flush.ms'),
      segmentBytes: this.number('segment.bytes'),
      segmentMs: this.number('segment.ms'),
    })
  }

  isDefault(name: string): boolean {
    return !this.current.has(name)
  }
  get minInsyncReplicas(): number {
    return this.appendValues().minInsyncReplicas
  }

  get maxMessageBytes(): number {
    return this.appendValues().maxMessageBytes
  }

  get timestampType(): TimestampType {
    return this.appendValues().timestampType
  }

  /**
   * The codec a batch is stored and fetched with: the producer's under `compression.type=producer`
   * (the default), else the topic's (`uncompressed` is none), as Kafka's LogValidator recompresses.
   */
  compressionFor(produced: CompressionCodec | undefined): CompressionCodec {
    const configured = this.appendValues().compressionType
    if (configured === 'producer') return produced ?? 'none'
    return configured === 'uncompressed' ? 'none' : (configured as CompressionCodec)
  }

  get uncleanLeaderElection(): boolean {
    return this.get('unclean.leader.election.enable') === 'true'
  }

  /** `flush.messages`, as a number (Long.MAX becomes Infinity). */
  get flushMessages(): number {
    return this.appendValues().flushMessages
  }

  get flushMs(): number {
    return this.appendValues().flushMs
  }

  get segmentBytes(): number {
    return this.appendValues().segmentBytes
  }

  get segmentMs(): number {
    return this.appendValues().segmentMs
  }

  /** `retention.ms`; -1 keeps records for ever. */
  get retentionMs(): number {
    return this.number('retention.ms')
  }

  /** `retention.bytes` per partition; -1 is no limit. */
  get retentionBytes(): number {
    return this.number('retention.bytes')
  }

  /** `cleanup.policy` as a list: `delete`, `compact`, or both. */
  get cleanupPolicy(): string[] {
    return this.get('cleanup.policy').split(',').map((p) => p.trim())
  }

  /** `cleanup.policy` includes `compact`: read per produce request, so it compares one string, no split. */
  get compacted(): boolean {
    return this.appendValues().compacted
  }

  /** `delete.retention.ms`: how long a tombstone or transaction marker outlives its first cleaning (KIP-534). */
  get deleteRetentionMs(): number {
    return this.number('delete.retention.ms')
  }

  /** `min.compaction.lag.ms`. */
  get minCompactionLagMs(): number {
    return this.number('min.compaction.lag.ms')
  }

  /** `max.compaction.lag.ms` (Long.MAX becomes a number past any clock). */
  get maxCompactionLagMs(): number {
    return this.number('max.compaction.lag.ms')
  }

  /** `min.cleanable.dirty.ratio`. */
  get minCleanableDirtyRatio(): number {
    return this.number('min.cleanable.dirty.ratio')
  }
}
