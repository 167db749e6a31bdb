export type { Clock, TimerHandle, TimerOptions } from './clock.js'
export { SystemClock } from './system-clock.js'
export { VirtualClock, VirtualTimeoutError, type RunOptions } from './virtual-clock.js'
export { SeededRandom } from './seeded-random.js'
