/**
 * The adversary's wiretap: it watches every request on the cluster's transport (clients' and brokers') and every
 * hook that fires, and turns what it sees into observations for the oracles (assignments per generation from
 * SyncGroup answers, successful OffsetCommits) and into the coverage of the windows the campaign must reach.
 * It reads requests and answers as they cross the wire; it never asks the client for its state.
 */
import { AssignerProtocol, type Cluster, type HookAction } from 'kafkalite'
import type { CommitEvent, GenerationAssignment } from '../../src/testing/oracles/index.js'
import type { Endpoint } from '../../src/protocol/api.js'
import { brokerSideOf } from '../../src/cluster.js'

/** The windows a fair share of seeds must reach (issue 8). */
export const WINDOWS = [
  'leaderChangeWhileSendWaits',
  'truncationOnRestart',
  'replicationFetchDelayedAcrossRestart',
  'droppedResponseToIdempotentSend',
  'crashInOpenTransaction',
  'rebalanceWithUncommittedProcessed',
  'fetchFromStaleLeader',
  // A consumer fetching from a leader alone below min.insync.replicas with records above its high watermark: the
  // records the classic rule (HW = the ISR's smallest log end) would hand out and a power cut could take back (seed 42330).
  'fetchWhileHighWatermarkHeld',
] as const
export type Window = (typeof WINDOWS)[number]

interface SyncRequest { groupId: string; generationId: number; memberId: string }
interface CommitRequest { groupId: string; topics: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<{ partition: number; offset: number }> }> }
interface CommitResponse { topics: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<{ partition: number; errorCode: number }> }> }
interface FetchRequestView { topics: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<{ partition: number; fetchOffset: number }> }> }

/** What the observer reports to the run. */
export interface ObserverSink {
  nextSeq(): number
  onAssignment(a: GenerationAssignment): void
  onCommit(c: CommitEvent): void
}

export class NetworkObserver {
  readonly reached = new Set<Window>()
  /** Produce requests from clients awaiting an answer, per broker. */
  private readonly producing = new Map<number, number>()
  /** Replication fetches a hook delayed: from which broker, until when. */
  private readonly delayedFetches: Array<{ follower: number; until: number }> = []
  /** Per restarted broker: its log end offset per partition right after the restart. */
  private readonly restartedEnds = new Map<number, Map<string, number>>()

  constructor(private readonly cluster: Cluster, private readonly sink: ObserverSink, private readonly idempotentClients: ReadonlySet<string>) {
    const transport = cluster.transport
    const send = transport.send.bind(transport)
    transport.send = ((from: Endpoint, brokerId: number, api: string, request: unknown, options?: unknown) => {
      this.beforeSend(from, brokerId, api, request)
      const response = (send as (...args: unknown[]) => Promise<unknown>)(from, brokerId, api, request, options)
      this.afterSend(from, brokerId, api, request, response)
      return response
    }) as typeof transport.send
    // Replication fetches come through the callback form of the channel (no promise): watched too.
    const call = transport.call.bind(transport)
    transport.call = ((from: Endpoint, brokerId: number, api: string, request: unknown, ...rest: unknown[]) => {
      this.beforeSend(from, brokerId, api, request)
      ;(call as (...args: unknown[]) => void)(from, brokerId, api, request, ...rest)
    }) as typeof transport.call
    const match = transport.hooks.match.bind(transport.hooks)
    transport.hooks.match = (api, from, brokerId, request) => {
      const action = match(api, from, brokerId, request)
      if (action !== undefined) this.onHook(api, from, action)
      return action
    }
  }

  /** Before a broker crashes or is cut off: a send to it still waiting is a send that sees a leader change. */
  beforeBrokerFault(brokerId: number): void {
    if ((this.producing.get(brokerId) ?? 0) > 0) this.reached.add('leaderChangeWhileSendWaits')
  }

