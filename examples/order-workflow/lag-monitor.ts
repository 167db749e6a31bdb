/**
 * Consumer lag over time, as `kafka-consumer-groups.sh --describe` shows it: per group, the sum over
 * partitions of (high watermark - committed offset), the records written but not yet processed and
 * committed. Sampled through the admin API, on the cluster clock.
 */
import type { Admin, Clock } from '../../src/index.js'

/** One sample: the lag of each group at one moment. */
export interface LagSample {
  /** Cluster time of the sample. */
  at: number
  /** Lag per group id. */
  lag: Record<string, number>
}

/** Samples the lag of `groups` on `topic` every `everyMs` until stopped. */
export class LagMonitor {
  readonly samples: LagSample[] = []
  private stopped = false
  private loop: Promise<void> | undefined

  constructor(
    private readonly admin: Admin,
    private readonly clock: Clock,
    private readonly topic: string,
    private readonly groups: readonly string[],
    private readonly everyMs: number,
  ) {}

  /** The lag of each group now. */
  async measure(): Promise<Record<string, number>> {
    const ends = new Map((await this.admin.fetchTopicOffsets(this.topic)).map((p) => [p.partition, { high: Number(p.high), low: Number(p.low) }]))
    const lag: Record<string, number> = {}
    for (const groupId of this.groups) {
      const [committed] = await this.admin.fetchOffsets({ groupId, topics: [this.topic] })
      let total = 0
      for (const { partition, offset } of committed?.partitions ?? []) {
        const end = ends.get(partition)
        if (end === undefined) continue
        // No commit yet (-1): the group starts from the beginning of the log (fromBeginning).
        total += end.high - (Number(offset) < 0 ? end.low : Number(offset))
      }
      lag[groupId] = total
    }
    return lag
  }

  /** Starts sampling in the background. */
  start(): void {
    this.loop ??= (async () => {
      while (!this.stopped) {
        try {
          this.samples.push({ at: this.clock.now(), lag: await this.measure() })
        } catch {
          // A sample taken while a broker fails over may fail; the next one will do.
        }
        await this.clock.sleep(this.everyMs)
      }
    })()
  }

  /** Stops sampling; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true
    await this.loop
  }
}
