import { it } from 'vitest'
import { PartitionAssigners } from '../../../src/client/assigners/index.js'
import { harness } from './harness.js'

it('debug', async () => {
  const h = harness()
  await h.createTopic('orders', 4)
  const assigners = [PartitionAssigners.cooperativeSticky]
  const a = await h.start({ groupId: 'g', topics: ['orders'], clientId: 'a', partitionAssigners: assigners })
  for (const e of Object.values(a.consumer.events)) if (!e.includes('network') && !e.includes('fetch') && !e.includes('heartbeat')) a.consumer.on(e as never, (ev) => console.log(h.clock.now() % 1000000, 'A', ev.type, JSON.stringify(ev.payload)))
  const b = await h.start({ groupId: 'g', topics: ['orders'], clientId: 'b', partitionAssigners: assigners })
  for (const e of Object.values(b.consumer.events)) if (!e.includes('network') && !e.includes('fetch') && !e.includes('heartbeat')) b.consumer.on(e as never, (ev) => console.log(h.clock.now() % 1000000, 'B', ev.type, JSON.stringify(ev.payload)))
  await h.clock.advance(30_000)
})
