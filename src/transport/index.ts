export { InProcessTransport, type BrokerEndpoints, type TransportStats } from './in-process-transport.js'
export { RequestHooks, InvalidHookError, type HookAction, type HookHandle, type HookMatch, type RequestHook } from './request-hooks.js'
