/**
 * Items grouped by topic, in the order each topic is first seen: how requests and answers list their partitions. They
 * mostly come topic after topic, so an add to the topic added to last needs no lookup, where the fetch and answer paths
 * add one item per partition.
 */
export class ByTopic<T> {
  private readonly lists = new Map<string, T[]>()
  private lastTopic: string | undefined = undefined
  private lastList: T[] = []

  add(topic: string, item: T): void {
    if (topic === this.lastTopic) {
      this.lastList.push(item)
      return
    }
    let list = this.lists.get(topic)
    if (list === undefined) this.lists.set(topic, (list = [item]))
    else list.push(item)
    this.lastTopic = topic
    this.lastList = list
  }

  /** Each topic with its items, in first-seen order. */
  map<R>(each: (topic: string, items: T[]) => R): R[] {
    return Array.from(this.lists, ([topic, items]) => each(topic, items))
  }
}
