import { BadRequestError, NotFoundError } from 'openai';
import { describe, expect, it } from 'vitest';
import { createOpenAISimulator } from '../src/index.ts';
import { rejectionOf, sdkFor, useSdkSimulator } from './support/sdk.ts';

const shared = useSdkSimulator(17);
const user = (content: string) => [{ role: 'user' as const, content }];

async function getJson(path: string): Promise<{ readonly status: number; readonly body: unknown }> {
  const response = await fetch(`${shared.simulator.baseURL}${path}`, { headers: { authorization: 'Bearer sk-test' } });
  return { status: response.status, body: await response.json() };
}

describe('stored chat completions', () => {
  it('keeps completions created with store: true and lists them oldest first, with the list shape', async () => {
    const { client } = shared;
    const first = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: user('one'), store: true });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: user('not stored') });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: user('two'),
      store: true,
      stream: true,
      metadata: { topic: 'b' },
    });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    const list = await client.chat.completions.list();
    expect(list.data.map((completion) => completion.model)).toEqual(['gpt-4o-mini', 'gpt-4o']);
    expect(list.data[0]).toEqual({ ...first, metadata: {} });
    expect(list.data[1]?.choices[0]?.message.content).toBe(streamed);
    const page = await getJson('/chat/completions?limit=1');
    expect(page.body).toEqual({
      object: 'list',
      data: [expect.objectContaining({ id: first.id }) as unknown],
      first_id: first.id,
      last_id: first.id,
      has_more: true,
    });
  });

  it('filters by model and metadata, pages with after and limit, and orders desc on request', async () => {
    const { client } = shared;
    const ids: string[] = [];
    for (const [index, topic] of ['a', 'b', 'a', 'a'].entries()) {
      const completion = await client.chat.completions.create({
        model: index === 3 ? 'gpt-4o' : 'gpt-4o-mini',
        messages: user(`m${index}`),
        store: true,
        metadata: { topic, index: String(index) },
      });
      ids.push(completion.id);
    }
    const byTopic = await client.chat.completions.list({ metadata: { topic: 'a' } });
    expect(byTopic.data.map((completion) => completion.id)).toEqual([ids[0], ids[2], ids[3]]);
    const both = await client.chat.completions.list({ metadata: { topic: 'a' }, model: 'gpt-4o-mini' });
    expect(both.data.map((completion) => completion.id)).toEqual([ids[0], ids[2]]);
    const pages: string[][] = [];
    for await (const page of (await client.chat.completions.list({ limit: 3, order: 'desc' })).iterPages()) {
      pages.push(page.data.map((completion) => completion.id));
    }
    expect(pages).toEqual([[ids[3], ids[2], ids[1]], [ids[0]]]);
  });

  it('retrieves, updates the metadata of, lists the messages of and deletes a stored completion', async () => {
    const { client } = shared;
    const created = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hi ' },
            { type: 'text', text: 'there' },
          ],
        },
        {
          role: 'assistant',
          content: null,
          name: 'helper',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'done' }] },
      ],
      store: true,
      metadata: { topic: 'x' },
    });
    expect(await client.chat.completions.retrieve(created.id)).toMatchObject({
      id: created.id,
      metadata: { topic: 'x' },
    });
    expect(await client.chat.completions.update(created.id, { metadata: { topic: 'y' } })).toMatchObject({
      metadata: { topic: 'y' },
    });
    expect((await client.chat.completions.list({ metadata: { topic: 'y' } })).data).toHaveLength(1);
    const messages = await client.chat.completions.messages.list(created.id);
    expect(messages.data).toEqual([
      { id: `${created.id}-0`, role: 'system', content: 'Be brief.', name: null, content_parts: null },
      {
        id: `${created.id}-1`,
        role: 'user',
        content: 'Hi there',
        name: null,
        content_parts: [
          { type: 'text', text: 'Hi ' },
          { type: 'text', text: 'there' },
        ],
      },
      { id: `${created.id}-2`, role: 'assistant', content: null, name: 'helper', content_parts: null },
      {
        id: `${created.id}-3`,
        role: 'tool',
        content: 'done',
        name: null,
        content_parts: [{ type: 'text', text: 'done' }],
      },
    ]);
    expect((await getJson(`/chat/completions/${created.id}/messages?limit=1&order=desc`)).body).toMatchObject({
      data: [{ id: `${created.id}-3` }],
      has_more: true,
    });
    expect(await client.chat.completions.delete(created.id)).toEqual({
      object: 'chat.completion.deleted',
      id: created.id,
      deleted: true,
    });
    const gone = await rejectionOf(client.chat.completions.retrieve(created.id));
    expect(gone).toBeInstanceOf(NotFoundError);
    expect((gone as NotFoundError).error).toMatchObject({ param: 'completion_id' });
    expect(shared.simulator.requests.map((request) => request.operation)).toEqual([
      'chat.completions',
      'chat.completions.retrieve',
      'chat.completions.update',
      'chat.completions.list',
      'chat.completions.messages',
      'chat.completions.messages',
      'chat.completions.delete',
      'chat.completions.retrieve',
    ]);
  });

  it('answers bad query values with a 400 naming the parameter', async () => {
    const stored = await shared.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: user('x'),
      store: true,
    });
    for (const [query, param] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['order=newest', 'order'],
      ['after=chatcmpl-unknown', 'after'],
      ['metadata=topic', 'metadata'],
      ['metadata[]=x', 'metadata'],
    ] as const) {
      const { status, body } = await getJson(`/chat/completions?${query}`);
      expect([query, status, (body as { error: { param: unknown } }).error.param]).toEqual([query, 400, param]);
    }
    expect((await getJson(`/chat/completions/${stored.id}/messages?limit=500`)).status).toBe(400);
    expect((await getJson('/chat/completions/chatcmpl-none/messages')).status).toBe(404);
  });

  it('checks metadata as OpenAI does: at most 16 string values, bounded keys and values', async () => {
    const { client } = shared;
    const create = (metadata: unknown) =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: user('x'), metadata } as never);
    const many = Object.fromEntries(Array.from({ length: 17 }, (_unused, index) => [`k${index}`, 'v']));
    const cases: [unknown, string, string][] = [
      [many, 'metadata', 'object_above_max_properties'],
      [{ ['k'.repeat(65)]: 'v' }, 'metadata', 'invalid_value'],
      [{ k: 1 }, 'metadata.k', 'invalid_type'],
      [{ k: 'v'.repeat(513) }, 'metadata.k', 'string_above_max_length'],
      ['topic', 'metadata', 'invalid_type'],
    ];
    for (const [metadata, param, code] of cases) {
      const error = await rejectionOf(create(metadata));
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).error).toMatchObject({ param, code });
    }
    const stored = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: user('x'), store: true });
    const update = (body: unknown) =>
      fetch(`${shared.simulator.baseURL}/chat/completions/${stored.id}`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(((await (await update({})).json()) as { error: { code: string } }).error.code).toBe(
      'missing_required_parameter',
    );
    expect((await update({ metadata: { k: 2 } })).status).toBe(400);
    expect((await update('x')).status).toBe(400);
    expect(await (await update({ metadata: null })).json()).toMatchObject({ metadata: {} });
  });
});

