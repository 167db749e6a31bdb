/**
 * InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit and
 * WriteTxnMarkers: the idempotent and transactional producer arrive with issue 4. Until then
 * each answers UNSUPPORTED_VERSION, so a client fails clearly instead of half-working.
 */
import { Errors, type ApiMap, type PartitionErrors } from '../../protocol/index.js'

const UNSUPPORTED = Errors.UNSUPPORTED_VERSION.code

type TxnApi = 'InitProducerId' | 'AddPartitionsToTxn' | 'AddOffsetsToTxn' | 'EndTxn' | 'TxnOffsetCommit' | 'WriteTxnMarkers'

function partitionErrors(topics: ReadonlyArray<{ topic: string; partitions: readonly (number | { partition: number })[] }>): PartitionErrors {
  return {
    topics: topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({ partition: typeof p === 'number' ? p : p.partition, errorCode: UNSUPPORTED })),
    })),
  }
}

/** The UNSUPPORTED_VERSION answer of a transaction API. */
export function handleTransactionApi<K extends TxnApi>(api: K, request: ApiMap[K][0]): ApiMap[K][1] {
  const answers: { [A in TxnApi]: (r: ApiMap[A][0]) => ApiMap[A][1] } = {
    InitProducerId: () => ({ errorCode: UNSUPPORTED, producerId: -1, producerEpoch: -1 }),
    AddPartitionsToTxn: (r) => partitionErrors(r.topics),
    AddOffsetsToTxn: () => ({ errorCode: UNSUPPORTED }),
    EndTxn: () => ({ errorCode: UNSUPPORTED }),
    TxnOffsetCommit: (r) => partitionErrors(r.topics),
    WriteTxnMarkers: (r) => ({ markers: r.markers.map((m) => ({ producerId: m.producerId, ...partitionErrors(m.topics) })) }),
  }
  return (answers[api] as (r: ApiMap[K][0]) => ApiMap[K][1])(request)
}
