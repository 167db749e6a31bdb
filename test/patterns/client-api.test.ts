import type { Kafka as KafkaJS } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { Cluster } from '../../src/cluster.js'
import { Kafka } from '../../src/client/kafka.js'
import { resolveTime, type KafkaLike } from '../../src/patterns/client-api.js'
import { SeededRandom } from '../../src/time/seeded-random.js'
import { SystemClock } from '../../src/time/system-clock.js'
import { VirtualClock } from '../../src/time/virtual-clock.js'

describe('the client API the patterns build on', () => {
  it("is satisfied by kafkalite's Kafka and by KafkaJS's (type-level)", () => {
    const kafkajsFits = (kafka: KafkaJS): KafkaLike => kafka
    const cluster = new Cluster({ brokers: 1, clock: new VirtualClock(), seed: 1 })
    const kafka: KafkaLike = new Kafka({ clientId: 't', cluster })
    expect(typeof kafkajsFits).toBe('function')
    expect(typeof kafka.consumer).toBe('function')
  })

  it("takes time and randomness from options, then the cluster, then the client's cluster, then the system", () => {
    const clock = new VirtualClock()
    const random = new SeededRandom(3)
    const cluster = new Cluster({ brokers: 1, clock, seed: 1 })
    const kafka = new Kafka({ clientId: 't', cluster })
    expect(resolveTime(kafka, { clock, random })).toEqual({ clock, random })
    expect(resolveTime(kafka, { cluster }).clock).toBe(clock)
    expect(resolveTime(kafka, { cluster }).random).toBe(cluster.random)
    expect(resolveTime(kafka)).toEqual({ clock, random: cluster.random })
    const kafkaLikeWithoutClock = { producer: kafka.producer.bind(kafka), consumer: kafka.consumer.bind(kafka), admin: kafka.admin.bind(kafka) } as unknown as KafkaLike
    expect(resolveTime(kafkaLikeWithoutClock).clock).toBeInstanceOf(SystemClock)
  })
})
