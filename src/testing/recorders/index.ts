/** Recorders: a producer's sends and a consumer's deliveries, commits and generations, into a History and observations. */
export { Recording, type RecordingOptions } from './recording.js'
export { recordProducer, type RecordProducerOptions, type SendingProducer } from './recorded-producer.js'
export { recordConsumer, type RecordableConsumer, type RecordConsumerOptions } from './recorded-consumer.js'
export { formatHistory } from './format-history.js'
