/**
 * The patterns adversary's wiretap on the transport's request hooks: which fault hit which part of the patterns
 * layer (a lost OffsetCommit answer of a retry-topic group or of the replay, a lost answer to a record forwarded to
 * a retry or dead-letter topic). It reads requests as they cross the wire and never asks the library for its state.
 */
import type { Cluster, HookAction } from 'kafkalite'

/** The windows a fair share of patterns seeds must reach. */
export const PATTERNS_WINDOWS = [
  /** An instance crashed while it ran a retry (attempt or delivery after the first) or waited out a backoff. */
  'crashDuringRetry',
  /** A broker crashed while a record was between its first failure and its outcome. */
  'brokerCrashDuringRetry',
  /** An OffsetCommit of a retry-topic group lost its answer, or never arrived. */
  'lostCommitOnRetryTopic',
  /** A record forwarded to a retry or dead-letter topic was written, but its acknowledgement was lost. */
  'lostAckOfForwardedRecord',
  /** Forwarding a record to a retry or dead-letter topic failed in a live instance (the producer's retries spent). */
  'forwardFailed',
  /** An instance started while a record was between its first failure and its outcome. */
  'scaleOutDuringRetry',
  /** A record was handled again after it had succeeded (redelivered after a crash or a lost commit). */
  'handledAgain',
  /** A replay's OffsetCommit was lost. */
  'lostCommitDuringReplay',
  /** The OffsetCommit of a partition's last replayed dead letter was lost (defect 8's window). */
  'lostLastCommitOfReplay',
  /** A replay failed (a typed error) and a later one finished the job. */
  'replayResumed',
] as const
export type PatternsWindow = (typeof PATTERNS_WINDOWS)[number]

interface CommitView { groupId: string; topics: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<{ partition: number; offset: number }> }> }
interface ProduceView { topics: ReadonlyArray<{ topic: string }> }

/** Notes which lost requests or answers touched the retry groups, the forwarded records and the replay. */
export class PatternsObserver {
  readonly reached = new Set<PatternsWindow>()

  constructor(cluster: Cluster, names: { retryGroups: ReadonlySet<string>; forwardTopics: ReadonlySet<string>; replayGroup: string; replayEnds: ReadonlyMap<number, number>; deadLetterTopic: string }) {
    const hooks = cluster.transport.hooks
    const match = hooks.match.bind(hooks)
    hooks.match = (api, from, brokerId, request) => {
      const action = match(api, from, brokerId, request)
      if (action !== undefined && from.kind === 'client' && loses(action)) {
        if (api === 'OffsetCommit') {
          const commit = request as CommitView
          if (names.retryGroups.has(commit.groupId)) this.reached.add('lostCommitOnRetryTopic')
          if (commit.groupId === names.replayGroup) {
            this.reached.add('lostCommitDuringReplay')
            const last = commit.topics.some((t) => t.topic === names.deadLetterTopic && t.partitions.some((p) => Number(p.offset) === names.replayEnds.get(p.partition)))
            if (last) this.reached.add('lostLastCommitOfReplay')
          }
        } else if (api === 'Produce' && action.type === 'dropResponse' && topicsOf(request as ProduceView).some((t) => names.forwardTopics.has(t))) {
          this.reached.add('lostAckOfForwardedRecord')
        }
      }
      return action
    }
  }
}

function loses(action: HookAction): boolean {
  return action.type === 'drop' || action.type === 'dropResponse'
}

function topicsOf(request: ProduceView): string[] {
  return request.topics.map((t) => t.topic)
}
