/**
 * The cluster's controller (KRaft's `ReplicationControlManager`, modelled as one always-available
 * quorum): topics and their partition states, replica placement, leader election, ISR changes
 * requested by leaders (AlterPartition, KIP-497), and broker fencing. Every change makes a new
 * immutable {@link PartitionState} and is published to the brokers the controller can reach.
 *
 * Requests answer with Kafka error codes; `validateOnly` and failed requests change nothing.
 */
import { Errors, type KafkaErrorCode } from '../protocol/index.js'
import type { ConfigEntry } from '../protocol/index.js'
import type { SeededRandom } from '../time/index.js'
import type { ClusterConfig } from './cluster-options.js'
import { topicPartitionKey } from '../protocol/topic-partition.js'
import { effectiveMinIsr, NO_LEADER, partitionState, type PartitionState } from './partition-state.js'
import { DynamicBrokerConfigs } from './broker-config.js'
import { completeReassignment, startReassignment, type Reassignment } from './partition-reassignment.js'
import { placeReplicas } from './replica-placement.js'
import { TopicConfig, validateTopicConfig } from './topic-config.js'
import { collidingTopic, isInternalTopic, topicNameProblem } from './topic-name.js'

/**
 * kafkalite's cap on a topic's partitions (docs/semantics.md): Kafka takes any INT32, but every partition here is
 * modelled in memory with its replicas, so 2^31 would exhaust the heap instead of failing.
 */
export const MAX_PARTITIONS_PER_TOPIC = 10_000

function tooManyPartitions(count: number): string {
  return `Number of partitions ${count} is above kafkalite's limit of ${MAX_PARTITIONS_PER_TOPIC} per topic; use fewer partitions`
}

/** A topic as the controller holds it. */
export interface TopicState {
  readonly name: string
  /** Distinguishes a re-created topic from a deleted one of the same name (Kafka's topic id, KIP-516). */
  readonly topicId: string
  readonly internal: boolean
  readonly config: TopicConfig
  partitions: PartitionState[]
}

/**
 * The eligible leader replicas once a partition's ISR becomes `isr` (KIP-966): none while the ISR holds at least the
 * effective min ISR, as the high watermark can then move without the others; else those eligible so far and the members
 * leaving the ISR now, which hold everything below a high watermark that stopped when the ISR went below it.
 */
function elrAfter(topic: TopicState, state: PartitionState, isr: readonly number[]): number[] {
  if (isr.length >= effectiveMinIsr(topic.config.minInsyncReplicas, state.replicas.length)) return []
  return [...new Set([...state.elr, ...state.isr.filter((id) => !isr.includes(id))])]
}

/** A frozen copy of a topic, as published to brokers' metadata caches. */
export interface TopicSnapshot {
  readonly name: string
  readonly topicId: string
  readonly internal: boolean
  readonly config: TopicConfig
  readonly partitions: readonly PartitionState[]
}

/** The outcome of a controller request, as Kafka's per-topic results carry it. */
export interface ControllerResult {
  readonly errorCode: number
  readonly errorMessage: string | null
}

/** An ISR member in AlterPartition (KIP-903 `BrokerState`): its id and the broker epoch the leader saw it fetch with, -1 if unknown. */
export interface IsrMember {
  readonly brokerId: number
  readonly brokerEpoch: number
}

/** A topic to create (CreateTopics fields, -1 meaning the broker default). */
export interface TopicSpec {
  readonly name: string
  readonly numPartitions: number
  readonly replicationFactor: number
  readonly replicaAssignment: ReadonlyArray<{ readonly partition: number; readonly brokerIds: readonly number[] }>
  readonly configs: readonly ConfigEntry[]
}

/** How the controller reaches the rest of the cluster. */
export interface ControllerEnvironment {
  readonly config: ClusterConfig
  readonly random: SeededRandom
  readonly brokerIds: readonly number[]
  /** Sends the topic's new state to every broker the controller can reach. */
  publish(topic: TopicSnapshot): void
  /** Tells reachable brokers (and the group coordinator) that a topic is gone. */
  topicDeleted(name: string): void
}

const OK: ControllerResult = Object.freeze({ errorCode: 0, errorMessage: null })

function fail(error: KafkaErrorCode, message: string): ControllerResult {
  return { errorCode: error.code, errorMessage: message }
}

