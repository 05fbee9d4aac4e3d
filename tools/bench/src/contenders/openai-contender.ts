import OpenAI from 'openai';
import { benchRequest } from './bench-request.ts';
import type { Contender, StreamReading } from './contender.ts';
import { missingText } from './missing-text.ts';

/** The bare official SDK with its own retries off (`maxRetries: 0`). */
export function createOpenAIContender(baseURL: string): Contender {
  const client = new OpenAI({ apiKey: benchRequest.apiKey, baseURL, maxRetries: 0 });
  const messages = [{ role: 'user' as const, content: benchRequest.prompt }];
  return {
    name: 'openai',
    async chat() {
      const completion = await client.chat.completions.create({
        model: benchRequest.model,
        messages,
        max_completion_tokens: benchRequest.chatMaxTokens,
      });
      if (!completion.choices[0]?.message.content) throw missingText('openai', 'a chat completion');
    },
    async stream(): Promise<StreamReading> {
      const stream = await client.chat.completions.create({
        model: benchRequest.model,
        messages,
        max_completion_tokens: benchRequest.streamMaxTokens,
        stream: true,
        stream_options: { include_usage: true },
      });
      let firstTextAt = 0;
      let textChunks = 0;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) {
          if (textChunks === 0) firstTextAt = performance.now();
          textChunks += 1;
        }
      }
      if (textChunks === 0) throw missingText('openai', 'a stream');
      return { firstTextAt, textChunks };
    },
  };
}
