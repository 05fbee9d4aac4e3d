import type {
  BreakerChangeReason,
  BreakerRecord,
  BreakerWindowRecord,
  CircuitState,
} from '../breaker/circuit-state.ts';

/** Why a breaker changed state. */
type TransitionReason = BreakerChangeReason;

/** One state change, as the pure functions below report it. */
interface Transition {
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly reason: TransitionReason;
}

/** Validated breaker settings. */
export interface BreakerSettings {
  readonly window:
    | { readonly type: 'count'; readonly size: number }
    | { readonly type: 'time'; readonly durationMs: number; readonly buckets: number };
  readonly failureRateThreshold: number;
  readonly minimumCalls: number;
  readonly consecutiveFailures: number;
  readonly openDurationMs: number;
  readonly openDurationFactor: number;
  readonly maxOpenDurationMs: number;
  readonly halfOpenMaxProbes: number;
  readonly halfOpenSuccessThreshold: number;
  readonly halfOpenRetryAfterMs: number;
}

/** What {@link admit} decided for one call. */
export type Admission =
  | { readonly type: 'pass'; readonly probe: boolean; readonly generation: number }
  | { readonly type: 'reject'; readonly retryAfterMs: number };

/** How one call ended, as far as the breaker cares. */
export type Outcome = 'success' | 'failure' | 'ignored';

/** A record with its changes. */
export interface Step<Extra = object> {
  readonly record: BreakerRecord;
  readonly transitions: readonly Transition[];
  readonly extra: Extra;
}

function emptyWindow(settings: BreakerSettings): BreakerWindowRecord {
  return settings.window.type === 'count' ? { type: 'count', outcomes: [] } : { type: 'time', buckets: [] };
}

export function initialRecord(settings: BreakerSettings): BreakerRecord {
  return { state: { type: 'closed' }, generation: 0, consecutiveFailures: 0, window: emptyWindow(settings) };
}

interface Bucket {
  readonly start: number;
  readonly calls: number;
  readonly failures: number;
}

/** The outcomes of a count window (none when the stored window is of the other type). */
const outcomesOf = (window: BreakerWindowRecord): readonly (0 | 1)[] =>
  window.type === 'count' ? window.outcomes : [];

/** The buckets of a time window still inside it at `now` (none when the stored window is of the other type). */
function bucketsOf(window: BreakerWindowRecord, durationMs: number, buckets: number, now: number): readonly Bucket[] {
  if (window.type !== 'time') return [];
  const bucketMs = durationMs / buckets;
  return window.buckets.filter((bucket) => bucket.start + bucketMs > now - durationMs && bucket.start <= now);
}

/** Calls and failures in the window at `now`. */
export function windowStats(
  window: BreakerWindowRecord,
  settings: BreakerSettings,
  now: number,
): { readonly calls: number; readonly failures: number } {
  const shape = settings.window;
  if (shape.type === 'count') {
    const outcomes = outcomesOf(window).slice(-shape.size);
    return { calls: outcomes.length, failures: outcomes.reduce<number>((sum, outcome) => sum + outcome, 0) };
  }
  return bucketsOf(window, shape.durationMs, shape.buckets, now).reduce(
    (sum, bucket) => ({ calls: sum.calls + bucket.calls, failures: sum.failures + bucket.failures }),
    { calls: 0, failures: 0 },
  );
}

function addOutcome(
  window: BreakerWindowRecord,
  settings: BreakerSettings,
  now: number,
  failed: boolean,
): BreakerWindowRecord {
  const shape = settings.window;
  if (shape.type === 'count') {
    return {
      type: 'count',
      outcomes: [...outcomesOf(window), failed ? (1 as const) : (0 as const)].slice(-shape.size),
    };
  }
  const current = bucketsOf(window, shape.durationMs, shape.buckets, now);
  const bucketMs = shape.durationMs / shape.buckets;
  const start = Math.floor(now / bucketMs) * bucketMs;
  const last = current.at(-1);
  const buckets =
    last?.start === start
      ? [...current.slice(0, -1), { start, calls: last.calls + 1, failures: last.failures + (failed ? 1 : 0) }]
      : [...current, { start, calls: 1, failures: failed ? 1 : 0 }];
  return { type: 'time', buckets };
}

/**
 * Count windows already seen to hold only successes. Windows are never changed in
 * place (a change makes a new array), so a window checked once need not be walked
 * again on every success.
 */
const successesOnly = new WeakSet<readonly (0 | 1)[]>();

/**
 * Whether one more success leaves a record as it is: a closed circuit with no failure
 * in a row and a count window full of successes.
 */
export function unchangedBySuccess(record: BreakerRecord, settings: BreakerSettings): boolean {
  const window = record.window;
  if (record.state.type !== 'closed' || record.consecutiveFailures !== 0) return false;
  if (settings.window.type !== 'count' || window.type !== 'count' || window.outcomes.length !== settings.window.size)
    return false;
  if (successesOnly.has(window.outcomes)) return true;
  for (const outcome of window.outcomes) if (outcome !== 0) return false;
  successesOnly.add(window.outcomes);
  return true;
}

