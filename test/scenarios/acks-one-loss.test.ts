/**
 * The trade-off of `acks`, shown as Kafka shows it. With acks=1 the leader acknowledges a record as soon as it has
 * appended it, before any follower has it; if the leader then fails, a follower that never had the record becomes
 * leader, and the old leader truncates it when it comes back (KIP-101): an acknowledged record is lost. With
 * acks=all and min.insync.replicas=2 the same schedule loses nothing: the leader answers only once the in-sync
 * replicas have the record, so the acknowledged copy is on the broker that takes over.
 *
 * Kafka's documentation of `acks`: "acks=1 ... should the leader fail immediately after acknowledging the record but
 * before the followers have replicated it then the record will be lost".
 */
import { checkHistory, formatReport, type HistoryReport, type Producer, type RecordMetadata } from 'kafkalite'
import type { FinalLog } from 'kafkalite/testing'
import { describe, expect, it } from 'vitest'
import { virtualKafka, type VirtualKafka } from '../support/virtual-kafka.js'

const TOPIC = 'payments'

interface Outcome {
  report: HistoryReport
  final: FinalLog
  /** Where the first send was acknowledged, or the error it failed with. */
  first: RecordMetadata | Error
  oldLeader: number
  newLeader: number
}

/** Three brokers, one partition of RF 3, min.insync.replicas=2; followers replicate slowly (each fetch waits 1 s on the network). */
async function slowFollowers(): Promise<{ vk: VirtualKafka; producer: Producer; leader: number; removeDelay: () => void }> {
  const vk = virtualKafka({ brokers: 3, seed: 7, checkInvariants: true, defaultReplicationFactor: 3, minInsyncReplicas: 2, offsetsTopicNumPartitions: 1 })
  await vk.createTopics({ topic: TOPIC, numPartitions: 1, replicationFactor: 3 })
  const producer = await vk.recordedProducer('producer')
  const delay = vk.cluster.transport.hooks.add({ api: 'Fetch', from: 'broker', action: { type: 'delay', ms: 1000 } })
  // Fetches already parked at the leader would wake on the next append: let them return empty first.
  await vk.clock.advance(vk.cluster.config.replicaFetchWaitMaxMs + 1)
  const leader = vk.cluster.describe().partitions[0]!.leader
  return { vk, producer, leader, removeDelay: () => delay.remove() }
}

/** Sends one record with `acks`; resolves with where it landed or the error it failed with. */
function send(producer: Producer, value: string, acks: -1 | 1, timeout?: number): Promise<RecordMetadata | Error> {
  return producer.send({ topic: TOPIC, acks, timeout, messages: [{ value }] }).then(
    ([written]) => written!,
    (error: unknown) => error as Error,
  )
}

/** Sends `first`, crashes the leader 1 ms later (before any follower fetched it), restarts it, sends `second`. */
async function leaderCrashesAfterAppend(acks: -1 | 1): Promise<Outcome> {
  const { vk, producer, leader, removeDelay } = await slowFollowers()
  const first = send(producer, 'first', acks)
  await vk.clock.advance(1)
  vk.cluster.crashBroker(leader)
  vk.recording.fault(`crash broker ${leader}`)
  removeDelay()
  const newLeader = vk.cluster.describe().partitions[0]!.leader
  vk.cluster.restartBroker(leader)
  vk.recording.fault(`restart broker ${leader}`)
  const firstResult = await vk.run(first)
  await vk.run(send(producer, 'second', acks))
  await vk.clock.advance(5000)
  const final = await vk.readFinalLog(TOPIC)
  return { report: checkHistory(vk.recording.history, { drained: true }), final, first: firstResult, oldLeader: leader, newLeader }
}

/**
 * Cuts the leader off from the other brokers and the controller (clients still reach it, and its metadata still names
 * it leader), sends `first`, lets the controller fence it and elect a new leader, sends `second`, heals the network
 * partition, then sends `third` and `fourth`.
 */
async function leaderIsolated(acks: -1 | 1): Promise<Outcome> {
  const { vk, producer, leader, removeDelay } = await slowFollowers()
  removeDelay()
  vk.cluster.isolateBroker(leader)
  vk.recording.fault(`isolate broker ${leader}`)
  const first = await vk.run(send(producer, 'first', acks, 2000))
  await vk.clock.advance(vk.cluster.config.brokerSessionTimeoutMs)
  const newLeader = vk.cluster.describe().partitions[0]!.leader
  await vk.run(send(producer, 'second', acks, 2000))
  vk.cluster.heal()
  vk.recording.fault('heal')
  for (const value of ['third', 'fourth']) await vk.run(send(producer, value, acks))
  await vk.clock.advance(5000)
  const final = await vk.readFinalLog(TOPIC)
  return { report: checkHistory(vk.recording.history, { drained: true }), final, first, oldLeader: leader, newLeader }
}

/** Partition 0's records, in offset order. */
function values(final: FinalLog): string[] {
  return final.records
    .filter((r) => r.partition === 0)
    .sort((a, b) => a.offset - b.offset)
    .map((r) => r.value)
}

describe('acks=1 can lose an acknowledged record; acks=all does not', () => {
  it('acks=1: the leader acknowledges, crashes before its followers fetch, and the record is truncated when it returns', async () => {
    const run = await leaderCrashesAfterAppend(1)
    expect(run.first).toMatchObject({ partition: 0, baseOffset: '0' })
    expect(run.newLeader).not.toBe(run.oldLeader)
    // Offset 0 now holds the next record: the acknowledged one is gone from every replica.
    expect(values(run.final)).toEqual(['second'])
    expect(run.report.valid).toBe(false)
    expect(run.report.anomalies.lostWrite.map((l) => [l.value, l.offset, l.readInstead])).toEqual([['first', 0, ['second']]])
    expect(run.report.anomalies.inconsistentOffsets.map((i) => i.offset)).toEqual([0])
  })

  it('acks=all with min.insync.replicas=2: the same crash loses nothing (the send waits, fails over and is acknowledged by the new leader)', async () => {
    const run = await leaderCrashesAfterAppend(-1)
    expect(run.first).not.toBeInstanceOf(Error)
    expect(values(run.final)).toEqual(['first', 'second'])
    expect(run.report.valid, formatReport(run.report)).toBe(true)
  })

  it('acks=1: an isolated leader keeps accepting writes until it learns it lost leadership; they are truncated after the heal', async () => {
    const run = await leaderIsolated(1)
    expect(run.first).toMatchObject({ partition: 0, baseOffset: '0' })
    expect(run.newLeader).not.toBe(run.oldLeader)
    // The client still sees the isolated broker as leader, and it still believes it leads: both writes are
    // acknowledged there, and both are truncated when it rejoins as a follower of the new leader.
    expect(values(run.final)).toEqual(['third', 'fourth'])
    expect(run.report.anomalies.lostWrite.map((l) => [l.value, l.offset])).toEqual([
      ['first', 0],
      ['second', 1],
    ])
  })

  it('acks=all with min.insync.replicas=2: the isolated leader cannot acknowledge; the send times out or fails over, and nothing acknowledged is lost', async () => {
    const run = await leaderIsolated(-1)
    expect(run.newLeader).not.toBe(run.oldLeader)
    expect(run.report.valid, formatReport(run.report)).toBe(true)
    // The isolated leader appended `first` but could not get it to the ISR: its attempts timed out until KafkaJS's
    // retries found the new leader, which acknowledged it. The isolated copies were truncated at the heal.
    expect(run.first).toMatchObject({ partition: 0, baseOffset: '0' })
    expect(values(run.final)).toEqual(['first', 'second', 'third', 'fourth'])
  })
})
