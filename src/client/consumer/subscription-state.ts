/**
 * Which partitions this member is assigned and which of them the application has paused
 * (KafkaJS's `pause`/`resume`/`paused`). Pausing a whole topic covers partitions assigned later;
 * pause state outlives rebalances, as in KafkaJS.
 */

/** Partitions of one topic, as KafkaJS's `TopicPartitions`. */
export interface TopicPartitions {
  topic: string
  partitions: number[]
}

/** A `pause`/`resume` argument: a topic, and optionally only some of its partitions. */
export interface TopicPartitionsSelector {
  topic: string
  partitions?: number[]
}

interface PauseState {
  paused: Set<number>
  pauseAll: boolean
  resumed: Set<number>
}

const byNumber = (a: number, b: number) => a - b

/** The member's assignment and the application's pauses. */
export class SubscriptionState {
  private assignedByTopic = new Map<string, number[]>()
  /** The same partitions as sets: {@link isAssigned} runs per delivered message, so it must not scan thousands of partitions. */
  private assignedSets = new Map<string, Set<number>>()
  private readonly pauses = new Map<string, PauseState>()
  /**
   * Counts the changes to assignment and pauses: a reader that checked a partition need not check it again (once per
   * delivered message) until this moves.
   */
  changes = 0

  /** Replaces the assignment. */
  assign(assignment: readonly TopicPartitions[]): void {
    this.changes++
    this.assignedByTopic = new Map(assignment.map(({ topic, partitions }) => [topic, [...partitions].sort(byNumber)]))
    this.assignedSets = new Map(assignment.map(({ topic, partitions }) => [topic, new Set(partitions)]))
  }

  /** The assigned partitions by topic, sorted. */
  assigned(): TopicPartitions[] {
    return [...this.assignedByTopic].map(([topic, partitions]) => ({ topic, partitions: [...partitions] }))
  }

  /** True if the partition is part of the current assignment. */
  isAssigned(topic: string, partition: number): boolean {
    return this.assignedSets.get(topic)?.has(partition) ?? false
  }

  /** Assigned partitions that are not paused. */
  active(): TopicPartitions[] {
    return this.assigned().map(({ topic, partitions }) => ({ topic, partitions: partitions.filter((p) => !this.isPaused(topic, p)) }))
  }

  /** Calls `visit` for each assigned partition that is not paused, in order, building nothing (once per fetch). */
  forEachActive(visit: (topic: string, partition: number) => void): void {
    for (const [topic, partitions] of this.assignedByTopic) {
      for (const partition of partitions) if (!this.isPaused(topic, partition)) visit(topic, partition)
    }
  }

  /** Assigned partitions that are paused (topics with none are left out). */
  paused(): TopicPartitions[] {
    return this.assigned()
      .map(({ topic, partitions }) => ({ topic, partitions: partitions.filter((p) => this.isPaused(topic, p)) }))
      .filter(({ partitions }) => partitions.length > 0)
  }

  pause(selectors: readonly TopicPartitionsSelector[]): void {
    this.changes++
    for (const { topic, partitions } of selectors) {
      const state = this.stateOf(topic)
      if (partitions === undefined) {
        state.paused.clear()
        state.resumed.clear()
        state.pauseAll = true
      } else {
        for (const p of partitions) {
          state.paused.add(p)
          state.resumed.delete(p)
        }
        // As KafkaJS: pausing chosen partitions replaces an earlier whole-topic pause.
        state.pauseAll = false
      }
    }
  }

  resume(selectors: readonly TopicPartitionsSelector[]): void {
    this.changes++
    for (const { topic, partitions } of selectors) {
      const state = this.stateOf(topic)
      if (partitions === undefined) {
        state.paused.clear()
        state.resumed.clear()
        state.pauseAll = false
      } else {
        for (const p of partitions) {
          state.paused.delete(p)
          if (state.pauseAll) state.resumed.add(p)
        }
      }
    }
  }

  isPaused(topic: string, partition: number): boolean {
    const state = this.pauses.get(topic)
    if (state === undefined) return false
    return (state.pauseAll && !state.resumed.has(partition)) || state.paused.has(partition)
  }

  private stateOf(topic: string): PauseState {
    let state = this.pauses.get(topic)
    if (state === undefined) this.pauses.set(topic, (state = { paused: new Set(), pauseAll: false, resumed: new Set() }))
    return state
  }
}
