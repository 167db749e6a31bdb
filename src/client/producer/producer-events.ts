/** KafkaJS's producer instrumentation event names (`producer.events`). */
export const ProducerEvents = {
  CONNECT: 'producer.connect',
  DISCONNECT: 'producer.disconnect',
  REQUEST: 'producer.network.request',
  REQUEST_TIMEOUT: 'producer.network.request_timeout',
  /** Accepted by `on`; never emitted, since in-process requests do not queue behind a socket. */
  REQUEST_QUEUE_SIZE: 'producer.network.request_queue_size',
} as const

export type ProducerEventName = (typeof ProducerEvents)[keyof typeof ProducerEvents]