/** How long the circuit stays open after its `trips`-th trip in a row. */
export function openDuration(settings: BreakerSettings, trips: number): number {
  return Math.min(
    settings.maxOpenDurationMs,
    settings.openDurationMs * settings.openDurationFactor ** Math.max(0, trips - 1),
  );
}

function open(
  record: BreakerRecord,
  settings: BreakerSettings,
  now: number,
  trips: number,
  reason: TransitionReason,
): Step {
  const to: CircuitState = { type: 'open', openedAt: now, halfOpenAt: now + openDuration(settings, trips), trips };
  return {
    record: { state: to, generation: record.generation + 1, consecutiveFailures: 0, window: emptyWindow(settings) },
    transitions: [{ from: record.state, to, reason }],
    extra: {},
  };
}

function close(record: BreakerRecord, settings: BreakerSettings, reason: TransitionReason): Step {
  const to: CircuitState = { type: 'closed' };
  return {
    record: { state: to, generation: record.generation + 1, consecutiveFailures: 0, window: emptyWindow(settings) },
    transitions: [{ from: record.state, to, reason }],
    extra: {},
  };
}

/** Moves an open circuit whose time is up to half-open; anything else is unchanged. */
export function advance(record: BreakerRecord, now: number): Step {
  if (record.state.type !== 'open' || now < record.state.halfOpenAt) return { record, transitions: [], extra: {} };
  const to: CircuitState = { type: 'half-open', trips: record.state.trips, probesInFlight: 0, successes: 0 };
  return {
    record: { ...record, state: to, generation: record.generation + 1 },
    transitions: [{ from: record.state, to, reason: 'open-elapsed' }],
    extra: {},
  };
}

/** Decides whether one call may pass now (taking a probe slot when half-open). */
export function admit(
  record: BreakerRecord,
  settings: BreakerSettings,
  now: number,
): Step<{ readonly admission: Admission }> {
  const advanced = advance(record, now);
  const current = advanced.record;
  const state = current.state;
  switch (state.type) {
    case 'closed':
      return { ...advanced, extra: { admission: { type: 'pass', probe: false, generation: current.generation } } };
    case 'open':
      return {
        ...advanced,
        extra: { admission: { type: 'reject', retryAfterMs: Math.max(0, state.halfOpenAt - now) } },
      };
    case 'half-open':
      if (state.probesInFlight >= settings.halfOpenMaxProbes) {
        return { ...advanced, extra: { admission: { type: 'reject', retryAfterMs: settings.halfOpenRetryAfterMs } } };
      }
      return {
        record: { ...current, state: { ...state, probesInFlight: state.probesInFlight + 1 } },
        transitions: advanced.transitions,
        extra: { admission: { type: 'pass', probe: true, generation: current.generation } },
      };
  }
}

/** Counts how one admitted call ended and changes state if that trips or heals the circuit. */
export function settle(
  record: BreakerRecord,
  settings: BreakerSettings,
  now: number,
  admission: { readonly probe: boolean; readonly generation: number },
  outcome: Outcome,
): Step {
  const unchanged: Step = { record, transitions: [], extra: {} };
  if (admission.generation !== record.generation) return unchanged;
  const state = record.state;
  if (state.type === 'half-open') {
    if (!admission.probe) return unchanged;
    const released = { ...state, probesInFlight: Math.max(0, state.probesInFlight - 1) };
    if (outcome === 'ignored') return { record: { ...record, state: released }, transitions: [], extra: {} };
    if (outcome === 'failure') return open(record, settings, now, state.trips + 1, 'probe-failed');
    const successes = state.successes + 1;
    if (successes >= settings.halfOpenSuccessThreshold) return close(record, settings, 'probes-succeeded');
    return { record: { ...record, state: { ...released, successes } }, transitions: [], extra: {} };
  }
  if (state.type !== 'closed' || outcome === 'ignored') return unchanged;
  // The common case: one more success in a full window of successes leaves the record as it is.
  if (outcome === 'success' && unchangedBySuccess(record, settings)) return unchanged;
  const failed = outcome === 'failure';
  const window = addOutcome(record.window, settings, now, failed);
  const consecutiveFailures = failed ? record.consecutiveFailures + 1 : 0;
  const counted: BreakerRecord = { ...record, window, consecutiveFailures };
  if (consecutiveFailures >= settings.consecutiveFailures)
    return open(counted, settings, now, 1, 'consecutive-failures');
  const stats = windowStats(window, settings, now);
  if (stats.calls >= settings.minimumCalls && stats.failures / stats.calls >= settings.failureRateThreshold) {
    return open(counted, settings, now, 1, 'failure-rate');
  }
  return { record: counted, transitions: [], extra: {} };
}

/** Forces the circuit closed with an empty window. */
export function forceClose(record: BreakerRecord, settings: BreakerSettings): Step {
  if (record.state.type === 'closed')
    return { record: { ...record, consecutiveFailures: 0, window: emptyWindow(settings) }, transitions: [], extra: {} };
  return close(record, settings, 'manual-reset');
}
