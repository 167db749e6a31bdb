/** KafkaJS's admin instrumentation event names (`admin.events`). */
export const AdminEvents = {
  CONNECT: 'admin.connect',
  DISCONNECT: 'admin.disconnect',
  REQUEST: 'admin.network.request',
  REQUEST_TIMEOUT: 'admin.network.request_timeout',
  /** Accepted by `on`; never emitted, since in-process requests do not queue behind a socket. */
  REQUEST_QUEUE_SIZE: 'admin.network.request_queue_size',
} as const

export type AdminEventName = (typeof AdminEvents)[keyof typeof AdminEvents]
