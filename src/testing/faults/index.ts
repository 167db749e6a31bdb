/** Fault schedules for property tests: the steps, a fast-check arbitrary of them, and the applier. */
export { describeSchedule, describeStep, type FaultKind, type FaultSchedule, type FaultStep } from './fault-step.js'
export { faultSchedule, faultStep, type FaultScheduleOptions, type FaultStepOptions } from './fault-schedule-arbitrary.js'
export { applySchedule, type AppliedSchedule, type ApplyScheduleOptions } from './apply-schedule.js'
export { normalizeSchedule, POWER_LOSS_CATCH_UP_MS } from './survivable.js'
