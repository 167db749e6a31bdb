/**
 * Hands out producer ids (Kafka's `ProducerIdManager`, KIP-98). Kafka's brokers take blocks of
 * 1000 ids from the controller; kafkalite has one cluster-level counter, so ids are unique across
 * brokers and survive broker crashes, as the controller's blocks do.
 */
export class ProducerIdManager {
  private next = 0

  /** A producer id never handed out before. */
  allocate(): number {
    return this.next++
  }
}
