import { describe, expect, it } from 'vitest';
import { BadRequestError, ConflictError, NotFoundError, toFile, type OpenAI } from 'openai';
import { countTokens, createOpenAISimulator, defaultModels } from '../src/index.ts';
import { rejectionOf, sdkFor, useSdkSimulator } from './support/sdk.ts';

const shared = useSdkSimulator(9);

function jsonl(lines: readonly unknown[]): Buffer {
  return Buffer.from(lines.map((line) => JSON.stringify(line)).join('\n'));
}

const chatLine = (customId: string) => ({
  custom_id: customId,
  method: 'POST',
  url: '/v1/chat/completions',
  body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Item ${customId}` }] },
});

describe('createOpenAISimulator embeddings', () => {
  it('returns deterministic unit vectors and counts the tokens of every input', async () => {
    const first = await shared.client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['red apple', 'green pear, ripe'],
    });
    const again = await shared.client.embeddings.create({ model: 'text-embedding-3-small', input: 'red apple' });
    expect(first.data).toHaveLength(2);
    expect(first.data[0]?.embedding).toHaveLength(1536);
    expect(again.data[0]?.embedding).toEqual(first.data[0]?.embedding);
    expect(Math.hypot(...(first.data[0]?.embedding ?? []))).toBeCloseTo(1, 5);
    expect(first.usage).toEqual({
      prompt_tokens: countTokens('red apple') + countTokens('green pear, ripe'),
      total_tokens: 6,
    });
    const tokens = await shared.client.embeddings.create({
      model: 'text-embedding-3-large',
      input: [
        [1, 2, 3],
        [4, 5],
      ],
    });
    expect(tokens.usage.prompt_tokens).toBe(5);
    expect(tokens.data[0]?.embedding).toHaveLength(3072);
  });

  it('shortens vectors to dimensions and sends the same floats as little-endian base64', async () => {
    const floats = await shared.client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'hello',
      dimensions: 16,
      encoding_format: 'float',
    });
    const raw = (await fetch(`${shared.simulator.baseURL}/embeddings`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'text-embedding-3-small',
        input: 'hello',
        dimensions: 16,
        encoding_format: 'base64',
      }),
    }).then((response) => response.json())) as { data: { embedding: string }[] };
    const bytes = Buffer.from(raw.data[0]?.embedding ?? '', 'base64');
    const decoded = Array.from({ length: bytes.length / 4 }, (_unused, index) => bytes.readFloatLE(index * 4));
    expect(decoded).toEqual(floats.data[0]?.embedding);
    const viaSdk = await shared.client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'hello',
      dimensions: 16,
    });
    expect(viaSdk.data[0]?.embedding).toEqual(floats.data[0]?.embedding);
  });

  it('rejects dimensions on models that cannot shorten vectors, empty input and chat models', async () => {
    expect(
      await rejectionOf(
        shared.client.embeddings.create({ model: 'text-embedding-ada-002', input: 'x', dimensions: 8 }),
      ),
    ).toBeInstanceOf(BadRequestError);
    expect(
      await rejectionOf(
        shared.client.embeddings.create({ model: 'text-embedding-3-small', input: 'x', dimensions: 4096 }),
      ),
    ).toBeInstanceOf(BadRequestError);
    expect(
      (
        (await rejectionOf(
          shared.client.embeddings.create({ model: 'text-embedding-3-small', input: '' }),
        )) as BadRequestError
      ).param,
    ).toBe('input');
    expect(
      ((await rejectionOf(shared.client.embeddings.create({ model: 'gpt-4o', input: 'x' }))) as BadRequestError).param,
    ).toBe('model');
    expect(
      (
        (await rejectionOf(
          shared.client.embeddings.create({ model: 'text-embedding-3-small', input: ['ok', 5] as never }),
        )) as BadRequestError
      ).param,
    ).toBe('input');
    expect(
      (
        (await rejectionOf(
          shared.client.embeddings.create({ model: 'text-embedding-3-small', input: null as never }),
        )) as BadRequestError
      ).code,
    ).toBe('missing_required_parameter');
    const mixed = await shared.client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['two words', [1, 2, 3]] as never,
      dimensions: 2,
    });
    expect(mixed.usage.prompt_tokens).toBe(5);
  });
});

describe('createOpenAISimulator models', () => {
  it('lists the default catalogue and retrieves one model', async () => {
    const ids: string[] = [];
    for await (const model of shared.client.models.list()) ids.push(model.id);
    expect(ids).toEqual(defaultModels.map((model) => model.id));
    expect(await shared.client.models.retrieve('gpt-4.1-nano')).toEqual({
      id: 'gpt-4.1-nano',
      object: 'model',
      created: 1744321707,
      owned_by: 'system',
    });
    const missing = await rejectionOf(shared.client.models.retrieve('gpt-9'));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).code).toBe('model_not_found');
  });

  it('serves a custom catalogue, inferring the kind of plain ids', async () => {
    const custom = await createOpenAISimulator({ models: ['my-chat', 'my-embedding-1', 'o9-mini'] });
    try {
      const sdk = sdkFor(custom.baseURL);
      expect((await sdk.models.list()).data.map((model) => model.id)).toEqual(['my-chat', 'my-embedding-1', 'o9-mini']);
      expect((await sdk.embeddings.create({ model: 'my-embedding-1', input: 'x' })).data[0]?.embedding).toHaveLength(
        1536,
      );
      expect(
        (await sdk.chat.completions.create({ model: 'o9-mini', messages: [{ role: 'user', content: 'x' }] })).usage
          ?.completion_tokens_details?.reasoning_tokens,
      ).toBe(8);
      expect(
        await rejectionOf(sdk.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })),
      ).toBeInstanceOf(NotFoundError);
    } finally {
      await custom.close();
    }
  });
});

describe('createOpenAISimulator files', () => {
  it('uploads with toFile, retrieves, downloads and deletes', async () => {
    const file = await shared.client.files.create({
      file: await toFile(Buffer.from('{"a":1}\n'), 'data.jsonl'),
      purpose: 'batch',
    });
    expect(file).toMatchObject({
      object: 'file',
      bytes: 8,
      filename: 'data.jsonl',
      purpose: 'batch',
      status: 'processed',
    });
    expect(await shared.client.files.retrieve(file.id)).toEqual(file);
    expect(await (await shared.client.files.content(file.id)).text()).toBe('{"a":1}\n');
    expect(await shared.client.files.delete(file.id)).toEqual({ id: file.id, object: 'file', deleted: true });
    expect(await rejectionOf(shared.client.files.retrieve(file.id))).toBeInstanceOf(NotFoundError);
  });

  it('pages the file list with limit, order and after, filtered by purpose, through for await', async () => {
    const uploaded: string[] = [];
    for (let index = 0; index < 5; index++) {
      const purpose = index % 2 === 0 ? 'batch' : 'user_data';
      const name = purpose === 'batch' ? `f${index}.jsonl` : `f${index}.txt`;
      uploaded.push(
        (await shared.client.files.create({ file: await toFile(Buffer.from(`${index}`), name), purpose })).id,
      );
    }
    const all: string[] = [];
    for await (const file of shared.client.files.list({ limit: 2 })) all.push(file.id);
    expect(all).toEqual([...uploaded].reverse());
    const ascending: string[] = [];
    for await (const file of shared.client.files.list({ limit: 2, order: 'asc', purpose: 'batch' }))
      ascending.push(file.id);
    expect(ascending).toEqual([uploaded[0], uploaded[2], uploaded[4]]);
    const page = await shared.client.files.list({ limit: 2, order: 'asc' });
    expect(page.has_more).toBe(true);
    expect(page.data.map((file) => file.id)).toEqual(uploaded.slice(0, 2));
  });

  it('rejects an unknown purpose, a batch file that is not .jsonl, and a missing file part', async () => {
    expect(
      (
        (await rejectionOf(
          shared.client.files.create({ file: await toFile(Buffer.from('x'), 'x.txt'), purpose: 'nonsense' as 'batch' }),
        )) as BadRequestError
      ).param,
    ).toBe('purpose');
    expect(
      (
        (await rejectionOf(
          shared.client.files.create({ file: await toFile(Buffer.from('x'), 'x.txt'), purpose: 'batch' }),
        )) as BadRequestError
      ).param,
    ).toBe('file');
    const form = new FormData();
    form.append('purpose', 'batch');
    const response = await fetch(`${shared.simulator.baseURL}/files`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test' },
      body: form,
    });
    expect(response.status).toBe(400);
  });
});

describe('createOpenAISimulator batches', () => {
  it('runs a batch through validating, in_progress, finalizing and completed, with an output line per request', async () => {
    const input = await shared.client.files.create({
      file: await toFile(jsonl([chatLine('a'), chatLine('b')]), 'in.jsonl'),
      purpose: 'batch',
    });
    const batch = await shared.client.batches.create({
      input_file_id: input.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { job: 'nightly' },
    });
    expect(batch.status).toBe('validating');
    const states = [batch.status];
    let current = batch;
    while (current.status !== 'completed') {
      current = await shared.client.batches.retrieve(batch.id);
      states.push(current.status);
    }
    expect(states).toEqual(['validating', 'in_progress', 'finalizing', 'completed']);
    expect(current.request_counts).toEqual({ total: 2, completed: 2, failed: 0 });
    expect(current.error_file_id).toBeUndefined();
    const lines = (await (await shared.client.files.content(current.output_file_id ?? '')).text())
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { custom_id: string; response: { status_code: number; body: OpenAI.ChatCompletion } },
      );
    expect(lines.map((line) => [line.custom_id, line.response.status_code])).toEqual([
      ['a', 200],
      ['b', 200],
    ]);
    expect(current.usage?.input_tokens).toBe(
      lines.reduce((total, line) => total + (line.response.body.usage?.prompt_tokens ?? 0), 0),
    );
    expect(current.metadata).toEqual({ job: 'nightly' });
  });

  it('fails scripted custom_ids into the error file, and they succeed when resubmitted', async () => {
    shared.simulator.failBatchItems(['b', 'c'], { times: 1, status: 500 });
    const run = async (ids: readonly string[]) => {
      const input = await shared.client.files.create({
        file: await toFile(jsonl(ids.map(chatLine)), 'in.jsonl'),
        purpose: 'batch',
      });
      const batch = await shared.client.batches.create({
        input_file_id: input.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      });
      let current = batch;
      for (let step = 0; step < 3; step++) current = await shared.client.batches.retrieve(batch.id);
      return current;
    };
    const first = await run(['a', 'b', 'c']);
    expect(first.request_counts).toEqual({ total: 3, completed: 1, failed: 2 });
    const errors = (await (await shared.client.files.content(first.error_file_id ?? '')).text())
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            custom_id: string;
            response: { status_code: number; body: { error: { type: string } } };
          },
      );
    expect(errors.map((line) => [line.custom_id, line.response.status_code, line.response.body.error.type])).toEqual([
      ['b', 500, 'server_error'],
      ['c', 500, 'server_error'],
    ]);
    const retry = await run(['b', 'c']);
    expect(retry.request_counts).toEqual({ total: 2, completed: 2, failed: 0 });
    expect(retry.error_file_id).toBeUndefined();
  });

  it('runs embeddings, responses and moderations lines, and puts lines that fail validation in the error file', async () => {
    const lines = [
      {
        custom_id: 'e1',
        method: 'POST',
        url: '/v1/embeddings',
        body: { model: 'text-embedding-3-small', input: 'x', dimensions: 4 },
      },
      { custom_id: 'e2', method: 'POST', url: '/v1/embeddings', body: { model: 'gpt-9', input: 'x' } },
    ];
    const input = await shared.client.files.create({ file: await toFile(jsonl(lines), 'emb.jsonl'), purpose: 'batch' });
    const batch = await shared.client.batches.create({
      input_file_id: input.id,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    });
    for (let step = 0; step < 3; step++) await shared.client.batches.retrieve(batch.id);
    const done = await shared.client.batches.retrieve(batch.id);
    expect(done.request_counts).toEqual({ total: 2, completed: 1, failed: 1 });
    const error = JSON.parse((await (await shared.client.files.content(done.error_file_id ?? '')).text()).trim()) as {
      response: { status_code: number };
    };
    expect(error.response.status_code).toBe(404);
    for (const [endpoint, body] of [
      ['/v1/responses', { model: 'gpt-4o', input: 'x' }],
      ['/v1/moderations', { input: 'kill it' }],
    ] as const) {
      const file = await shared.client.files.create({
        file: await toFile(
          jsonl([
            { custom_id: 'x', method: 'POST', url: endpoint, body },
            { custom_id: 'y', method: 'POST', url: endpoint, body: { ...body, stream: true } },
          ]),
          'b.jsonl',
        ),
        purpose: 'batch',
      });
      const created = await shared.client.batches.create({
        input_file_id: file.id,
        endpoint,
        completion_window: '24h',
      });
      let current = created;
      for (let step = 0; step < 3; step++) current = await shared.client.batches.retrieve(created.id);
      expect(current.request_counts).toEqual({ total: 2, completed: 1, failed: 1 });
    }
  });

  it('fails a batch whose input lines are invalid, listing each bad line', async () => {
    const content = [
      'not json',
      JSON.stringify({ method: 'POST', url: '/v1/chat/completions', body: {} }),
      JSON.stringify(chatLine('a')),
      JSON.stringify(chatLine('a')),
      JSON.stringify({ ...chatLine('b'), url: '/v1/embeddings' }),
      JSON.stringify({ ...chatLine('c'), method: 'GET' }),
    ].join('\n');
    const input = await shared.client.files.create({
      file: await toFile(Buffer.from(content), 'bad.jsonl'),
      purpose: 'batch',
    });
    const batch = await shared.client.batches.create({
      input_file_id: input.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const failed = await shared.client.batches.retrieve(batch.id);
    expect(failed.status).toBe('failed');
    expect(failed.errors?.data?.map((error) => [error.code, error.line])).toEqual([
      ['invalid_json_line', 1],
      ['missing_required_parameter', 2],
      ['duplicate_custom_id', 4],
      ['mismatched_endpoint', 5],
      ['invalid_method', 6],
    ]);
    const empty = await shared.client.files.create({
      file: await toFile(Buffer.from('\n'), 'empty.jsonl'),
      purpose: 'batch',
    });
    const emptyBatch = await shared.client.batches.create({
      input_file_id: empty.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    expect((await shared.client.batches.retrieve(emptyBatch.id)).errors?.data?.[0]?.code).toBe('empty_file');
  });

  it('cancels a running batch, refuses to cancel a finished one, and lists batches newest first', async () => {
    const input = await shared.client.files.create({
      file: await toFile(jsonl([chatLine('a')]), 'in.jsonl'),
      purpose: 'batch',
    });
    const first = await shared.client.batches.create({
      input_file_id: input.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const second = await shared.client.batches.create({
      input_file_id: input.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    expect((await shared.client.batches.cancel(first.id)).status).toBe('cancelling');
    expect((await shared.client.batches.retrieve(first.id)).status).toBe('cancelled');
    expect(await rejectionOf(shared.client.batches.cancel(first.id))).toBeInstanceOf(ConflictError);
    const ids: string[] = [];
    for await (const batch of shared.client.batches.list({ limit: 1 })) ids.push(batch.id);
    expect(ids).toEqual([second.id, first.id]);
  });

  it('rejects a missing input file, a non-batch file and an unsupported endpoint', async () => {
    expect(
      await rejectionOf(
        shared.client.batches.create({
          input_file_id: 'file-nope',
          endpoint: '/v1/chat/completions',
          completion_window: '24h',
        }),
      ),
    ).toBeInstanceOf(NotFoundError);
    const other = await shared.client.files.create({
      file: await toFile(Buffer.from('x'), 'x.txt'),
      purpose: 'user_data',
    });
    expect(
      (
        (await rejectionOf(
          shared.client.batches.create({
            input_file_id: other.id,
            endpoint: '/v1/chat/completions',
            completion_window: '24h',
          }),
        )) as BadRequestError
      ).param,
    ).toBe('input_file_id');
    expect(
      (
        (await rejectionOf(
          shared.client.batches.create({
            input_file_id: other.id,
            endpoint: '/v1/completions',
            completion_window: '24h',
          }),
        )) as BadRequestError
      ).param,
    ).toBe('endpoint');
    expect(await rejectionOf(shared.client.batches.retrieve('batch_missing'))).toBeInstanceOf(NotFoundError);
  });

  it('advances batches and background responses with the clock when progress.stepMs is set', async () => {
    let now = Date.UTC(2026, 0, 1);
    const timed = await createOpenAISimulator({ now: () => now, progress: { onRetrieve: false, stepMs: 1000 } });
    try {
      const sdk = sdkFor(timed.baseURL);
      const input = await sdk.files.create({
        file: await toFile(jsonl([chatLine('a')]), 'in.jsonl'),
        purpose: 'batch',
      });
      const batch = await sdk.batches.create({
        input_file_id: input.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      });
      expect(batch.created_at).toBe(now / 1000);
      expect((await sdk.batches.retrieve(batch.id)).status).toBe('validating');
      now += 2500;
      expect((await sdk.batches.list()).data[0]?.status).toBe('finalizing');
      now += 1000;
      expect((await sdk.batches.retrieve(batch.id)).status).toBe('completed');
      const response = await sdk.responses.create({ model: 'gpt-4o', input: 'x', background: true });
      expect((await sdk.responses.retrieve(response.id)).status).toBe('queued');
      now += 5000;
      expect((await sdk.responses.retrieve(response.id)).status).toBe('completed');
    } finally {
      await timed.close();
    }
  });
});

describe('createOpenAISimulator moderations', () => {
  it('flags texts that contain flagged words, with deterministic scores', async () => {
    const result = await shared.client.moderations.create({ input: ['I will kill the process', 'A calm day'] });
    expect(result.model).toBe('omni-moderation-latest');
    expect(result.results.map((entry) => entry.flagged)).toEqual([true, false]);
    expect(result.results[0]?.categories.violence).toBe(true);
    expect(result.results[0]?.category_scores.violence).toBeGreaterThan(0.9);
    expect(result.results[1]?.category_scores.violence).toBeLessThan(0.01);
    const again = await shared.client.moderations.create({ input: 'I will kill the process' });
    expect(again.results[0]?.category_scores).toEqual(result.results[0]?.category_scores);
  });

  it('accepts multimodal input and extra terms, also for new categories', async () => {
    const custom = await createOpenAISimulator({
      moderationTerms: { harassment: ['meanie'], 'hate/threatening': ['grr'] },
    });
    try {
      const sdk = sdkFor(custom.baseURL);
      const result = await sdk.moderations.create({
        model: 'omni-moderation-latest',
        input: [
          { type: 'text', text: 'you meanie' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        ],
      });
      expect(result.results).toHaveLength(1);
      expect(result.results[0]?.categories.harassment).toBe(true);
      expect(result.results[0]?.category_applied_input_types.violence).toEqual(['text', 'image']);
      expect((await sdk.moderations.create({ input: 'grr' })).results[0]?.categories['hate/threatening']).toBe(true);
      expect(((await rejectionOf(sdk.moderations.create({ input: [] }))) as BadRequestError).param).toBe('input');
      expect(
        ((await rejectionOf(sdk.moderations.create({ model: 'gpt-4o', input: 'x' }))) as BadRequestError).param,
      ).toBe('model');
      expect(
        (
          (await rejectionOf(
            sdk.moderations.create({ input: ['text', { type: 'text', text: 'x' }] as never }),
          )) as BadRequestError
        ).param,
      ).toBe('input');
      expect(((await rejectionOf(sdk.moderations.create({ input: undefined as never }))) as BadRequestError).code).toBe(
        'missing_required_parameter',
      );
      expect(((await rejectionOf(sdk.moderations.create({ input: 5 as never }))) as BadRequestError).param).toBe(
        'input',
      );
    } finally {
      await custom.close();
    }
  });
});

describe('createOpenAISimulator on IPv6 loopback', () => {
  it('brackets the host in the base URL', async () => {
    const v6 = await createOpenAISimulator({ host: '::1' });
    try {
      expect(v6.baseURL).toBe(`http://[::1]:${v6.port}/v1`);
      expect((await sdkFor(v6.baseURL).models.retrieve('gpt-4o')).id).toBe('gpt-4o');
    } finally {
      await v6.close();
    }
  });
});

describe('SimulatorOptions.rateLimit on the Responses API', () => {
  it('refuses a response when the budget is spent', async () => {
    const limited = await createOpenAISimulator({ rateLimit: { requestsPerMinute: 1 } });
    try {
      const sdk = sdkFor(limited.baseURL);
      await sdk.responses.create({ model: 'gpt-4o', input: 'x' });
      expect(await rejectionOf(sdk.responses.create({ model: 'gpt-4o', input: 'x' }))).toMatchObject({
        status: 429,
        code: 'rate_limit_exceeded',
      });
      expect(await rejectionOf(sdk.moderations.create({ input: 'x' }))).toMatchObject({ status: 429 });
      expect(await rejectionOf(sdk.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }))).toMatchObject({
        status: 429,
      });
      expect(
        await rejectionOf(sdk.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })),
      ).toMatchObject({ status: 429 });
    } finally {
      await limited.close();
    }
  });
});
