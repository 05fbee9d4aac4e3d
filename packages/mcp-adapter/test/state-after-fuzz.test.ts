// A fuzz run of valid and careless calls leaves the server's per-key state and its
// memory where they started, once idle entries have expired on the injected clock.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { createTestClock } from '@openai-integration/testkit';
import { createMemoryBudgetStore } from '@openai-integration/transport';
import { describe, expect, it } from 'vitest';
import { createSessionLedger } from '../src/index.ts';
import { createHarness, type Harness } from './support/harness.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * The heap in use after full collections, in bytes. Each collection runs in a task of
 * its own: objects behind a WeakRef stay alive until the task that used them ends.
 */
async function settledHeap(): Promise<number> {
  for (let round = 0; round < 6; round += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
  return process.memoryUsage().heapUsed;
}

const modelId = fc.stringMatching(/^[a-z][a-z0-9-]{2,40}$/).map((suffix) => `fz-${suffix}`);
const call = fc.oneof(
  fc.record({ tool: fc.constant('openai_chat'), model: modelId, content: fc.string({ maxLength: 200 }) }),
  fc.record({ tool: fc.constant('openai_embed'), model: modelId, content: fc.string({ maxLength: 200 }) }),
  fc.record({ tool: fc.constant('openai_moderate'), model: modelId, content: fc.string({ maxLength: 200 }) }),
  fc.record({
    tool: fc.constant('openai_chat'),
    model: fc.constant('gpt-4o-mini'),
    content: fc.string({ minLength: 1, maxLength: 200 }),
  }),
);

async function fuzz(harness: Harness, seed: number, runs: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(call, async ({ tool, model, content }) => {
      const text = content === '' ? 'hi' : content;
      const result = await harness.call(
        tool,
        tool === 'openai_chat' ? { model, messages: [{ role: 'user', content: text }] } : { model, input: text },
      );
      // Every answer is a tool result with text: an answer or an error the agent can act on.
      expect(result.content[0]?.type).toBe('text');
    }),
    { seed, numRuns: runs },
  );
}

const ordinary = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] };

describe('a fuzz run', { timeout: 120_000 }, () => {
  it('leaves per-key state and memory where they started once idle entries expire', async () => {
    const sessions = createSessionLedger();
    const clock = createTestClock();
    // The budget store on the same clock, so that its keys expire as the test says.
    const store = createMemoryBudgetStore({ clock });
    const measured = await createHarness({
      clock,
      tools: { sessions },
      operations: { transport: { retry: { jitter: 'none' }, attemptTimeoutMs: 600_000, pacing: { store } } },
    });
    try {
      const idleEnough = async (): Promise<void> => {
        // Past the breakers' idle time and the budgets' window.
        for (let minute = 0; minute < 15; minute += 1) await clock.sleep(60_000);
        // Idle entries are swept as the server is used: one ordinary call.
        expect((await measured.call('openai_chat', ordinary)).isError).toBeFalsy();
      };
      const state = async () => ({
        breakers: (await measured.operations.transport.breakers.list()).total,
        budgets: store.size(),
        ledgers: sessions.keys().length,
      });
      expect((await measured.call('openai_chat', ordinary)).isError).toBeFalsy();
      const started = await state();
      expect(started).toEqual({ breakers: 1, budgets: 1, ledgers: 1 });

      // Warm-up: the first runs load code (the server's and the in-process simulator's, whose
      // rarer paths compile when a fuzzed call first takes them) and fill caches that stay;
      // the baseline comes after them.
      await fuzz(measured, 1, 200);
      await fuzz(measured, 4, 200);
      await idleEnough();
      // The simulator runs in this process and records every request: it is not the server's memory.
      measured.simulator.reset();
      const baseline = await settledHeap();

      const heapAfter = async (seed: number): Promise<number> => {
        await fuzz(measured, seed, 400);
        const during = await state();
        expect(during.breakers).toBeGreaterThan(100);
        expect(during.budgets).toBeGreaterThan(100);
        await idleEnough();
        expect(await state()).toEqual(started);
        measured.simulator.reset();
        return settledHeap();
      };
      const first = await heapAfter(2);
      const second = await heapAfter(3);
      const third = await heapAfter(5);
      // What stays after the first run is bounded caches and compiled code; anything kept
      // per call or per key grows again with every later run. The heap after a collection
      // varies by a few hundred KB from run to run (a path compiled late, a pool that grew),
      // so the smaller of two growths is judged: a leak shows in both.
      expect(first - baseline).toBeLessThan(3 * 1024 * 1024);
      expect(Math.min(second - first, third - second)).toBeLessThan(512 * 1024);
    } finally {
      await measured.close();
    }
  });
});
