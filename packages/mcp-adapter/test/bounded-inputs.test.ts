import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHarness, textOf } from './support/harness.ts';

const huge = (length: number): string => 'm'.repeat(length);

/** For every tool, each string argument with a value far past its bound, inside otherwise valid arguments. */
const oversized: readonly (readonly [
  tool: string,
  argument: string,
  build: (value: unknown) => Record<string, unknown>,
])[] = [
  ['openai_chat', 'model', (value) => ({ messages: [{ role: 'user', content: 'Hi' }], model: value })],
  ['openai_chat', 'messages[0].content', (value) => ({ messages: [{ role: 'user', content: value }] })],
  ['openai_chat', 'stop[0]', (value) => ({ messages: [{ role: 'user', content: 'Hi' }], stop: [value] })],
  ['openai_embed', 'model', (value) => ({ input: 'Hi', model: value })],
  ['openai_embed', 'input', (value) => ({ input: value })],
  ['openai_moderate', 'model', (value) => ({ input: 'Hi', model: value })],
  ['openai_moderate', 'input[0]', (value) => ({ input: [value] })],
  ['openai_list_files', 'purpose', (value) => ({ purpose: value })],
  ['openai_list_files', 'after', (value) => ({ after: value })],
  ['openai_delete_file', 'fileId', (value) => ({ fileId: value })],
  ['openai_batch_status', 'batchId', (value) => ({ batchId: value })],
  ['openai_batch_cancel', 'batchId', (value) => ({ batchId: value })],
  [
    'openai_batch_submit',
    'requests[0].customId',
    (value) => ({ requests: [{ customId: value, body: { model: 'gpt-4o-mini', messages: [] } }] }),
  ],
  [
    'openai_batch_submit',
    'metadata',
    (value) => ({
      requests: [{ customId: 'a', body: { model: 'gpt-4o-mini', messages: [] } }],
      metadata: { note: value },
    }),
  ],
  ['openai_select_model', 'exclude[0]', (value) => ({ exclude: [value] })],
  ['openai_list_models', 'prefix', (value) => ({ prefix: value })],
  ['openai_list_models', 'ownedBy', (value) => ({ ownedBy: value })],
  ['openai_list_models', 'createdAfter', (value) => ({ createdAfter: value })],
];

describe('every string argument of every tool is bounded', { timeout: 60_000 }, () => {
  it.each(oversized)(
    '%s refuses an oversized %s without a request, saying which argument and without echoing it',
    async (tool, argument, build) => {
      const harness = await createHarness();
      try {
        const result = await harness.call(tool, build(huge(2_000_000)));
        expect(result.isError).toBe(true);
        const text = textOf(result);
        expect(text.length).toBeLessThan(600);
        expect(text).not.toContain('mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm');
        expect(text).toContain(argument.replace(/\[(\d+)\]/g, '.$1').split('.')[0]);
        expect(harness.simulator.requests).toHaveLength(0);
      } finally {
        await harness.close();
      }
    },
  );

  it('refuses any malformed model id, file purpose or id, and leaves no per-key state behind', async () => {
    const harness = await createHarness();
    try {
      const malformed = fc.oneof(
        fc.string({ maxLength: 300 }).filter((text) => !/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,255}$/.test(text)),
        fc.string({ minLength: 257, maxLength: 600 }),
      );
      await fc.assert(
        fc.asyncProperty(
          malformed,
          fc.constantFrom('openai_chat', 'openai_embed', 'openai_moderate'),
          async (model, tool) => {
            const result = await harness.call(
              tool,
              tool === 'openai_chat' ? { messages: [{ role: 'user', content: 'Hi' }], model } : { input: 'Hi', model },
            );
            expect(result.isError).toBe(true);
          },
        ),
        { numRuns: 60 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.string({ maxLength: 200 }).filter((text) => !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(text)),
          async (id) => {
            expect((await harness.call('openai_delete_file', { fileId: id })).isError).toBe(true);
            expect((await harness.call('openai_list_files', { purpose: id })).isError).toBe(true);
          },
        ),
        { numRuns: 40 },
      );
      expect(harness.simulator.requests).toHaveLength(0);
      expect(await harness.operations.transport.breakers.list()).toMatchObject({ total: 0 });
      const report = textOf(await harness.call('openai_usage_report', {}));
      expect(report.length).toBeLessThan(4_000);
    } finally {
      await harness.close();
    }
  });
});
