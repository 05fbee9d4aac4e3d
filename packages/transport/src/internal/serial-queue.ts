/** Runs tasks one after another, in the order they were given. */
export type SerialQueue = <T>(task: () => T | Promise<T>) => Promise<T>;

const ignore = (): void => undefined;

/**
 * Creates a queue that runs each task after the previous one settled, so a
 * read-modify-write on an async store is never interleaved within this process.
 */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => T | Promise<T>): Promise<T> => {
    const result = tail.then(task);
    tail = result.then(ignore, ignore);
    return result;
  };
}
