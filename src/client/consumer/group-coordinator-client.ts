/**
 * The consumer's line to its group coordinator: finds it (FindCoordinator), sends group and offset
 * requests to it, and forgets it when it moves (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE) or
 * stops answering, so the next request finds the new one, as Kafka's `AbstractCoordinator` does.
 */
import type { ApiName, RequestOf, ResponseOf } from '../../protocol/api.js'
import { Errors } from '../../protocol/error-codes.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { isNetworkError } from '../error-policy.js'

const COORDINATOR_MOVED = new Set<number>([Errors.NOT_COORDINATOR.code, Errors.COORDINATOR_NOT_AVAILABLE.code])

/** Group requests routed to the current coordinator of one group. */
export class GroupCoordinatorClient {
  private coordinatorId: number | undefined

  constructor(
    private readonly cluster: BrokerRouter,
    readonly groupId: string,
  ) {}

  /** The coordinator's broker id, finding it if unknown. */
  async coordinator(): Promise<number> {
    this.coordinatorId ??= await this.cluster.findCoordinator(this.groupId, 0)
    return this.coordinatorId
  }

  /** Forgets the coordinator, so the next request looks it up again. */
  forget(): void {
    this.coordinatorId = undefined
  }

  /**
   * Sends a request to the coordinator. Transport failures forget the coordinator and rethrow;
   * call {@link noteError} with the response's error code so a moved coordinator is forgotten.
   */
  async send<K extends ApiName>(api: K, request: RequestOf<K>, options: { timeoutMs?: number } = {}): Promise<ResponseOf<K>> {
    // Known, it is used as is: no lookup promise per request.
    const brokerId = this.coordinatorId ?? (await this.coordinator())
    try {
      return await this.cluster.send(brokerId, api, request, options)
    } catch (error) {
      if (isNetworkError(error)) this.forget()
      throw error
    }
  }

  /** Forgets the coordinator if `errorCode` says it moved. */
  noteError(errorCode: number): void {
    if (COORDINATOR_MOVED.has(errorCode)) this.forget()
  }
}
