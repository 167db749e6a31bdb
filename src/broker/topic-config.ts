/**
 * Topic-level configs (Kafka's `LogConfig`): the names kafkalite knows, how each value is
 * validated, and the effective value of a topic from its overrides and the cluster defaults.
 * A config that is accepted but not modelled (e.g. `delete.retention.ms`, compaction) is stored and described,
 * so admin tools round-trip it, but it has no effect (a row in docs/semantics.md).
 */
import type { ClusterConfig } from './cluster-options.js'

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

/** A topic config: its validator and its default (a cluster option, or Kafka's default). */
interface ConfigSpec {
  readonly validate: Validator
  readonly defaultValue: (cluster: ClusterConfig) => string
}

function spec(validate: Validator, defaultValue: string | ((cluster: ClusterConfig) => string)): ConfigSpec {
  return { validate, defaultValue: typeof defaultValue === 'string' ? () => defaultValue : defaultValue }
}

/** Every topic config name kafkalite accepts, with Kafka's types and defaults. */
export const TOPIC_CONFIGS: Readonly<Record<string, ConfigSpec>> = {
  'cleanup.policy': spec(cleanupPolicy, 'delete'),
  'compression.type': spec(oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'), 'producer'),
  'delete.retention.ms': spec(integer(0), '86400000'),
  'file.delete.delay.ms': spec(integer(0), '60000'),
  // Kafka's default: never fsync on a count or a timer, rely on replication (see PartitionLog.flushedOffset).
  'flush.messages': spec(integer(1), LONG_MAX),
  'flush.ms': spec(integer(0), LONG_MAX),
  'max.compaction.lag.ms': spec(integer(1), LONG_MAX),
  'max.message.bytes': spec(integer(0), (c) => String(c.maxMessageBytes)),
  'message.timestamp.type': spec(oneOf('CreateTime', 'LogAppendTime'), 'CreateTime'),
  'min.cleanable.dirty.ratio': spec((v) => (Number(v) >= 0 && Number(v) <= 1 ? null : 'must be a number in [0, 1]'), '0.5'),
  'min.compaction.lag.ms': spec(integer(0), '0'),
  'min.insync.replicas': spec(integer(1), (c) => String(c.minInsyncReplicas)),
  'retention.bytes': spec(integer(-1), '-1'),
  'retention.ms': spec(integer(-1), '604800000'),
  'segment.bytes': spec(integer(14), '1073741824'),
  'segment.ms': spec(integer(1), '604800000'),
  'unclean.leader.election.enable': spec(bool, (c) => String(c.uncleanLeaderElection)),
}

/** Why a config entry is invalid, or null if it is valid. */
export function validateTopicConfig(name: string, value: string | null): string | null {
  const config = TOPIC_CONFIGS[name]
  if (config === undefined) return `Unknown topic config name: ${name}`
  if (value === null) return `Null value not supported for topic config ${name}`
  const problem = config.validate(value)
  return problem === null ? null : `Invalid value ${value} for configuration ${name}: ${problem}`
}

/** The configs of one topic: its explicit overrides over the cluster defaults. */
export class TopicConfig {
  constructor(
    private readonly cluster: ClusterConfig,
    /** Overrides given at creation, by name. */
    readonly overrides: ReadonlyMap<string, string>,
  ) {}

  /** The effective value of a known config. */
  get(name: string): string {
    return this.overrides.get(name) ?? TOPIC_CONFIGS[name]!.defaultValue(this.cluster)
  }

  isDefault(name: string): boolean {
    return !this.overrides.has(name)
  }

  get minInsyncReplicas(): number {
    return Number(this.get('min.insync.replicas'))
  }

  get maxMessageBytes(): number {
    return Number(this.get('max.message.bytes'))
  }

  get timestampType(): 'CreateTime' | 'LogAppendTime' {
    return this.get('message.timestamp.type') as 'CreateTime' | 'LogAppendTime'
  }

  get uncleanLeaderElection(): boolean {
    return this.get('unclean.leader.election.enable') === 'true'
  }

  /** `flush.messages`, as a number (Long.MAX becomes Infinity). */
  get flushMessages(): number {
    return Number(this.get('flush.messages'))
  }

  get flushMs(): number {
    return Number(this.get('flush.ms'))
  }

  get segmentBytes(): number {
    return Number(this.get('segment.bytes'))
  }

  get segmentMs(): number {
    return Number(this.get('segment.ms'))
  }

  /** `retention.ms`; -1 keeps records for ever. */
  get retentionMs(): number {
    return Number(this.get('retention.ms'))
  }

  /** `retention.bytes` per partition; -1 is no limit. */
  get retentionBytes(): number {
    return Number(this.get('retention.bytes'))
  }

  /** `cleanup.policy` as a list: `delete`, `compact`, or both. */
  get cleanupPolicy(): string[] {
    return this.get('cleanup.policy').split(',').map((p) => p.trim())
  }
}
