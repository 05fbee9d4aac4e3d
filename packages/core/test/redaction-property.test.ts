import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createError } from '../src/errors/integration-error.ts';
import { createSecret } from '../src/config/secret.ts';
import { createLogger } from '../src/logging/create-logger.ts';
import type { LogFields, Logger } from '../src/logging/logger.ts';
import { withRedaction } from '../src/logging/with-redaction.ts';

const keyCharacters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'.split('');

/** OpenAI-shaped keys: a known prefix and 20-80 key characters. */
const apiKey = fc
  .tuple(
    fc.constantFrom('sk-', 'sk-proj-', 'sk-svcacct-', 'sk-admin-'),
    fc.array(fc.constantFrom(...keyCharacters), { minLength: 20, maxLength: 80 }),
  )
  .map(([prefix, body]) => ({ key: `${prefix}${body.join('')}`, body: body.join('') }));

type Placement = (key: string) => {
  readonly fields: LogFields;
  readonly message: string;
  readonly bindings: LogFields;
};

const placements: Record<string, Placement> = {
  message: (key) => ({ fields: {}, message: `calling with ${key} now`, bindings: {} }),
  'message start': (key) => ({ fields: {}, message: key, bindings: {} }),
  'nested field value': (key) => ({
    fields: { request: { options: { note: `x=${key}y` } } },
    message: 'm',
    bindings: {},
  }),
  'array element': (key) => ({ fields: { list: ['a', key, 'b'] }, message: 'm', bindings: {} }),
  'header value': (key) => ({
    fields: { headers: { 'x-custom': key, Authorization: `Bearer ${key}` } },
    message: 'm',
    bindings: {},
  }),
  'fetch headers': (key) => ({
    fields: { headers: new Headers({ 'x-trace': key, 'api-key': key }) },
    message: 'm',
    bindings: {},
  }),
  'URL query': (key) => ({
    fields: {
      url: `https://api.example.com/v1/models?api_key=${key}&limit=5`,
      target: new URL(`https://example.com/?key=${key}`),
    },
    message: `GET /v1?token=${key}`,
    bindings: {},
  }),
  'error message': (key) => ({
    fields: { error: new Error(`Incorrect API key provided: ${key}`, { cause: new Error(key) }) },
    message: 'm',
    bindings: {},
  }),
  'core error': (key) => ({
    fields: {
      failure: createError('AuthenticationError', {
        message: `HTTP 401: ${key}`,
        status: 401,
        code: null,
        type: null,
        param: null,
        requestId: null,
        retryAfterMs: null,
        rateLimit: null,
        cause: key,
      }),
    },
    message: 'm',
    bindings: {},
  }),
  'secret-named field': (key) => ({
    fields: { apiKey: key, nested: { client_secret: key, 'X-API-KEY': [key] } },
    message: 'm',
    bindings: {},
  }),
  'Secret value': (key) => ({ fields: { credential: { value: createSecret(key) } }, message: 'm', bindings: {} }),
  'object key': (key) => ({ fields: { [key]: 1, byKey: new Map([[key, key]]) }, message: 'm', bindings: {} }),
  'serialised JSON': (key) => ({
    fields: { raw: JSON.stringify({ api_key: key, other: [key] }) },
    message: 'm',
    bindings: {},
  }),
  'set element': (key) => ({ fields: { seen: new Set([key]) }, message: 'm', bindings: {} }),
  'body field': (key) => ({
    fields: { requestBody: { messages: [{ role: 'user', content: `my key is ${key}` }] }, prompt: key },
    message: 'm',
    bindings: {},
  }),
  'child binding': (key) => ({ fields: {}, message: 'm', bindings: { tenant: key, auth: { token: key } } }),
};

function recordingJsonLogger(lines: string[], bindings: LogFields = {}): Logger {
  const write = (fields: LogFields, message: string) => {
    lines.push(JSON.stringify({ ...bindings, ...fields, message }));
  };
  return {
    error: write,
    warn: write,
    info: write,
    debug: write,
    child: (more) => recordingJsonLogger(lines, { ...bindings, ...more }),
  };
}

describe('withRedaction and createLogger (property)', () => {
  it.each(Object.keys(placements))('never lets a generated key survive when placed in: %s', (name) => {
    const place = placements[name]!;
    fc.assert(
      fc.property(
        apiKey,
        fc.boolean(),
        fc.constantFrom('error', 'warn', 'info', 'debug'),
        ({ key, body }, includeBodies, level) => {
          const { fields, message, bindings } = place(key);
          const cyclic: Record<string, unknown> = { ...fields };
          cyclic['self'] = cyclic;

          const sinkLines: string[] = [];
          const logger = createLogger({
            level: 'debug',
            sink: (line) => sinkLines.push(line),
            redaction: { includeBodies },
          }).child(bindings);
          logger[level](cyclic, message);

          const customLines: string[] = [];
          withRedaction(recordingJsonLogger(customLines), { includeBodies }).child(bindings)[level](cyclic, message);

          for (const output of [...sinkLines, ...customLines]) {
            expect(output).not.toContain(key);
            expect(output).not.toContain(body);
          }
          expect(sinkLines).toHaveLength(1);
          expect(customLines).toHaveLength(1);
        },
      ),
      { numRuns: 60 },
    );
  });
});
