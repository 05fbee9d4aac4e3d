import { createOperations, type OperationsOptions } from '@openai-integration/operations';
import { benchRequest } from './bench-request.ts';
import type { Contender, StreamReading } from './contender.ts';
import { missingText } from './missing-text.ts';

/**
 * The integration as a user gets it: `createOperations` with the default policies
 * (retry, circuit breaker and pacing on, the default log level), pointed at the server.
 * Options (e.g. transport settings) can be added for special cases.
 */
export function createOperationsContender(baseURL: string, extra: Omit<OperationsOptions, 'load'> = {}): Contender {
  const created = createOperations({
    ...extra,
    load: { apiKey: benchRequest.apiKey, baseUrl: baseURL, model: benchRequest.model, env: {}, envFile: false },
  });
  if (created.isErr()) throw new Error(`operations: ${created.error._tag}: ${created.error.message}`);
  const operations = created.value;
  const messages = [{ role: 'user' as const, content: benchRequest.prompt }];
  return {
    name: 'operations',
    async chat() {
      const result = await operations.chat.create({ messages, max_completion_tokens: benchRequest.chatMaxTokens });
      if (result.isErr()) throw new Error(`operations: ${result.error._tag}: ${result.error.message}`);
      if (!result.value.value.text) throw missingText('operations', 'a chat completion');
    },
    async stream(): Promise<StreamReading> {
      const stream = operations.chat.stream({ messages, max_completion_tokens: benchRequest.streamMaxTokens });
      let firstTextAt = 0;
      let textChunks = 0;
      for await (const event of stream) {
        if (event.type === 'text-delta' && event.delta) {
          if (textChunks === 0) firstTextAt = performance.now();
          textChunks += 1;
        } else if (event.type === 'error') {
          throw new Error(`operations: ${event.error._tag}: ${event.error.message}`);
        }
      }
      if (textChunks === 0) throw missingText('operations', 'a stream');
      return { firstTextAt, textChunks };
    },
  };
}
