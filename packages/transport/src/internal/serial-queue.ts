/** Runs tasks one after another, in the order they were given. */
export interface SerialQueue {
  <T>(task: () => T | Promise<T>): Promise<T>;
  /** Whether no task is waiting or running (a synchronous task may then run at once, in order). */
  idle(): boolean;
}

/**
 * Creates a queue that runs each task after the previous one settled, so a
 * read-modify-write on an async store is never interleaved within this process.
 */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;
  const done = (): void => {
    pending -= 1;
  };
  const run = <T>(task: () => T | Promise<T>): Promise<T> => {
    pending += 1;
    const result = tail.then(task);
    tail = result.then(done, done);
    return result;
  };
  return Object.assign(run, { idle: () => pending === 0 });
}
