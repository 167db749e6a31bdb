/**
 * Typed errors for misuse of the cluster's own API (fault injection, options): a wrong call
 * throws one of these at once and changes nothing. Kafka errors met while serving requests are
 * never thrown: they travel as error codes in responses.
 */

/** Base class of every error the cluster API throws for bad input or an impossible fault. */
export class KafkaliteClusterError extends Error {
  override name = 'KafkaliteClusterError'
}

/** A broker id that is not part of the cluster. */
export class UnknownBrokerError extends KafkaliteClusterError {
  override name = 'UnknownBrokerError'
  constructor(
    readonly brokerId: number,
    brokerIds: readonly number[],
  ) {
    super(
      typeof brokerId === 'number'
        ? `There is no broker ${brokerId}: this cluster has brokers ${brokerIds.join(', ')}`
        : `A broker id is a number, not ${typeof brokerId} ${JSON.stringify(brokerId)}: this cluster has brokers ${brokerIds.join(', ')}`,
    )
  }
}

/** A fault that makes no sense in the broker's current state, e.g. crashing a broker that is already down. */
export class BrokerStateError extends KafkaliteClusterError {
  override name = 'BrokerStateError'
}

/** A cluster option outside its allowed range. */
export class InvalidClusterOptionError extends KafkaliteClusterError {
  override name = 'InvalidClusterOptionError'
}

/** A replication invariant failed (only checked with `checkInvariants: true`); the message names it. */
export class InvariantViolationError extends Error {
  override name = 'InvariantViolationError'
  constructor(
    readonly invariant: string,
    detail: string,
  ) {
    super(`Replication invariant "${invariant}" violated: ${detail}`)
  }
}
