import type { ServerContext } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createProgressReporter } from './create-progress-reporter.ts';

function fakeContext(
  progressToken: string | undefined,
  notify: (notification: unknown) => Promise<void>,
): ServerContext {
  const controller = new AbortController();
  return {
    mcpReq: { _meta: progressToken === undefined ? {} : { progressToken }, signal: controller.signal, notify },
  } as unknown as ServerContext;
}

describe('createProgressReporter', () => {
  it('sends the text so far with a growing progress count', async () => {
    const sent: unknown[] = [];
    const reporter = createProgressReporter(
      fakeContext('t1', (notification) => Promise.resolve(void sent.push(notification))),
      { intervalMs: 0, now: () => 0 },
    );
    reporter.update('Hel');
    reporter.update('Hel');
    reporter.update('Hello');
    await reporter.flush();
    expect(sent).toEqual([
      { method: 'notifications/progress', params: { progressToken: 't1', progress: 3, message: 'Hel' } },
      { method: 'notifications/progress', params: { progressToken: 't1', progress: 5, message: 'Hello' } },
    ]);
  });

  it('sends nothing without a progress token', async () => {
    const sent: unknown[] = [];
    const reporter = createProgressReporter(
      fakeContext(undefined, (notification) => Promise.resolve(void sent.push(notification))),
      { intervalMs: 0, now: () => 0 },
    );
    reporter.update('Hello');
    await reporter.flush();
    expect(sent).toEqual([]);
  });

  it('shows the newest part of a long answer and keeps going when a notification fails', async () => {
    const sent: { params: { message: string } }[] = [];
    let fail = true;
    const reporter = createProgressReporter(
      fakeContext('t', (notification) => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('closed'));
        }
        sent.push(notification as { params: { message: string } });
        return Promise.resolve();
      }),
      { intervalMs: 0, now: () => 0 },
    );
    reporter.update('a');
    reporter.update(`${'x'.repeat(9_000)}END`);
    await reporter.flush();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.params.message).toMatch(/^\[\.\.\. 1003 earlier characters\] x+END$/);
  });
});
