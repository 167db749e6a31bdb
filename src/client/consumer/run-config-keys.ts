/**
 * `consumer.run({ eachmessage })` in plain JavaScript would run with no handler and consume
 * nothing, in silence (KafkaJS ignores unknown keys). kafkalite rejects keys `run` does not know.
 */
import { describeUnknownKeys } from '../../protocol/unknown-keys.js'
import { KafkaJSNonRetriableError } from '../errors.js'
import type { ConsumerRunConfig } from './consumer-config.js'

const RUN_KEYS: ReadonlyArray<keyof ConsumerRunConfig> = [
  'autoCommit',
  'autoCommitInterval',
  'autoCommitThreshold',
  'eachBatchAutoResolve',
  'partitionsConsumedConcurrently',
  'eachBatch',
  'eachMessage',
  'retry',
  'deadLetter',
]

/** Throws KafkaJSNonRetriableError naming each unknown key of `run`'s config and the key it most likely meant. */
export function checkRunConfigKeys(config: ConsumerRunConfig): void {
  if (config === null || typeof config !== 'object') throw new KafkaJSNonRetriableError(`consumer.run(config) needs an object, got ${String(config)}`)
  const unknown = describeUnknownKeys(config, RUN_KEYS, 'consumer.run option')
  if (unknown !== undefined) throw new KafkaJSNonRetriableError(`${unknown}: it would be ignored; run accepts ${RUN_KEYS.join(', ')}`)
}
