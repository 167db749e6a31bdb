/**
 * A producer whose every send ends up in the History with Jepsen's outcome: `ok` at its partition and offset, `fail`
 * when no attempt can have written the record, `info` when one may have (a timeout, a lost answer, a leader that
 * lost leadership after appending). One record per send, so the acknowledged offset is the batch's base offset.
 */
import type { Producer, ProducerConfig, SendOutcome } from 'kafkalite'
import type { VirtualKafka } from './virtual-kafka.js'

/** One send, as {@link RecordedProducer.send} takes it. */
export interface RecordedSend {
  topic: string
  value: string
  key?: string
  partition?: number
  /** -1 (all), 1 or 0; default -1, KafkaJS's. */
  acks?: -1 | 0 | 1
  /** The broker's wait for the ISR (the send's `timeout`, default KafkaJS's 30000 ms). */
  timeout?: number
}

/** What came of a send: its outcome as recorded, and the error the caller saw if it failed. */
export interface SendResult {
  readonly outcome: SendOutcome
  readonly error?: Error
}

/** A connected producer that records each send it makes, under one process id. */
export class RecordedProducer {
  private constructor(
    private readonly vk: VirtualKafka,
    readonly producer: Producer,
    /** The history's process id of this producer's sends (Jepsen: one thread doing one send at a time). */
    readonly process: string,
  ) {}

  /** Makes and connects a producer. */
  static async connect(vk: VirtualKafka, process: string, config: ProducerConfig = {}): Promise<RecordedProducer> {
    const producer = vk.kafka.producer(config)
    await vk.run(producer.connect())
    return new RecordedProducer(vk, producer, process)
  }

  /**
   * Sends one record and records the send when it settles. Never rejects: the caller reads the outcome. Call it again
   * only after the previous send settled, or the history's one-operation-at-a-time rule breaks.
   */
  async send(send: RecordedSend): Promise<SendResult> {
    const { topic, value, key, partition, acks = -1, timeout } = send
    let result: SendResult
    try {
      const metadata = await this.producer.send({ topic, acks, timeout, messages: [{ value, key, partition }] })
      const [written] = metadata
      result =
        written === undefined
          ? { outcome: { type: 'info', error: 'acks=0: no acknowledgement' } }
          : { outcome: { type: 'ok', partition: written.partition, offset: Number(written.baseOffset) } }
    } catch (error) {
      const e = error as Error
      const why = `${e.name}: ${e.message}`
      result = { error: e, outcome: this.vk.tap.mayHaveLanded(topic, value) ? { type: 'info', error: why } : { type: 'fail', error: why } }
    }
    this.vk.history.record({
      type: 'send',
      process: this.process,
      topic,
      value,
      ...(key === undefined ? {} : { key }),
      ...(partition === undefined ? {} : { partition }),
      outcome: result.outcome,
    })
    return result
  }
}