export class Controller {
  /** Dynamic broker configs (AlterConfigs on BROKER resources), the defaults of every topic's configs. */
  readonly brokerConfigs = new DynamicBrokerConfigs()
  private readonly topicStates = new Map<string, TopicState>()
  /** Ongoing reassignments (KIP-455) by topic-partition. */
  private readonly moves = new Map<string, Reassignment>()
  private readonly fenced = new Set<number>()
  /** Each broker's current incarnation (KIP-380): the epoch it got when it last registered. */
  private readonly brokerEpochs = new Map<number, number>()
  private nextBrokerEpoch = 1
  private nextTopicId = 1

  constructor(private readonly env: ControllerEnvironment) {}

  /** Topics by name. */
  get topics(): ReadonlyMap<string, TopicState> {
    return this.topicStates
  }

  /** Brokers the controller considers alive (registered and unfenced), in id order. */
  unfencedBrokers(): number[] {
    return this.env.brokerIds.filter((id) => !this.fenced.has(id))
  }

  /** Whether `brokerId` is one of the cluster's brokers. */
  knowsBroker(brokerId: number): boolean {
    return this.env.brokerIds.includes(brokerId)
  }

  isFenced(brokerId: number): boolean {
    return this.fenced.has(brokerId)
  }

  /**
   * BrokerRegistration (KIP-631): a broker process that starts registers and gets a new broker
   * epoch, higher than any before it (KIP-380), so requests of its earlier incarnations can be told apart.
   */
  registerBroker(brokerId: number): number {
    // A broker registering again restarted after a crash, an unclean shutdown (kafkalite's brokers never stop cleanly):
    // it may have lost what it held, so it is no longer an eligible leader (KIP-966).
    if (this.brokerEpochs.has(brokerId)) this.leaveEveryElr(brokerId)
    const epoch = this.nextBrokerEpoch++
    this.brokerEpochs.set(brokerId, epoch)
    return epoch
  }

  /**
   * A broker back from an unclean shutdown (KIP-966's `handleBrokerUncleanShutdown`): it leaves every ELR, and the ISR
   * of a leaderless partition it was the last member of, if eligible replicas remain to be elected before it. It is
   * then only the partition's last known leader, elected once no ISR or ELR member is left.
   */
  private leaveEveryElr(brokerId: number): void {
    for (const topic of this.topicStates.values()) {
      let changed = false
      topic.partitions = topic.partitions.map((state) => {
        const elr = state.elr.filter((id) => id !== brokerId)
        const lastOfIsr = state.leader === NO_LEADER && state.isr.length === 1 && state.isr[0] === brokerId && elr.length > 0
        if (elr.length === state.elr.length && !lastOfIsr) return state
        changed = true
        if (!lastOfIsr) return partitionState({ ...state, elr, partitionEpoch: state.partitionEpoch + 1 })
        return partitionState({ ...state, isr: [], elr, lastKnownLeader: brokerId, partitionEpoch: state.partitionEpoch + 1 })
      })
      if (changed) this.env.publish(this.snapshot(topic))
    }
  }

  /** The broker epoch of `brokerId`'s registered incarnation, or -1 if it never registered. */
  brokerEpoch(brokerId: number): number {
    return this.brokerEpochs.get(brokerId) ?? -1
  }

  /** Every registered broker's epoch, for brokers' metadata caches. */
  registeredBrokerEpochs(): ReadonlyMap<number, number> {
    return new Map(this.brokerEpochs)
  }

  /** A frozen copy of a topic for brokers' caches. */
  snapshot(topic: TopicState): TopicSnapshot {
    return Object.freeze({ name: topic.name, topicId: topic.topicId, internal: topic.internal, config: topic.config, partitions: Object.freeze([...topic.partitions]) })
  }

