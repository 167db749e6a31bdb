import { describe, expect, it } from 'vitest'
import { OffsetStore } from '../../../src/broker/group/index.js'

describe('OffsetStore', () => {
  it('keeps the latest commit per partition, null metadata as the empty string', () => {
    const store = new OffsetStore()
    store.commit([{ topic: 't', partition: 0, offset: 5, metadata: null }], 1)
    store.commit([{ topic: 't', partition: 0, offset: 8, metadata: 'm' }], 2)
    expect(store.get('t', 0)).toEqual({ offset: 8, metadata: 'm', commitTimestamp: 2, leaderEpoch: -1 })
    expect(store.get('t', 1)).toBeUndefined()
  })

  it('keeps the leader epoch a commit carried (KIP-320), so a later reader can tell a stale leader', () => {
    const store = new OffsetStore()
    store.commit([{ topic: 't', partition: 0, offset: 5, metadata: null, leaderEpoch: 3 }], 1)
    expect(store.get('t', 0)?.leaderEpoch).toBe(3)
  })

  it('transactional offsets stay invisible and unstable until the commit marker, and vanish on abort', () => {
    const store = new OffsetStore()
    store.commit([{ topic: 't', partition: 0, offset: 1, metadata: null }], 0)
    store.stageTransactional(7, [{ topic: 't', partition: 0, offset: 10, metadata: null }], 1)
    store.stageTransactional(8, [{ topic: 't', partition: 1, offset: 20, metadata: null }], 1)
    expect(store.get('t', 0)?.offset).toBe(1)
    expect(store.hasPendingTransactional('t', 0)).toBe(true)
    store.completeTransaction(7, true)
    store.completeTransaction(8, false)
    expect(store.get('t', 0)?.offset).toBe(10)
    expect(store.get('t', 1)).toBeUndefined()
    expect(store.hasPendingTransactional('t', 0)).toBe(false)
    expect(store.hasPendingTransactional('t', 1)).toBe(false)
  })

  it('removeTopic forgets committed and staged offsets of the topic', () => {
    const store = new OffsetStore()
    store.commit([{ topic: 't', partition: 0, offset: 1, metadata: null }], 0)
    store.stageTransactional(7, [{ topic: 't', partition: 0, offset: 10, metadata: null }], 1)
    store.removeTopic('t')
    expect(store.isEmpty()).toBe(true)
  })
})
