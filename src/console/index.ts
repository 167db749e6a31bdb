/** The web console: `cluster.console()` starts one. */
export { startConsole } from './console-server.js'
export type { ConsoleCluster, ConsoleHandle, ConsoleNoteOptions, ConsoleOptions } from './console-types.js'
