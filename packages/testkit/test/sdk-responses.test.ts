import { describe, expect, it } from 'vitest';
import { NotFoundError, BadRequestError, type OpenAI } from 'openai';
import { countTokens } from '../src/index.ts';
import { anyNumber, anyString, rejectionOf, useSdkSimulator } from './support/sdk.ts';

const shared = useSdkSimulator(5);

const weather = {
  type: 'function' as const,
  name: 'get_weather',
  strict: true,
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};

type StreamEvent = OpenAI.Responses.ResponseStreamEvent;

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('createOpenAISimulator responses', () => {
  it('answers a text input with output_text and usage that only the final object carries', async () => {
    const response = await shared.client.responses.create({
      model: 'gpt-4o',
      input: 'Say hello',
      instructions: 'Be brief.',
    });
    expect(response.status).toBe('completed');
    expect(response.output_text.length).toBeGreaterThan(0);
    expect(response.usage).toMatchObject({
      input_tokens: countTokens('Be brief.') + countTokens('Say hello') + 3 + 3 + 3,
      output_tokens: countTokens(response.output_text),
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: 0 },
    });
    expect(response.usage?.total_tokens).toBe(
      (response.usage?.input_tokens ?? 0) + (response.usage?.output_tokens ?? 0),
    );
  });

  it('streams the lifecycle events with increasing sequence numbers, one delta per token, usage only in response.completed', async () => {
    const events = await collect(
      await shared.client.responses.create({ model: 'gpt-4o', input: 'Say hello', stream: true }),
    );
    const types = events.map((event) => event.type);
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, index) => index));
    const deltas = events.filter((event) => event.type === 'response.output_text.delta');
    const text = deltas.map((event) => event.delta).join('');
    expect(deltas).toHaveLength(countTokens(text));
    const completed = events.at(-1);
    expect(completed?.type === 'response.completed' ? completed.response.usage?.output_tokens : undefined).toBe(
      countTokens(text),
    );
    expect(events.slice(0, -1).some((event) => 'response' in event && event.response.usage !== undefined)).toBe(false);
  });

  it('works with the SDK stream helper and its final response', async () => {
    const stream = shared.client.responses.stream({ model: 'gpt-4o-mini', input: 'Hi' });
    let streamed = '';
    stream.on('response.output_text.delta', (event) => {
      streamed += event.delta;
    });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(streamed);
  });

  it('calls a function tool and streams its arguments, then answers in text after function_call_output', async () => {
    const events = await collect(
      await shared.client.responses.create({ model: 'gpt-4.1', input: 'Weather?', tools: [weather], stream: true }),
    );
    const done = events.find((event) => event.type === 'response.function_call_arguments.done');
    const deltas = events
      .filter((event) => event.type === 'response.function_call_arguments.delta')
      .map((event) => event.delta);
    if (done?.type !== 'response.function_call_arguments.done') throw new Error('expected arguments');
    expect(deltas.join('')).toBe(done.arguments);
    expect(JSON.parse(done.arguments)).toEqual({ city: anyString });
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error('expected completion');
    const call = completed.response.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    const answer = await shared.client.responses.create({
      model: 'gpt-4.1',
      previous_response_id: completed.response.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"celsius":21}' }],
      tools: [weather],
    });
    expect(answer.output[0]?.type).toBe('message');
    expect(answer.usage?.input_tokens).toBeGreaterThan(completed.response.usage?.total_tokens ?? 0);
  });

  it('puts a reasoning item first for reasoning models and marks a response cut by max_output_tokens incomplete', async () => {
    const response = await shared.client.responses.create({ model: 'gpt-5', input: 'Think', max_output_tokens: 16 });
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.usage?.output_tokens).toBe(16);
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(8);
    const events = await collect(
      await shared.client.responses.create({ model: 'gpt-5', input: 'Think', max_output_tokens: 16, stream: true }),
    );
    expect(events.at(-1)?.type).toBe('response.incomplete');
  });

  it('answers text.format json_schema with JSON output that fits the schema', async () => {
    const response = await shared.client.responses.create({
      model: 'gpt-4o',
      input: 'A city',
      text: {
        format: {
          type: 'json_schema',
          name: 'city',
          strict: true,
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, population: { type: 'integer', minimum: 1 } },
            required: ['name', 'population'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(JSON.parse(response.output_text)).toEqual({ name: anyString, population: anyNumber });
  });

  it('retrieves, lists input items of, and deletes a stored response', async () => {
    const created = await shared.client.responses.create({
      model: 'gpt-4o',
      input: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'two' },
        { role: 'user', content: 'three' },
      ],
    });
    expect((await shared.client.responses.retrieve(created.id)).output_text).toBe(created.output_text);
    const newestFirst: string[] = [];
    for await (const item of shared.client.responses.inputItems.list(created.id, { limit: 2 })) {
      newestFirst.push(
        item.type === 'message' && item.content[0] && 'text' in item.content[0] ? item.content[0].text : '?',
      );
    }
    expect(newestFirst).toEqual(['three', 'two', 'one']);
    const oldest = await shared.client.responses.inputItems.list(created.id, { order: 'asc', limit: 1 });
    expect(oldest.has_more).toBe(true);
    await shared.client.responses.delete(created.id);
    expect(await rejectionOf(shared.client.responses.retrieve(created.id))).toBeInstanceOf(NotFoundError);
    const unstored = await shared.client.responses.create({ model: 'gpt-4o', input: 'x', store: false });
    expect(await rejectionOf(shared.client.responses.retrieve(unstored.id))).toBeInstanceOf(NotFoundError);
  });

  it('moves a background response from queued through in_progress to completed, one state per retrieve', async () => {
    const queued = await shared.client.responses.create({ model: 'gpt-4o', input: 'Later', background: true });
    expect(queued.status).toBe('queued');
    expect((await shared.client.responses.retrieve(queued.id)).status).toBe('in_progress');
    const done = await shared.client.responses.retrieve(queued.id);
    expect(done.status).toBe('completed');
    expect(done.output_text.length).toBeGreaterThan(0);
    const toCancel = await shared.client.responses.create({ model: 'gpt-4o', input: 'Later', background: true });
    expect((await shared.client.responses.cancel(toCancel.id)).status).toBe('cancelled');
    expect((await shared.client.responses.retrieve(toCancel.id)).status).toBe('cancelled');
    const synchronous = await shared.client.responses.create({ model: 'gpt-4o', input: 'sync' });
    expect(await rejectionOf(shared.client.responses.cancel(synchronous.id))).toBeInstanceOf(BadRequestError);
  });

  it('replays the events after starting_after when a cut stream is resumed with GET ?stream=true', async () => {
    shared.simulator.enqueue('responses.create', { type: 'stream-cut', afterChunks: 5 });
    const seen: StreamEvent[] = [];
    const failure = await rejectionOf(
      (async () => {
        for await (const event of await shared.client.responses.create({
          model: 'gpt-4o',
          input: 'Resume me',
          stream: true,
          background: true,
        }))
          seen.push(event);
      })(),
    );
    expect(failure).toBeInstanceOf(Error);
    expect(seen).toHaveLength(5);
    const first = seen[0];
    if (first?.type !== 'response.created') throw new Error('expected response.created first');
    const resumed = await collect(
      await shared.client.responses.retrieve(first.response.id, { stream: true, starting_after: 4 }),
    );
    expect(resumed[0]?.sequence_number).toBe(5);
    expect(resumed.at(-1)?.type).toBe('response.completed');
    const text = [...seen, ...resumed]
      .filter((event) => event.type === 'response.output_text.delta')
      .map((event) => event.delta)
      .join('');
    expect((await shared.client.responses.retrieve(first.response.id)).output_text).toBe(text);
  });

  it('rejects an unknown previous_response_id and a max_output_tokens below 16', async () => {
    const unknown = await rejectionOf(
      shared.client.responses.create({ model: 'gpt-4o', input: 'x', previous_response_id: 'resp_missing' }),
    );
    expect(unknown).toBeInstanceOf(BadRequestError);
    expect((unknown as BadRequestError).param).toBe('previous_response_id');
    const small = await rejectionOf(
      shared.client.responses.create({ model: 'gpt-4o', input: 'x', max_output_tokens: 4 }),
    );
    expect((small as BadRequestError).code).toBe('integer_below_min_value');
  });
});

