/** The clients compared, from the floor up. */
export type ContenderName = 'fetch' | 'openai' | 'operations' | 'ai-sdk' | 'langchain';

/** Every contender, in the order the tables list them. */
export const contenderNames: readonly ContenderName[] = ['fetch', 'openai', 'operations', 'ai-sdk', 'langchain'];

/** How each contender is named in reports. */
export const contenderLabels: Readonly<Record<ContenderName, string>> = {
  fetch: 'bare fetch',
  openai: 'openai SDK',
  operations: '@openai-integration/operations',
  'ai-sdk': 'Vercel AI SDK',
  langchain: 'LangChain.js',
};

/** What a streamed answer looked like to the client. */
export interface StreamReading {
  /** `performance.now()` when the first text arrived. */
  readonly firstTextAt: number;
  /** Text chunks received. */
  readonly textChunks: number;
}

/**
 * One client under test, set up once against one server. Each method makes one real
 * call and checks the answer, so that a failing call is never timed as a fast one.
 */
export interface Contender {
  readonly name: ContenderName;
  /** One chat completion (not streamed); rejects when the call fails or the answer has no text. */
  chat(): Promise<void>;
  /** One streamed chat completion read to its end; rejects when the stream fails. */
  stream(): Promise<StreamReading>;
}
