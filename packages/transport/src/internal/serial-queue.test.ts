import { describe, expect, it } from 'vitest';
import { createSerialQueue } from './serial-queue.ts';

describe('createSerialQueue', () => {
  it('runs tasks one at a time in order and keeps going after a failed task', async () => {
    const queue = createSerialQueue();
    const log: string[] = [];
    const slow = queue(async () => {
      log.push('slow start');
      await new Promise((resolve) => setImmediate(resolve));
      log.push('slow end');
      return 1;
    });
    const failing = queue(() => {
      throw new Error('nope');
    });
    const fast = queue(() => {
      log.push('fast');
      return 2;
    });
    expect(await slow).toBe(1);
    await expect(failing).rejects.toThrow('nope');
    expect(await fast).toBe(2);
    expect(log).toEqual(['slow start', 'slow end', 'fast']);
  });

  it('says when nothing is waiting or running', async () => {
    const queue = createSerialQueue();
    expect(queue.idle()).toBe(true);
    const running = queue(() => Promise.resolve(1));
    expect(queue.idle()).toBe(false);
    await running;
    await Promise.resolve();
    expect(queue.idle()).toBe(true);
  });
});
