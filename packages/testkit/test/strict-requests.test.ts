import { BadRequestError } from 'openai';
import { zodFunction, zodResponseFormat, zodTextFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rejectionOf, useSdkSimulator } from './support/sdk.ts';

const shared = useSdkSimulator(41);
const hello = [{ role: 'user' as const, content: 'Hello' }];

/** The error body the SDK received with a 400. */
async function badRequest(promise: Promise<unknown>): Promise<unknown> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(BadRequestError);
  return (error as BadRequestError).error;
}

const closed = (properties: Record<string, unknown>): Record<string, unknown> => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

const city = z.object({ name: z.string().min(1), population: z.number().int(), coastal: z.boolean().nullable() });

describe('the openai profile: unknown arguments', () => {
  it('refuses an unknown chat completion argument as the real API does (param and code null)', async () => {
    const body = { model: 'gpt-4o-mini', messages: hello, max_tokenz: 5 };
    expect(await badRequest(shared.client.chat.completions.create(body))).toEqual({
      message: 'Unrecognized request argument supplied: max_tokenz',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    const two = { model: 'gpt-4o-mini', messages: hello, top_k: 3, thinking: true };
    expect(await badRequest(shared.client.chat.completions.create(two))).toMatchObject({
      message: 'Unrecognized request arguments supplied: top_k, thinking',
    });
    expect(shared.simulator.requests.map((request) => request.status)).toEqual([400, 400]);
  });

  it('refuses an unknown Responses parameter with unknown_parameter naming it', async () => {
    const body = { model: 'gpt-4o-mini', input: 'Hi', max_tokens: 5 };
    expect(await badRequest(shared.client.responses.create(body))).toEqual({
      message: "Unknown parameter: 'max_tokens'.",
      type: 'invalid_request_error',
      param: 'max_tokens',
      code: 'unknown_parameter',
    });
  });

  it('refuses an unknown embeddings argument', async () => {
    const body = { model: 'text-embedding-3-small', input: 'Hi', dimension: 8 };
    expect(await badRequest(shared.client.embeddings.create(body))).toMatchObject({
      message: 'Unrecognized request argument supplied: dimension',
      param: null,
      code: null,
    });
  });

  it('accepts every argument of the spec, e.g. metadata, store, service_tier, prompt_cache_key and verbosity', async () => {
    const completion = await shared.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: hello,
      metadata: { topic: 'greeting' },
      store: false,
      service_tier: 'auto',
      prompt_cache_key: 'k',
      safety_identifier: 'user-1',
      verbosity: 'low',
      logit_bias: { '50256': -100 },
      stop: ['END'],
    });
    expect(completion.object).toBe('chat.completion');
  });
});

describe('the openai profile: json_object output', () => {
  it('refuses json_object when no message mentions JSON', async () => {
    expect(
      await badRequest(
        shared.client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: hello,
          response_format: { type: 'json_object' },
        }),
      ),
    ).toEqual({
      message: "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      type: 'invalid_request_error',
      param: 'messages',
      code: null,
    });
  });

  it('accepts the word in any case and in any message, such as the system message', async () => {
    const completion = await shared.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Always answer as Json.' },
        { role: 'user', content: 'Hello' },
      ],
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ answer: expect.any(String) as unknown });
  });

  it('refuses json_object in the Responses API without JSON in the input or instructions', async () => {
    expect(
      await badRequest(
        shared.client.responses.create({
          model: 'gpt-4o-mini',
          input: 'Hi',
          text: { format: { type: 'json_object' } },
        }),
      ),
    ).toMatchObject({
      message:
        "Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.",
      param: 'input',
    });
    const response = await shared.client.responses.create({
      model: 'gpt-4o-mini',
      instructions: 'Reply in JSON.',
      input: 'Hi',
      text: { format: { type: 'json_object' } },
    });
    expect(response.status).toBe('completed');
  });
});

