import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema } from './chat-completion-request.ts';
import { isPlainChatRequest } from './is-plain-chat-request.ts';

const accepted = (value: unknown): boolean => chatCompletionRequestSchema.safeParse(value).success;

const base = { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hello' }] };

// Values that sit on and around every limit the quick test checks.
const edgy = fc.oneof(
  { weight: 80, arbitrary: fc.constant(undefined) },
  fc.constantFrom(
    undefined,
    null,
    0,
    1,
    2,
    -2,
    0.5,
    1.5,
    2.0000001,
    -2.0000001,
    20,
    21,
    128,
    129,
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53,
    -(2 ** 53),
    '',
    'x',
    true,
    false,
    [],
    {},
  ),
  fc.double(),
  fc.integer(),
  fc.string(),
);
const plainRole = fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool');
const message = fc.record(
  {
    role: fc.oneof({ weight: 5, arbitrary: plainRole }, fc.constantFrom('function', 'other', 7)),
    content: fc.oneof(
      { weight: 5, arbitrary: fc.string() },
      fc.constantFrom(null, undefined, [{ type: 'text', text: 'hi' }], [], 3),
    ),
    name: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.string(), fc.integer()),
    tool_call_id: fc.oneof({ weight: 3, arbitrary: fc.string() }, fc.constant(undefined), fc.integer()),
    refusal: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.constant(null), fc.string(), fc.integer()),
    tool_calls: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      fc.constant([]),
      fc.constant([{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }]),
    ),
    audio: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, fc.constant(null), fc.constant({ id: 'a' })),
  },
  { requiredKeys: ['role', 'content'] },
);
const request = fc.record(
  {
    model: fc.oneof({ weight: 4, arbitrary: fc.constant('gpt-4.1-mini') }, fc.string(), fc.integer()),
    messages: fc.oneof(
      { weight: 6, arbitrary: fc.array(message, { maxLength: 3 }) },
      fc.constant('hello'),
      fc.constant(null),
    ),
    temperature: edgy,
    top_p: edgy,
    frequency_penalty: edgy,
    presence_penalty: edgy,
    max_tokens: edgy,
    max_completion_tokens: edgy,
    n: edgy,
    seed: edgy,
    logprobs: edgy,
    top_logprobs: edgy,
    user: edgy,
    store: edgy,
    stream: edgy,
    stream_options: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      fc.constant(null),
      fc.constant({ include_usage: true }),
    ),
    stop: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, fc.constant('END'), fc.constant([])),
    reasoning_effort: fc.constantFrom(undefined, 'low'),
  },
  { requiredKeys: ['model', 'messages'] },
);

describe('isPlainChatRequest', () => {
  it('never says yes to a request the schema rejects', () => {
    let quick = 0;
    fc.assert(
      fc.property(request, (value) => {
        if (isPlainChatRequest(value)) {
          quick += 1;
          expect(accepted(value)).toBe(true);
        }
      }),
      { numRuns: 5_000 },
    );
    // The generator reaches the interesting side too: many requests pass the quick test.
    expect(quick).toBeGreaterThan(100);
  });

  it('says yes to the plain requests most calls send, so they skip the schema', () => {
    const plain = [
      base,
      {
        ...base,
        max_completion_tokens: 16,
        temperature: 0.2,
        top_p: 1,
        n: 1,
        seed: 7,
        user: 'u-1',
        store: false,
        stream: false,
      },
      {
        ...base,
        max_tokens: 100,
        logprobs: true,
        top_logprobs: 3,
        frequency_penalty: -2,
        presence_penalty: 2,
        reasoning_effort: 'low',
      },
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: 'Answer in French.', name: 'ops' },
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: 'Which city?', refusal: null },
          { role: 'tool', content: '{"temp":3}', tool_call_id: 'call_1' },
        ],
      },
    ];
    for (const value of plain) {
      expect(isPlainChatRequest(value)).toBe(true);
      expect(accepted(value)).toBe(true);
    }
  });

  it('leaves to the schema anything it does not check itself', () => {
    const forSchema = [
      null,
      'hello',
      [],
      { ...base, model: '' },
      { ...base, messages: [] },
      { ...base, tools: [] },
      { ...base, stop: 'END' },
      { ...base, response_format: { type: 'text' } },
      { ...base, stream: true, stream_options: { include_usage: true } },
      { ...base, metadata: { team: 'a' } },
      { ...base, parallel_tool_calls: true },
      { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
      { ...base, messages: [{ role: 'assistant', content: 'x', tool_calls: [] }] },
      { ...base, messages: [{ role: 'function', content: 'x', name: 'f' }] },
      { ...base, messages: [{ role: 'tool', content: 'x', tool_call_id: '' }] },
      { ...base, temperature: 2.5 },
      { ...base, n: 1.5 },
      { ...base, max_completion_tokens: 0 },
      { ...base, user: null },
    ];
    for (const value of forSchema) expect(isPlainChatRequest(value)).toBe(false);
  });
});
