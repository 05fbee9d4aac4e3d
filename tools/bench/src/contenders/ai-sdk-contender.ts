import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import { benchRequest } from './bench-request.ts';
import type { Contender, StreamReading } from './contender.ts';
import { missingText } from './missing-text.ts';

/** The Vercel AI SDK on the chat completions provider (`createOpenAI(...).chat(model)`), retries off. */
export function createAiSdkContender(baseURL: string): Contender {
  const model = createOpenAI({ baseURL, apiKey: benchRequest.apiKey }).chat(benchRequest.model);
  const messages = [{ role: 'user' as const, content: benchRequest.prompt }];
  return {
    name: 'ai-sdk',
    async chat() {
      const result = await generateText({
        model,
        messages,
        maxOutputTokens: benchRequest.chatMaxTokens,
        maxRetries: 0,
      });
      if (!result.text) throw missingText('ai-sdk', 'a chat completion');
    },
    async stream(): Promise<StreamReading> {
      let failure: unknown;
      const result = streamText({
        model,
        messages,
        maxOutputTokens: benchRequest.streamMaxTokens,
        maxRetries: 0,
        onError: ({ error }) => {
          failure = error;
        },
      });
      let firstTextAt = 0;
      let textChunks = 0;
      for await (const text of result.textStream) {
        if (text) {
          if (textChunks === 0) firstTextAt = performance.now();
          textChunks += 1;
        }
      }
      if (failure !== undefined) throw new Error('ai-sdk: the stream failed', { cause: failure });
      if (textChunks === 0) throw missingText('ai-sdk', 'a stream');
      return { firstTextAt, textChunks };
    },
  };
}
