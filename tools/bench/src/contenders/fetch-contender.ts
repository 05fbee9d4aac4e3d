import { benchRequest } from './bench-request.ts';
import type { Contender, StreamReading } from './contender.ts';
import { missingText } from './missing-text.ts';

interface ChatCompletionShape {
  readonly choices?: readonly { readonly message?: { readonly content?: string | null } }[];
}
interface ChunkShape {
  readonly choices?: readonly { readonly delta?: { readonly content?: string | null } }[];
}

/**
 * The floor: Node's global `fetch` with the least work any client must do (serialise
 * the request, parse the JSON answer; for a stream, split SSE frames and parse each).
 */
export function createFetchContender(baseURL: string): Contender {
  const url = `${baseURL}/chat/completions`;
  const headers = { authorization: `Bearer ${benchRequest.apiKey}`, 'content-type': 'application/json' };
  const messages = [{ role: 'user', content: benchRequest.prompt }];

  return {
    name: 'fetch',
    async chat() {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: benchRequest.model,
          messages,
          max_completion_tokens: benchRequest.chatMaxTokens,
        }),
      });
      if (!response.ok) throw new Error(`fetch: HTTP ${response.status}`);
      const completion = (await response.json()) as ChatCompletionShape;
      if (!completion.choices?.[0]?.message?.content) throw missingText('fetch', 'a chat completion');
    },
    async stream(): Promise<StreamReading> {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: benchRequest.model,
          messages,
          max_completion_tokens: benchRequest.streamMaxTokens,
          stream: true,
          stream_options: { include_usage: true },
        }),
      });
      if (!response.ok || response.body === null) throw new Error(`fetch: HTTP ${response.status}`);
      const decoder = new TextDecoder();
      let buffer = '';
      let firstTextAt = 0;
      let textChunks = 0;
      let done = false;
      // undici types the body as ReadableStream<any>; it yields bytes.
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        buffer += decoder.decode(read.value, { stream: true });
        let start = 0;
        for (let end = buffer.indexOf('\n\n', start); end !== -1; end = buffer.indexOf('\n\n', start)) {
          const frame = buffer.slice(start, end);
          start = end + 2;
          if (!frame.startsWith('data: ')) continue;
          const data = frame.slice(6);
          if (data === '[DONE]') {
            done = true;
            continue;
          }
          const text = (JSON.parse(data) as ChunkShape).choices?.[0]?.delta?.content;
          if (text) {
            if (textChunks === 0) firstTextAt = performance.now();
            textChunks += 1;
          }
        }
        buffer = buffer.slice(start);
      }
      if (!done || textChunks === 0) throw missingText('fetch', 'a stream');
      return { firstTextAt, textChunks };
    },
  };
}
