/** The per-partition error list several APIs answer with (OffsetCommit, TxnOffsetCommit, AddPartitionsToTxn), in wire field names. */
import type { PartitionErrors } from '../../protocol/index.js'
import { field, structs, type Field } from '../schema.js'

/** `[name, partitions: [partitionIndex, errorCode]]`, named as the API's schema names them. */
export function partitionErrorFields(topics: string, partitions: string): Field {
  return structs(topics, '0+', [field('name', 'string', '0+'), structs(partitions, '0+', [field('partitionIndex', 'int32', '0+'), field('errorCode', 'int16', '0+')])])
}

/** A {@link PartitionErrors} answer in the field names of {@link partitionErrorFields}. */
export function partitionErrorsToWire(response: PartitionErrors, partitions: string): Array<Record<string, unknown>> {
  return response.topics.map((t) => ({ name: t.topic, [partitions]: t.partitions.map((p) => ({ partitionIndex: p.partition, errorCode: p.errorCode })) }))
}