  /** After a broker restarts: remember its log ends, to see whether it then truncates, and delayed fetches it outlived. */
  afterRestart(brokerId: number): void {
    const now = this.cluster.clock.now()
    if (this.delayedFetches.some((f) => f.follower === brokerId && f.until > now)) this.reached.add('replicationFetchDelayedAcrossRestart')
    const ends = new Map<string, number>()
    for (const replica of brokerSideOf(this.cluster).broker(brokerId).replicas()) ends.set(`${replica.topic}/${replica.partition}`, replica.logEndOffset)
    this.restartedEnds.set(brokerId, ends)
  }

  private onHook(api: string, from: Endpoint, action: HookAction): void {
    if (api === 'Produce' && action.type === 'dropResponse' && from.kind === 'client' && this.idempotentClients.has(from.clientId)) {
      this.reached.add('droppedResponseToIdempotentSend')
    }
    if (api === 'Fetch' && action.type === 'delay' && from.kind === 'broker') {
      this.delayedFetches.push({ follower: from.brokerId, until: this.cluster.clock.now() + action.ms })
    }
  }

  private beforeSend(from: Endpoint, brokerId: number, api: string, request: unknown): void {
    if (api !== 'Fetch') return
    const fetch = request as FetchRequestView
    if (from.kind === 'client') {
      const broker = brokerSideOf(this.cluster).broker(brokerId)
      for (const t of fetch.topics) {
        for (const p of t.partitions) {
          const leader = brokerSideOf(this.cluster).controller.topics.get(t.topic)?.partitions[p.partition]?.leader
          if (leader !== undefined && leader !== brokerId) this.reached.add('fetchFromStaleLeader')
          const replica = broker.isUp ? broker.replica(t.topic, p.partition) : undefined
          if (replica?.isLeader === true && replica.isr.length < replica.config.minInsyncReplicas && replica.logEndOffset > replica.highWatermark) {
            this.reached.add('fetchWhileHighWatermarkHeld')
          }
        }
      }
    } else {
      const ends = this.restartedEnds.get(from.brokerId)
      if (ends === undefined) return
      for (const t of fetch.topics) {
        for (const p of t.partitions) {
          const end = ends.get(`${t.topic}/${p.partition}`)
          if (end !== undefined && p.fetchOffset < end) this.reached.add('truncationOnRestart')
        }
      }
    }
  }

  private afterSend(from: Endpoint, brokerId: number, api: string, request: unknown, response: Promise<unknown>): void {
    if (from.kind !== 'client') return
    const member = from.clientId
    if (api === 'Produce') {
      this.producing.set(brokerId, (this.producing.get(brokerId) ?? 0) + 1)
      const done = (): void => void this.producing.set(brokerId, (this.producing.get(brokerId) ?? 1) - 1)
      response.then(done, done)
    } else if (api === 'SyncGroup') {
      const { groupId, generationId } = request as SyncRequest
      response.then(
        (answer) => {
          const { errorCode, assignment } = answer as { errorCode: number; assignment: Buffer }
          if (errorCode !== 0) return
          const decoded = assignment.length === 0 ? null : AssignerProtocol.MemberAssignment.decode(assignment)
          const partitions = decoded === null ? [] : Object.entries(decoded.assignment).flatMap(([topic, list]) => list.map((partition) => ({ topic, partition })))
          this.sink.onAssignment({ group: groupId, generation: generationId, member, partitions, seq: this.sink.nextSeq() })
        },
        () => undefined,
      )
    } else if (api === 'OffsetCommit') {
      const commit = request as CommitRequest
      response.then(
        (answer) => {
          const ok = new Set<string>()
          for (const t of (answer as CommitResponse).topics) for (const p of t.partitions) if (p.errorCode === 0) ok.add(`${t.topic}/${p.partition}`)
          for (const t of commit.topics) {
            for (const p of t.partitions) {
              if (ok.has(`${t.topic}/${p.partition}`)) {
                this.sink.onCommit({ group: commit.groupId, topic: t.topic, partition: p.partition, offset: p.offset, member, seq: this.sink.nextSeq(), cause: 'commit' })
              }
            }
          }
        },
        () => undefined,
      )
    }
  }
}
