export { createTransport } from './transport/create-transport.ts';
export type {
  AttemptInfo,
  ExecuteOptions,
  Transport,
  TransportOperation,
  TransportOptions,
  TransportRunAllOptions,
} from './transport/create-transport.ts';
export type { OperationResult } from './transport/operation-result.ts';

export { withRetry } from './retry/with-retry.ts';
export type {
  GiveUpEvent,
  GiveUpReason,
  RetryEvent,
  RetryOptions,
  RetryPolicyOptions,
  SuccessEvent,
} from './retry/retry-options.ts';
export { createBackoff, defaultBackoffOptions } from './retry/create-backoff.ts';
export type { Backoff, BackoffOptions } from './retry/create-backoff.ts';
export { jitterStrategies } from './retry/jitter-strategies.ts';
export type { JitterName, JitterStrategy } from './retry/jitter-strategies.ts';

export { createCircuitBreaker, defaultBreakerOptions } from './breaker/create-circuit-breaker.ts';
export type {
  BreakerAcquireOptions,
  BreakerChangeReason,
  BreakerOutcome,
  BreakerPermit,
  BreakerSnapshot,
  BreakerStateChange,
  BreakerStore,
  BreakerWindow,
  CircuitBreaker,
  CircuitBreakerOptions,
} from './breaker/create-circuit-breaker.ts';
export { createBreakerRegistry } from './breaker/create-breaker-registry.ts';
export type {
  BreakerList,
  BreakerListOptions,
  BreakerRegistry,
  BreakerRegistryOptions,
} from './breaker/create-breaker-registry.ts';
export type { BreakerRecord, BreakerWindowRecord, CircuitState } from './breaker/circuit-state.ts';
export { isServiceFailure, largeRequestBytes } from './breaker/is-service-failure.ts';

export { createRateLimiter } from './pacing/create-rate-limiter.ts';
export type {
  PacingOutcome,
  PacingPermit,
  PacingRequest,
  PacingWaitEvent,
  RateLimiter,
  RateLimiterOptions,
} from './pacing/create-rate-limiter.ts';
export type { BudgetRecord, BudgetWindow } from './pacing/budget-record.ts';

export { createBulkhead } from './bulkhead/create-bulkhead.ts';
export type { Bulkhead, BulkheadOptions } from './bulkhead/create-bulkhead.ts';

export { runAll } from './partial/run-all.ts';
export type { RunAllOptions } from './partial/run-all.ts';
export type { RunAllContext, RunAllReport, RunAllSummary } from './partial/run-all-report.ts';

export { systemClock } from './clock/clock.ts';
export { startTimer } from './internal/start-timer.ts';
export type { Clock } from './clock/clock.ts';
export { createManualClock } from './clock/create-manual-clock.ts';
export type { ManualClock } from './clock/create-manual-clock.ts';

export { createMemoryStore } from './store/create-memory-store.ts';
export type { MemoryStore } from './store/create-memory-store.ts';
export type { StateStore } from './store/state-store.ts';
export { createMemoryBudgetStore } from './store/create-memory-budget-store.ts';
export type { BudgetLimits, MemoryBudgetStore, MemoryBudgetStoreOptions } from './store/create-memory-budget-store.ts';
export type {
  BudgetDemand,
  BudgetOutcome,
  BudgetReservation,
  BudgetStore,
  BudgetTicket,
  PacingReason,
} from './store/budget-store.ts';
export type { CooldownStore, ProbeOutcome } from './store/cooldown-store.ts';
