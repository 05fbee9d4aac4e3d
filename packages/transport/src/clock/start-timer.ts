import type { Clock } from '@openai-integration/core';
import { settledReason } from '../internal/settled-reason.ts';

/**
 * Calls `callback` after `ms` on `clock` unless the returned function is called
 * first: the clock's own `setTimer` when it has one, else a `sleep` ended by an
 * AbortController.
 */
export function startTimer(clock: Clock, ms: number, callback: () => void): () => void {
  if (clock.setTimer !== undefined) return clock.setTimer(ms, callback);
  const cancelled = new AbortController();
  void clock.sleep(ms, cancelled.signal).then(() => {
    if (!cancelled.signal.aborted) callback();
  });
  return () => {
    cancelled.abort(settledReason);
  };
}
