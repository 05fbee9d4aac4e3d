import type { Contender, ContenderName } from './contender.ts';

/**
 * Sets up one contender against a server. Each library is imported only when its
 * contender is created, so a process that measures one library loads no other.
 */
export async function createContender(name: ContenderName, baseURL: string): Promise<Contender> {
  switch (name) {
    case 'fetch':
      return (await import('./fetch-contender.ts')).createFetchContender(baseURL);
    case 'openai':
      return (await import('./openai-contender.ts')).createOpenAIContender(baseURL);
    case 'operations':
      return (await import('./operations-contender.ts')).createOperationsContender(baseURL);
    case 'ai-sdk':
      return (await import('./ai-sdk-contender.ts')).createAiSdkContender(baseURL);
    case 'langchain':
      return (await import('./langchain-contender.ts')).createLangChainContender(baseURL);
  }
}
