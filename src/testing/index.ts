/**
 * The testing kit (to become the public `kafkalite/testing` entry; fast-check is a peer dependency): fault
 * schedules as fast-check arbitraries and their applier, oracles that judge a run from the outside, and the
 * Jepsen-style history checker.
 */
export * from './faults/index.js'
export * from './oracles/index.js'
export * from './history/index.js'
