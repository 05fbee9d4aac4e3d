/**
 * What a policy answers: the value at once when it can (in-memory state), or a
 * promise of it when it must wait (a queue, a timer, a store on the network).
 */
export type Answer<T> = T | Promise<T>;

/** Whether an answer has to be waited for. */
export function isWaiting<T>(answer: Answer<T>): answer is Promise<T> {
  return answer instanceof Promise;
}

/**
 * Hands an answer on: at once when it is there, after it settles otherwise, so a
 * chain of policies that all answer at once allocates no promise.
 */
export function andThen<T, U>(answer: Answer<T>, next: (value: T) => Answer<U>): Answer<U> {
  return answer instanceof Promise ? answer.then(next) : next(answer);
}

/**
 * The answer of a call to a store: what it returned (a thenable becomes a promise),
 * or `fallback` when it throws or rejects, after `failed` has been told.
 */
export function guardedAnswer<T>(
  call: () => T | PromiseLike<T>,
  fallback: T,
  failed: (thrown: unknown) => void,
): Answer<T> {
  let answer: T | PromiseLike<T>;
  try {
    answer = call();
  } catch (thrown) {
    failed(thrown);
    return fallback;
  }
  if (!isPromiseLike(answer)) return answer;
  return Promise.resolve(answer).then(
    (value) => value,
    (thrown: unknown) => {
      failed(thrown);
      return fallback;
    },
  );
}

const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  value instanceof Promise || typeof (value as { then?: unknown } | null)?.then === 'function';

/** An answer as a promise, for a public API that always returns one (a synchronous throw becomes a rejection). */
export function settledPromise<T>(answer: () => Answer<T>): Promise<T> {
  try {
    return Promise.resolve(answer());
  } catch (thrown) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what a store threw goes to the caller unchanged, Error or not
    return Promise.reject(thrown);
  }
}