describe('createOpenAISimulator responses validation', () => {
  const post = (body: unknown) =>
    fetch(`${shared.simulator.baseURL}/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const invalid: readonly [string, unknown, string | null, number][] = [
    ['a body that is not an object', [1], null, 400],
    ['a missing model', { input: 'x' }, 'model', 400],
    ['a missing input', { model: 'gpt-4o' }, 'input', 400],
    ['a numeric input', { model: 'gpt-4o', input: 5 }, 'input', 400],
    ['background without store', { model: 'gpt-4o', input: 'x', background: true, store: false }, 'background', 400],
    ['an input item that is not an object', { model: 'gpt-4o', input: ['x'] }, 'input[0]', 400],
    ['a message with a bad role', { model: 'gpt-4o', input: [{ role: 'robot', content: 'x' }] }, 'input[0].role', 400],
    ['a message without content', { model: 'gpt-4o', input: [{ role: 'user' }] }, 'input[0].content', 400],
    [
      'a message with numeric content',
      { model: 'gpt-4o', input: [{ role: 'user', content: 1 }] },
      'input[0].content',
      400,
    ],
    [
      'a function_call_output without call_id',
      { model: 'gpt-4o', input: [{ type: 'function_call_output', output: 'x' }] },
      'input[0].call_id',
      400,
    ],
    [
      'a function_call without name',
      { model: 'gpt-4o', input: [{ type: 'function_call', call_id: 'c', arguments: '{}' }] },
      'input[0].name',
      400,
    ],
    ['a tool without type', { model: 'gpt-4o', input: 'x', tools: [{ name: 'a' }] }, 'tools[0].type', 400],
    [
      'a function tool with a bad name',
      { model: 'gpt-4o', input: 'x', tools: [{ type: 'function', name: 'a b' }] },
      'tools[0].name',
      400,
    ],
    [
      'a text.format that is not an object',
      { model: 'gpt-4o', input: 'x', text: { format: 'json' } },
      'text.format',
      400,
    ],
    [
      'a json_schema format without schema',
      { model: 'gpt-4o', input: 'x', text: { format: { type: 'json_schema', name: 'a' } } },
      'text.format.schema',
      400,
    ],
    ['an unknown truncation', { model: 'gpt-4o', input: 'x', truncation: 'sometimes' }, 'truncation', 400],
    ['a temperature on a reasoning model', { model: 'o4-mini', input: 'x', temperature: 0.5 }, 'temperature', 400],
    ['an embedding model', { model: 'text-embedding-3-small', input: 'x' }, 'model', 404],
  ];
  it.each(invalid)('rejects %s, naming the field', async (_name, body, param, status) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { param: string | null } }).error.param).toBe(param);
  });

  it('accepts other item and tool kinds, echoing them, and json_object output', async () => {
    const response = await shared.client.responses.create({
      model: 'gpt-4o',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Answer in JSON' }] },
        { role: 'user', content: [{ type: 'input_image', image_url: 'https://example.com/a.png', detail: 'auto' }] },
        { type: 'item_reference', id: 'msg_previous' },
        { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: [{ type: 'input_text', text: 'found' }] },
      ],
      tools: [
        { type: 'web_search' },
        { type: 'function', name: 'lookup', parameters: null, strict: false, description: 'Looks up' },
      ],
      tool_choice: { type: 'web_search' } as never,
      text: { format: { type: 'json_object' } },
      metadata: { case: 'mixed' },
    } as never);
    const parsed = response as unknown as OpenAI.Responses.Response;
    expect(parsed.tools.map((tool) => tool.type)).toEqual(['web_search', 'function']);
    expect(JSON.parse(parsed.output_text)).toEqual({ answer: anyString });
    const items = await shared.client.responses.inputItems.list(parsed.id, { order: 'asc' });
    expect(items.data.map((item) => item.type)).toEqual([
      'message',
      'message',
      'item_reference',
      'function_call',
      'function_call_output',
    ]);
    const followUp = await shared.client.responses.create({
      model: 'gpt-4o',
      previous_response_id: parsed.id,
      tools: [{ type: 'function', name: 'lookup', parameters: null, strict: false }],
      tool_choice: 'required',
    } as never);
    expect((followUp as unknown as OpenAI.Responses.Response).output[0]?.type).toBe('function_call');
  });

  it('echoes sampling fields and marks a function call cut by max_output_tokens incomplete', async () => {
    const response = await shared.client.responses.create({
      model: 'gpt-4o',
      input: 'Call',
      temperature: 0.5,
      top_p: 0.9,
      parallel_tool_calls: false,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- apps still send it; the shared.simulator must echo it
      truncation: 'auto',
      max_output_tokens: 16,
      tools: [
        {
          type: 'function',
          name: 'wide',
          strict: true,
          parameters: {
            type: 'object',
            properties: Object.fromEntries(
              Array.from({ length: 12 }, (_unused, index) => [`field${index}`, { type: 'string' }]),
            ),
            required: Array.from({ length: 12 }, (_unused, index) => `field${index}`),
            additionalProperties: false,
          },
        },
      ],
    });
    expect(response).toMatchObject({
      temperature: 0.5,
      top_p: 0.9,
      parallel_tool_calls: false,
      truncation: 'auto',
      status: 'incomplete',
    });
    expect(response.output[0]).toMatchObject({ type: 'function_call', status: 'incomplete' });
  });

  it('streams a whole stored response again without starting_after, and cannot cancel a finished background response', async () => {
    const created = await shared.client.responses.create({ model: 'gpt-4o', input: 'x', background: true });
    const replay = await collect(await shared.client.responses.retrieve(created.id, { stream: true }));
    expect(replay[0]?.type).toBe('response.created');
    expect((await shared.client.responses.cancel(created.id)).status).toBe('completed');
  });

  it('reports an error event at sequence 0 when a stream fails before any event', async () => {
    shared.simulator.enqueue('responses', { type: 'stream-error', afterChunks: 0, code: 'server_error' });
    const text = await (await post({ model: 'gpt-4o', input: 'x', stream: true })).text();
    expect(text.startsWith('event: error\ndata: {"type":"error","code":"server_error"')).toBe(true);
    expect(text).toContain('"sequence_number":0');
  });

  it('answers 404 for unknown ids and a bad starting_after with 400', async () => {
    for (const path of ['/responses/resp_x', '/responses/resp_x/input_items']) {
      expect(
        (await fetch(`${shared.simulator.baseURL}${path}`, { headers: { authorization: 'Bearer k' } })).status,
      ).toBe(404);
    }
    expect(
      (
        await fetch(`${shared.simulator.baseURL}/responses/resp_x`, {
          method: 'DELETE',
          headers: { authorization: 'Bearer k' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await fetch(`${shared.simulator.baseURL}/responses/resp_x/cancel`, {
          method: 'POST',
          headers: { authorization: 'Bearer k' },
        })
      ).status,
    ).toBe(404);
    const created = await shared.client.responses.create({ model: 'gpt-4o', input: 'x' });
    expect(
      (
        await fetch(`${shared.simulator.baseURL}/responses/${created.id}?stream=true&starting_after=abc`, {
          headers: { authorization: 'Bearer k' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await fetch(`${shared.simulator.baseURL}/responses/${created.id}/input_items?limit=0`, {
          headers: { authorization: 'Bearer k' },
        })
      ).status,
    ).toBe(400);
  });
});