describe('the openai profile: strict structured output', () => {
  it('refuses a strict response_format whose nested object is open, naming the context', async () => {
    const schema = closed({ author: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
    expect(
      await badRequest(
        shared.client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: hello,
          response_format: { type: 'json_schema', json_schema: { name: 'book', schema, strict: true } },
        }),
      ),
    ).toEqual({
      message:
        "Invalid schema for response_format 'book': In context=('properties', 'author'), 'additionalProperties' is required to be supplied and to be false.",
      type: 'invalid_request_error',
      param: 'response_format',
      code: 'invalid_json_schema',
    });
  });

  it('refuses an optional property, an unsupported keyword and a root that is not an object', async () => {
    const create = (schema: Record<string, unknown>) =>
      shared.client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: hello,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema, strict: true } },
      });
    expect(
      await badRequest(create({ ...closed({ a: { type: 'string' }, b: { type: 'string' } }), required: ['a'] })),
    ).toMatchObject({
      message:
        "Invalid schema for response_format 'x': In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'b'.",
    });
    expect(await badRequest(create(closed({ a: { type: 'string', not: { const: 'b' } } })))).toMatchObject({
      message: "Invalid schema for response_format 'x': In context=('properties', 'a'), 'not' is not permitted.",
    });
    expect(await badRequest(create({ anyOf: [closed({}), closed({ a: { type: 'string' } })] }))).toMatchObject({
      message: `Invalid schema for response_format 'x': schema must be a JSON Schema of 'type: "object"', got 'type: "None"'.`,
    });
  });

  it('accepts the same loose schema without strict, as the real API does', async () => {
    const completion = await shared.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: hello,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'x', schema: { type: 'object', properties: { a: { type: 'string' } } } },
      },
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('checks strict function tools: invalid_function_parameters naming the tool parameters', async () => {
    expect(
      await badRequest(
        shared.client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: hello,
          tools: [
            { type: 'function', function: { name: 'loose', parameters: { type: 'object', properties: {} } } },
            {
              type: 'function',
              function: { name: 'weather', strict: true, parameters: { type: 'object', properties: {} } },
            },
          ],
        }),
      ),
    ).toEqual({
      message:
        "Invalid schema for function 'weather': In context=(), 'additionalProperties' is required to be supplied and to be false.",
      type: 'invalid_request_error',
      param: 'tools[1].function.parameters',
      code: 'invalid_function_parameters',
    });
  });

  it('checks strict text.format schemas and strict function tools of the Responses API', async () => {
    expect(
      await badRequest(
        shared.client.responses.create({
          model: 'gpt-4o-mini',
          input: 'Hi',
          text: {
            format: { type: 'json_schema', name: 'out', strict: true, schema: { type: 'object', properties: {} } },
          },
        }),
      ),
    ).toMatchObject({
      message:
        "Invalid schema for response_format 'out': In context=(), 'additionalProperties' is required to be supplied and to be false.",
      param: 'text.format.schema',
      code: 'invalid_json_schema',
    });
    expect(
      await badRequest(
        shared.client.responses.create({
          model: 'gpt-4o-mini',
          input: 'Hi',
          tools: [{ type: 'function', name: 'f', strict: true, parameters: { type: 'array', items: {} } }],
        }),
      ),
    ).toMatchObject({
      message: `Invalid schema for function 'f': schema must be a JSON Schema of 'type: "object"', got 'type: "array"'.`,
      param: 'tools[0].parameters',
      code: 'invalid_function_parameters',
    });
  });

  it("accepts what the SDK's zod helpers build, for chat, function tools and the Responses API", async () => {
    const completion = await shared.client.chat.completions.parse({
      model: 'gpt-4o-mini',
      messages: hello,
      response_format: zodResponseFormat(city, 'city'),
    });
    expect(city.safeParse(completion.choices[0]?.message.parsed).success).toBe(true);
    const called = await shared.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: hello,
      tools: [zodFunction({ name: 'lookup', parameters: city })],
      tool_choice: 'required',
    });
    expect(called.choices[0]?.finish_reason).toBe('tool_calls');
    const response = await shared.client.responses.parse({
      model: 'gpt-4o-mini',
      input: 'A city',
      text: { format: zodTextFormat(city, 'city') },
    });
    expect(city.safeParse(response.output_parsed).success).toBe(true);
  });
});