  /** CreateTopics for one topic, with Kafka's validation; nothing changes on error or with `validateOnly`. */
  createTopic(spec: TopicSpec, validateOnly: boolean): ControllerResult {
    const nameProblem = topicNameProblem(spec.name)
    if (nameProblem !== null) return fail(Errors.INVALID_TOPIC_EXCEPTION, nameProblem)
    if (this.topicStates.has(spec.name)) return fail(Errors.TOPIC_ALREADY_EXISTS, `Topic '${spec.name}' already exists.`)
    const collision = collidingTopic(spec.name, this.topicStates.keys())
    if (collision !== undefined) {
      return fail(Errors.INVALID_TOPIC_EXCEPTION, `Topic '${spec.name}' collides with existing topic: ${collision} ('.' and '_' map to the same metric name); choose another name`)
    }
    const live = this.unfencedBrokers()
    let manual: number[][] | null = null
    let numPartitions: number
    let rf: number
    if (spec.replicaAssignment.length > 0) {
      if (spec.numPartitions !== -1 || spec.replicationFactor !== -1) {
        return fail(Errors.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.')
      }
      const checked = this.validateManualAssignment(
        spec.replicaAssignment.map((a) => a.brokerIds),
        spec.replicaAssignment.map((a) => a.partition),
        0,
      )
      if (!Array.isArray(checked)) return checked
      manual = checked
      numPartitions = manual.length
      rf = manual[0]!.length
    } else {
      numPartitions = spec.numPartitions === -1 ? this.env.config.numPartitions : spec.numPartitions
      rf = spec.replicationFactor === -1 ? this.env.config.defaultReplicationFactor : spec.replicationFactor
      if (!Number.isInteger(numPartitions) || numPartitions < 1) {
        return fail(Errors.INVALID_PARTITIONS, `Number of partitions was set to an invalid non-positive value: ${String(numPartitions)}.`)
      }
      if (numPartitions > MAX_PARTITIONS_PER_TOPIC) return fail(Errors.INVALID_PARTITIONS, tooManyPartitions(numPartitions))
      if (!Number.isInteger(rf) || rf < 1) {
        return fail(Errors.INVALID_REPLICATION_FACTOR, `Replication factor must be larger than 0, got ${String(rf)}.`)
      }
      if (rf > live.length) {
        return fail(
          Errors.INVALID_REPLICATION_FACTOR,
          `Unable to replicate the partition ${rf} time(s): The target replication factor of ${rf} cannot be reached because only ${live.length} broker(s) are registered.`,
        )
      }
    }
    const overrides = new Map<string, string>()
    for (const entry of spec.configs) {
      const problem = validateTopicConfig(entry.name, entry.value)
      if (problem !== null) return fail(Errors.INVALID_CONFIG, problem)
      overrides.set(entry.name, entry.value!)
    }
    const config = new TopicConfig(this.env.config, this.brokerConfigs, overrides)
    if (config.minInsyncReplicas > rf) {
      // Kafka accepts this and then rejects every acks=all write; kafkalite refuses it up front (issue 3).
      return fail(Errors.INVALID_CONFIG, `min.insync.replicas ${config.minInsyncReplicas} is larger than the replication factor ${rf}`)
    }
    if (validateOnly) return OK
    // Placement draws from the seeded random only once the request is valid.
    const assignment = manual ?? placeReplicas(live, numPartitions, rf, this.env.random)
    const topic: TopicState = {
      name: spec.name,
      topicId: `topic-${this.nextTopicId++}`,
      internal: isInternalTopic(spec.name),
      config,
      partitions: assignment.map((replicas, partition) => this.initialState(spec.name, partition, replicas)),
    }
    this.topicStates.set(spec.name, topic)
    this.env.publish(this.snapshot(topic))
    return OK
  }

  /** DeleteTopics for one topic. */
  deleteTopic(name: string): ControllerResult {
    if (!this.topicStates.has(name)) return fail(Errors.UNKNOWN_TOPIC_OR_PARTITION, `This server does not host this topic: ${name}`)
    if (isInternalTopic(name)) return fail(Errors.INVALID_TOPIC_EXCEPTION, `Internal topic ${name} cannot be deleted`)
    this.topicStates.delete(name)
    this.env.topicDeleted(name)
    return OK
  }

  /** CreatePartitions for one topic: grow it to `count` partitions. */
  createPartitions(name: string, count: number, assignments: ReadonlyArray<readonly number[]> | null, validateOnly: boolean): ControllerResult {
    const topic = this.topicStates.get(name)
    if (topic === undefined) return fail(Errors.UNKNOWN_TOPIC_OR_PARTITION, `This server does not host this topic: ${name}`)
    const current = topic.partitions.length
    if (!Number.isInteger(count) || count < current) {
      return fail(Errors.INVALID_PARTITIONS, `The topic ${name} currently has ${current} partition(s); ${String(count)} would not be an increase.`)
    }
    if (count > MAX_PARTITIONS_PER_TOPIC) return fail(Errors.INVALID_PARTITIONS, tooManyPartitions(count))
    if (count === current) return fail(Errors.INVALID_PARTITIONS, `Topic already has ${current} partition(s).`)
    const rf = topic.partitions[0]!.replicas.length
    let added: number[][]
    if (assignments !== null) {
      if (assignments.length !== count - current) {
        return fail(Errors.INVALID_REPLICA_ASSIGNMENT, `Attempted to add ${count - current} additional partition(s), but only ${assignments.length} assignment(s) were specified.`)
      }
      const manual = this.validateManualAssignment(assignments, assignments.map((_, i) => current + i), current, rf)
      if (!Array.isArray(manual)) return manual
      added = manual
    } else {
      const live = this.unfencedBrokers()
      if (rf > live.length) {
        return fail(Errors.INVALID_REPLICATION_FACTOR, `Unable to replicate the partition ${rf} time(s): only ${live.length} broker(s) are registered.`)
      }
      if (validateOnly) return OK
      added = placeReplicas(live, count - current, rf, this.env.random, current)
    }
    if (validateOnly) return OK
    added.forEach((replicas, i) => topic.partitions.push(this.initialState(name, current + i, replicas)))
    this.env.publish(this.snapshot(topic))
    return OK
  }

  /**
   * AlterPartition (KIP-497): the leader asks to change the ISR. Rejected if the sender is not
   * the leader in that epoch (a stale or isolated leader is fenced here), or if a replica it
   * adds is fenced, not assigned, or known to the leader only from an earlier incarnation: KIP-903's
   * `NewIsrWithEpochs` carries the broker epoch the leader saw in each member's fetches, and the
   * controller answers INELIGIBLE_REPLICA when it is not the registered one (-1: not checked).
   */
  alterPartition(leaderId: number, topicName: string, partition: number, leaderEpoch: number, newIsrWithEpochs: readonly IsrMember[]): ControllerResult {
    const newIsr = newIsrWithEpochs.map((member) => member.brokerId)
    const topic = this.topicStates.get(topicName)
    const state = topic?.partitions[partition]
    if (topic === undefined || state === undefined) return fail(Errors.UNKNOWN_TOPIC_OR_PARTITION, `${topicName}-${partition} does not exist`)
    if (state.leader !== leaderId) return fail(Errors.NOT_LEADER_OR_FOLLOWER, `broker ${leaderId} is not the leader of ${topicName}-${partition}`)
    if (state.leaderEpoch !== leaderEpoch) return fail(Errors.FENCED_LEADER_EPOCH, `leader epoch ${leaderEpoch} is stale, current is ${state.leaderEpoch}`)
    if (!newIsr.includes(leaderId)) return fail(Errors.INVALID_REQUEST, 'the ISR must contain the leader')
    for (const id of newIsr) {
      if (!state.replicas.includes(id)) return fail(Errors.INVALID_REQUEST, `broker ${id} is not a replica of ${topicName}-${partition}`)
      if (!state.isr.includes(id) && this.fenced.has(id)) return fail(Errors.INELIGIBLE_REPLICA, `broker ${id} is fenced and cannot join the ISR`)
    }
    for (const { brokerId, brokerEpoch } of newIsrWithEpochs) {
      if (brokerEpoch !== -1 && brokerEpoch !== this.brokerEpoch(brokerId)) {
        return fail(Errors.INELIGIBLE_REPLICA, `broker ${brokerId} epoch ${brokerEpoch} is not its registered epoch ${this.brokerEpoch(brokerId)}`)
      }
    }
    const isr = state.replicas.filter((id) => newIsr.includes(id))
    const next = partitionState({ ...state, isr, elr: elrAfter(topic, state, isr), partitionEpoch: state.partitionEpoch + 1 })
    const move = this.moves.get(topicPartitionKey(topicName, partition))
    const completed = move === undefined ? null : completeReassignment(next, move)
    if (completed !== null) this.moves.delete(topicPartitionKey(topicName, partition))
    this.update(topic, completed ?? next)
    return OK
  }

  /**
   * AlterPartitionReassignments for one partition (KIP-455): `target` null cancels an ongoing
   * move (back to the original replicas), else a move to `target` starts (replacing one in progress).
   */
  reassign(topicName: string, partition: number, target: readonly number[] | null): ControllerResult {
    const topic = this.topicStates.get(topicName)
    const state = topic?.partitions[partition]
    if (topic === undefined || state === undefined) return fail(Errors.UNKNOWN_TOPIC_OR_PARTITION, `${topicName}-${partition} does not exist`)
    const key = topicPartitionKey(topicName, partition)
    const ongoing = this.moves.get(key)
    if (target === null) {
      if (ongoing === undefined) return fail(Errors.NO_REASSIGNMENT_IN_PROGRESS, `No reassignment of ${key} is in progress`)
      this.moves.delete(key)
      const original = [...state.replicas.filter((id) => !ongoing.adding.includes(id))]
      this.update(topic, this.withReplicas(topic, state, original))
      return OK
    }
    if (target.length === 0) return fail(Errors.INVALID_REPLICA_ASSIGNMENT, `The target replicas of ${key} must not be empty`)
    if (new Set(target).size !== target.length) return fail(Errors.INVALID_REPLICA_ASSIGNMENT, `The target replicas of ${key} list a broker twice: ${target.join(', ')}`)
    const unknown = target.find((id) => !this.env.brokerIds.includes(id))
    if (unknown !== undefined) return fail(Errors.INVALID_REPLICA_ASSIGNMENT, `Broker ${unknown} in the target replicas of ${key} does not exist`)
    // A move replacing another starts from the replicas as they are: those the first was adding and the new one does
    // not want are removed with the others once the new target is in sync, not before (they may be in the ISR, or lead).
    const started = startReassignment(state, target)
    const done = completeReassignment(started.state, started.reassignment)
    if (done === null) this.moves.set(key, started.reassignment)
    else this.moves.delete(key)
    this.update(topic, done ?? started.state)
    return OK
  }

  /**
   * `state` with its replicas cut to `replicas` (a cancelled move drops the replicas it was adding): they leave the ISR
   * too, and if the leader was one of them the partition elects another, as Kafka's controller runs the change through
   * an election. If no ISR member is left, the ISR becomes the replicas, for lack of a better choice, as Kafka's
   * PartitionReassignmentRevert does.
   */
  private withReplicas(topic: TopicState, state: PartitionState, replicas: readonly number[]): PartitionState {
    const isr = state.isr.filter((id) => replicas.includes(id))
    const next = partitionState({ ...state, replicas, isr: isr.length > 0 ? isr : replicas, partitionEpoch: state.partitionEpoch + 1 })
    return next.leader !== NO_LEADER && replicas.includes(next.leader) ? next : this.elect(topic, next)
  }

  /** The ongoing reassignments, by topic and partition. */
  reassignments(): ReadonlyMap<string, Reassignment & { readonly topic: string; readonly partition: number; readonly replicas: readonly number[] }> {
    const out = new Map<string, Reassignment & { topic: string; partition: number; replicas: readonly number[] }>()
    for (const [key, move] of this.moves) {
      for (const topic of this.topicStates.values()) {
        const state = topic.partitions.find((p) => topicPartitionKey(topic.name, p.partition) === key)
        if (state !== undefined) out.set(key, { ...move, topic: topic.name, partition: state.partition, replicas: state.replicas })
      }
    }
    return out
  }

  /**
   * ElectLeaders for one partition (KIP-460): PREFERRED (0) makes the first replica leader if it
   * is live and in sync; UNCLEAN (1) elects any live replica for a leaderless partition.
   */
  electLeader(topicName: string, partition: number, electionType: number): ControllerResult {
    const topic = this.topicStates.get(topicName)
    const state = topic?.partitions[partition]
    if (topic === undefined || state === undefined) return fail(Errors.UNKNOWN_TOPIC_OR_PARTITION, `${topicName}-${partition} does not exist`)
    if (electionType === 0) {
      const preferred = state.replicas[0]!
      if (state.leader === preferred) return fail(Errors.ELECTION_NOT_NEEDED, `Broker ${preferred} already leads ${topicName}-${partition}`)
      if (this.fenced.has(preferred) || !state.isr.includes(preferred)) {
        return fail(Errors.PREFERRED_LEADER_NOT_AVAILABLE, `The preferred leader ${preferred} of ${topicName}-${partition} is not live and in sync`)
      }
      this.update(topic, { ...state, leader: preferred, leaderEpoch: state.leaderEpoch + 1, partitionEpoch: state.partitionEpoch + 1 })
      return OK
    }
    if (electionType !== 1) return fail(Errors.INVALID_REQUEST, `Unknown election type ${electionType}: use PREFERRED (0) or UNCLEAN (1)`)
    if (state.leader !== NO_LEADER) return fail(Errors.ELECTION_NOT_NEEDED, `${topicName}-${partition} has a leader`)
    const live = state.replicas.find((id) => !this.fenced.has(id))
    if (live === undefined) return fail(Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE, `No replica of ${topicName}-${partition} is live`)
    const clean = state.replicas.find((id) => state.isr.includes(id) && !this.fenced.has(id))
    const leader = clean ?? live
    // An unclean election gives up on the committed records the eligible replicas hold: it empties the ELR, as Kafka's.
    this.update(topic, { ...state, leader, isr: clean === undefined ? [leader] : state.isr, elr: clean === undefined ? [] : state.elr, leaderEpoch: state.leaderEpoch + 1, partitionEpoch: state.partitionEpoch + 1 })
    return OK
  }

  /**
   * Fences a broker (it crashed, or its session expired): it leaves every ISR (except as the
   * last member, as KRaft keeps it), and partitions it led elect a new leader from the ISR, else
   * from the eligible leader replicas (KIP-966), else from any live replica where unclean election is enabled.
   */
  fence(brokerId: number): void {
    if (this.fenced.has(brokerId)) return
    this.fenced.add(brokerId)
    for (const topic of this.topicStates.values()) {
      let changed = false
      topic.partitions = topic.partitions.map((state) => {
        if (!state.replicas.includes(brokerId)) return state
        const isr = state.isr.filter((id) => id !== brokerId)
        if (state.leader !== brokerId) {
          if (isr.length === state.isr.length || isr.length === 0) return state
          changed = true
          return partitionState({ ...state, isr, elr: elrAfter(topic, state, isr), partitionEpoch: state.partitionEpoch + 1 })
        }
        changed = true
        const kept = isr.length > 0 ? isr : state.isr
        return this.elect(topic, partitionState({ ...state, isr: kept, elr: elrAfter(topic, state, kept) }))
      })
      if (changed) this.env.publish(this.snapshot(topic))
    }
  }

  /**
   * A topic's configs (or, for null, the broker defaults of all topics) changed. Enabling
   * `unclean.leader.election.enable` elects a leader for each leaderless partition at once, as
   * Kafka's controller does when the config changes dynamically. A topic whose `min.insync.replicas` changed
   * (`minIsrBefore` gives the value before) loses its eligible leader replicas, judged against the old value, as
   * Kafka's `ClearElrRecord` does.
   */
  configsChanged(topicName: string | null, minIsrBefore: (topic: string) => number): void {
    const topics = topicName === null ? [...this.topicStates.values()] : [this.topicStates.get(topicName)!]
    for (const topic of topics) {
      const minIsrChanged = minIsrBefore(topic.name) !== topic.config.minInsyncReplicas
      let changed = false
      topic.partitions = topic.partitions.map((state) => {
        // A new state (epoch bumped) for every partition when min.insync.replicas changed: its leader re-evaluates a
        // high watermark the old value held, and a cleared ELR may leave the last known leader electable.
        const current = minIsrChanged ? partitionState({ ...state, elr: [], partitionEpoch: state.partitionEpoch + 1 }) : state
        changed ||= current !== state
        if (current.leader !== NO_LEADER || !(minIsrChanged || topic.config.uncleanLeaderElection)) return current
        const next = this.elect(topic, current)
        changed ||= next.leader !== NO_LEADER
        return next.leader === NO_LEADER ? current : next
      })
      if (changed) this.env.publish(this.snapshot(topic))
    }
  }

  /** Unfences a broker (restarted, or reachable again): leaderless partitions it can lead elect it. */
  unfence(brokerId: number): void {
    if (!this.fenced.delete(brokerId)) return
    for (const topic of this.topicStates.values()) {
      let changed = false
      topic.partitions = topic.partitions.map((state) => {
        if (state.leader !== NO_LEADER || !state.replicas.includes(brokerId)) return state
        const next = this.elect(topic, state)
        if (next.leader === NO_LEADER) return state
        changed = true
        return next
      })
      if (changed) this.env.publish(this.snapshot(topic))
    }
  }

  /**
   * A new leader for `state` (its current leader is gone), in KIP-966's order: the first live ISR replica, else the first
   * live eligible leader replica (alone in the ISR then; the ISR members it replaces, all down, become eligible), else
   * the last known leader once the ISR and the ELR are empty, else unclean, else none. The last ISR member stays in
   * the ISR while down, unless it comes back from an unclean shutdown with eligible replicas left (see leaveEveryElr).
   */
  private elect(topic: TopicState, state: PartitionState): PartitionState {
    const clean = state.replicas.find((id) => state.isr.includes(id) && !this.fenced.has(id))
    if (clean !== undefined) {
      return partitionState({ ...state, leader: clean, leaderEpoch: state.leaderEpoch + 1, partitionEpoch: state.partitionEpoch + 1 })
    }
    const eligible = state.replicas.find((id) => state.elr.includes(id) && !this.fenced.has(id))
    if (eligible !== undefined) {
      const isr = [eligible]
      return partitionState({ ...state, leader: eligible, isr, elr: elrAfter(topic, state, isr), leaderEpoch: state.leaderEpoch + 1, partitionEpoch: state.partitionEpoch + 1 })
    }
    const last = state.lastKnownLeader
    if (state.isr.length === 0 && state.elr.length === 0 && last !== NO_LEADER && !this.fenced.has(last)) {
      return partitionState({ ...state, leader: last, isr: [last], leaderEpoch: state.leaderEpoch + 1, partitionEpoch: state.partitionEpoch + 1 })
    }
    if (topic.config.uncleanLeaderElection) {
      const unclean = state.replicas.find((id) => !this.fenced.has(id))
      if (unclean !== undefined) {
        return partitionState({ ...state, leader: unclean, isr: [unclean], elr: [], leaderEpoch: state.leaderEpoch + 1, partitionEpoch: state.partitionEpoch + 1 })
      }
    }
    if (state.leader === NO_LEADER) return state
    return partitionState({ ...state, leader: NO_LEADER, leaderEpoch: state.leaderEpoch + 1, partitionEpoch: state.partitionEpoch + 1 })
  }

  private update(topic: TopicState, state: PartitionState): void {
    topic.partitions[state.partition] = partitionState(state)
    this.env.publish(this.snapshot(topic))
  }

  private initialState(topic: string, partition: number, replicas: readonly number[]): PartitionState {
    const isr = replicas.filter((id) => !this.fenced.has(id))
    const leader = isr[0] ?? NO_LEADER
    return partitionState({ topic, partition, replicas, leader, leaderEpoch: 0, isr: isr.length > 0 ? isr : [...replicas], partitionEpoch: 0 })
  }

  private validateManualAssignment(
    lists: ReadonlyArray<readonly number[]>,
    partitions: readonly number[],
    firstPartition: number,
    expectedRf?: number,
  ): number[][] | ControllerResult {
    const sorted = [...partitions].sort((a, b) => a - b)
    if (sorted.some((p, i) => p !== firstPartition + i)) {
      return fail(Errors.INVALID_REPLICA_ASSIGNMENT, `Partitions in the manual assignment must be consecutive from ${firstPartition}, got ${partitions.join(', ')}`)
    }
    const byPartition = new Map(partitions.map((p, i) => [p, lists[i]!]))
    const rf = expectedRf ?? lists[0]?.length ?? 0
    const out: number[][] = []
    for (const p of sorted) {
      const brokers = byPartition.get(p)!
      if (brokers.length === 0) return fail(Errors.INVALID_REPLICA_ASSIGNMENT, `Partition ${p} has an empty replica list`)
      if (new Set(brokers).size !== brokers.length) return fail(Errors.INVALID_REPLICA_ASSIGNMENT, `Partition ${p} lists a broker twice: ${brokers.join(', ')}`)
      // Kafka's ReplicationControlManager.validateManualPartitionAssignment: unknown brokers are
      // checked before the replica count, and both answer INVALID_REPLICA_ASSIGNMENT.
      const unknown = brokers.find((id) => !this.env.brokerIds.includes(id))
      if (unknown !== undefined) return fail(Errors.INVALID_REPLICA_ASSIGNMENT, `Partition ${p} is assigned to broker ${unknown}, which does not exist`)
      if (brokers.length !== rf) {
        return fail(Errors.INVALID_REPLICA_ASSIGNMENT, `The manual assignment gives partition ${p} ${brokers.length} replica(s), inconsistent with ${rf} for the other partitions`)
      }
      out.push([...brokers])
    }
    return out
  }
}

