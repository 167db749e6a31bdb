/**
 * What the runs of a property exercised: for each situation worth reaching (a send in flight when its leader died, a
 * record written twice, ...), how many runs reached it. A property whose generator stopped reaching them would
 * otherwise pass vacuously.
 */
export class Coverage<K extends string> {
  private readonly runs = new Map<K, number>()
  private total = 0

  constructor(private readonly kinds: readonly K[]) {}

  /** Notes one run and the situations it reached. */
  record(reached: Partial<Record<K, boolean>>): void {
    this.total++
    for (const kind of this.kinds) if (reached[kind] === true) this.runs.set(kind, (this.runs.get(kind) ?? 0) + 1)
  }

  /** How many runs reached `kind`. */
  count(kind: K): number {
    return this.runs.get(kind) ?? 0
  }

  /** The situations no run reached. */
  missing(): K[] {
    return this.kinds.filter((kind) => (this.runs.get(kind) ?? 0) === 0)
  }

  /** The situations fewer than `share` (0..1) of the runs reached: a window the generator reaches too rarely to trust. */
  below(share: number): K[] {
    return this.kinds.filter((kind) => (this.runs.get(kind) ?? 0) < share * this.total)
  }

  /** For each situation, the share of runs (0..1) that reached it. */
  shares(): Record<K, number> {
    return Object.fromEntries(this.kinds.map((kind) => [kind, this.total === 0 ? 0 : (this.runs.get(kind) ?? 0) / this.total])) as Record<K, number>
  }

  /** `kind: runs/total` for each situation. */
  toString(): string {
    return this.kinds.map((kind) => `${kind}: ${this.runs.get(kind) ?? 0}/${this.total}`).join(', ')
  }
}
