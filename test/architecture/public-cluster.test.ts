/**
 * The public `Cluster` is only public: its broker side (controller, coordinators, brokers, the
 * dispatch point that bypasses the transport) is reached through `brokerSideOf`, which the package
 * does not export and which no module outside the composition root and the test kit uses.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as kafkalite from '../../src/index.js'
import { brokerSideOf, Cluster } from '../../src/cluster.js'
import { VirtualClock } from '../../src/time/index.js'

const src = fileURLToPath(new URL('../../src/', import.meta.url))

describe('the public Cluster', () => {
  it('offers none of the broker side on the instance', async () => {
    await using cluster = new Cluster({ clock: new VirtualClock(), seed: 1 })
    for (const internal of ['controller', 'groupCoordinator', 'transactionCoordinator', 'dispatch', 'attachChannel', 'broker', 'unreachableReason']) {
      expect(internal in cluster, internal).toBe(false)
    }
    expect(brokerSideOf(cluster).controller.topics.size).toBe(0)
  })

  it('keeps brokerSideOf out of the package and out of every module but the composition root and the test kit', () => {
    expect('brokerSideOf' in kafkalite).toBe(false)
    const users = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.ts') && readFileSync(`${src}${path}`, 'utf8').includes('brokerSideOf('))
      .filter((path) => path !== 'cluster.ts' && !path.startsWith('testing/'))
    expect(users).toEqual([])
  })
})