describe('SimulatorOptions.storedCompletions', () => {
  it('keeps at most maxEntries (the oldest goes first) and forgets completions after ttlMs on the clock', async () => {
    let now = 1_700_000_000_000;
    const simulator = await createOpenAISimulator({
      now: () => now,
      storedCompletions: { maxEntries: 2, ttlMs: 60_000 },
    });
    try {
      const client = sdkFor(simulator.baseURL);
      const ids: string[] = [];
      for (const content of ['a', 'b', 'c']) {
        ids.push(
          (await client.chat.completions.create({ model: 'gpt-4o-mini', messages: user(content), store: true })).id,
        );
        now += 20_000;
      }
      expect((await client.chat.completions.list()).data.map((completion) => completion.id)).toEqual([ids[1], ids[2]]);
      now += 20_000;
      expect((await client.chat.completions.list()).data.map((completion) => completion.id)).toEqual([ids[2]]);
      now += 20_000;
      expect((await client.chat.completions.list()).data).toEqual([]);
      expect(await rejectionOf(client.chat.completions.retrieve(ids[2] ?? ''))).toBeInstanceOf(NotFoundError);
    } finally {
      await simulator.close();
    }
    await expect(createOpenAISimulator({ storedCompletions: { maxEntries: 0 } })).rejects.toThrow(TypeError);
    await expect(createOpenAISimulator({ storedCompletions: { ttlMs: 0 } })).rejects.toThrow(TypeError);
  });

  it('stores nothing under the compatible profile, which ignores store and metadata', async () => {
    const simulator = await createOpenAISimulator({ profile: 'compatible' });
    try {
      const client = sdkFor(simulator.baseURL);
      await client.chat.completions.create({
        model: 'm',
        messages: user('x'),
        store: true,
        metadata: { k: 'v'.repeat(600) },
      });
      expect((await client.chat.completions.list()).data).toEqual([]);
    } finally {
      await simulator.close();
    }
  });
});
