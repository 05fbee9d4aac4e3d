import { ChatOpenAI } from '@langchain/openai';
import { benchRequest } from './bench-request.ts';
import type { Contender, StreamReading } from './contender.ts';
import { missingText } from './missing-text.ts';

/** LangChain.js `ChatOpenAI` pointed at the server (`configuration.baseURL`), retries off. */
export function createLangChainContender(baseURL: string): Contender {
  const settings = {
    model: benchRequest.model,
    apiKey: benchRequest.apiKey,
    configuration: { baseURL },
    maxRetries: 0,
  };
  const chatModel = new ChatOpenAI({ ...settings, maxTokens: benchRequest.chatMaxTokens });
  const streamModel = new ChatOpenAI({ ...settings, maxTokens: benchRequest.streamMaxTokens });
  const messages = [{ role: 'user', content: benchRequest.prompt }];
  return {
    name: 'langchain',
    async chat() {
      const message = await chatModel.invoke(messages);
      if (typeof message.content !== 'string' || message.content === '')
        throw missingText('langchain', 'a chat completion');
    },
    async stream(): Promise<StreamReading> {
      let firstTextAt = 0;
      let textChunks = 0;
      for await (const chunk of await streamModel.stream(messages)) {
        if (typeof chunk.content === 'string' && chunk.content !== '') {
          if (textChunks === 0) firstTextAt = performance.now();
          textChunks += 1;
        }
      }
      if (textChunks === 0) throw missingText('langchain', 'a stream');
      return { firstTextAt, textChunks };
    },
  };
}
