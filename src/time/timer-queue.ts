/** A min-heap of timers ordered by due time, then by creation order, so equal-time timers fire FIFO. */
import type { TimerHandle } from './clock.js'

interface Entry {
  readonly id: number
  readonly due: number
  readonly fn: () => void
}

/** Timers of a {@link VirtualClock}; removal is lazy (cancelled ids are skipped when they surface). */
export class TimerQueue {
  private heap: Entry[] = []
  private readonly live = new Set<number>()
  private nextId = 1

  get size(): number {
    return this.live.size
  }

  add(due: number, fn: () => void): TimerHandle {
    const entry: Entry = { id: this.nextId++, due, fn }
    this.live.add(entry.id)
    this.heap.push(entry)
    this.up(this.heap.length - 1)
    return { id: entry.id }
  }

  remove(handle: TimerHandle): void {
    this.live.delete(handle.id)
  }

  /** The due time of the earliest live timer, if any. */
  peekDue(): number | undefined {
    this.dropCancelled()
    return this.heap[0]?.due
  }

  /** Removes and returns, in order, the callbacks of every live timer due at or before `now`. */
  takeDue(now: number): Array<() => void> {
    const due: Array<() => void> = []
    for (;;) {
      this.dropCancelled()
      const top = this.heap[0]
      if (top === undefined || top.due > now) return due
      this.pop()
      this.live.delete(top.id)
      due.push(top.fn)
    }
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && !this.live.has(this.heap[0]!.id)) this.pop()
  }

  private pop(): void {
    const last = this.heap.pop()!
    if (this.heap.length === 0) return
    this.heap[0] = last
    this.down(0)
  }

  private before(a: Entry, b: Entry): boolean {
    return a.due < b.due || (a.due === b.due && a.id < b.id)
  }

  private up(i: number): void {
    const heap = this.heap
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(heap[i]!, heap[parent]!)) return
      ;[heap[i], heap[parent]] = [heap[parent]!, heap[i]!]
      i = parent
    }
  }

  private down(i: number): void {
    const heap = this.heap
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let best = i
      if (l < heap.length && this.before(heap[l]!, heap[best]!)) best = l
      if (r < heap.length && this.before(heap[r]!, heap[best]!)) best = r
      if (best === i) return
      ;[heap[i], heap[best]] = [heap[best]!, heap[i]!]
      i = best
    }
  }
}
