import type { ScriptedReply } from '../faults/simulator-fault.ts';
import type { SimulatedModel } from '../models/default-models.ts';
import type { AzureSimulatorOptions } from '../profiles/azure-simulator-options.ts';
import type { SimulatorProfile } from '../profiles/simulator-profile.ts';

/** What a {@link SimulatorOptions.replyWith} hook sees of a chat completion or response call. */
export interface ReplyContext {
  /** `chat.completions` or `responses.create` (batch lines run the same way). */
  readonly operation: 'chat.completions' | 'responses.create';
  readonly model: string;
  /** The text of the last user message (or of a string `input`). */
  readonly lastUserText: string;
  /** The parsed request body. */
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * Options shared by the loopback simulator and the msw handlers. Every option has
 * a default; time, randomness and waiting are all injectable.
 */
export interface SimulatorOptions {
  /**
   * Which server to imitate (default `openai`): `openai` is as strict as the real
   * API, `azure` serves Azure OpenAI's v1 and deployment APIs, `compatible` behaves
   * like vLLM, Ollama or LM Studio. Any other value throws a TypeError.
   */
  readonly profile?: SimulatorProfile;
  /** Settings of the `azure` profile (deployments, api versions, Entra tokens, content filter). */
  readonly azure?: AzureSimulatorOptions;
  /** Seed for generated content and ids (default 0). The same seed and requests give the same replies. */
  readonly seed?: number;
  /** The clock, in epoch milliseconds (default `Date.now`): rate-limit refill, `created` stamps, batch and background progress. */
  readonly now?: () => number;
  /**
   * How the simulator waits for a `slow` fault (default: `setTimeout`). Resolve at
   * once to test slow streams without real time; must settle when `signal` aborts.
   */
  readonly sleep?: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  /**
   * The rate-limit budget per minute shared by the model endpoints (chat, responses,
   * embeddings, moderations), or `false` for no rate-limit headers and no limit.
   * Default `{requestsPerMinute: 10_000, tokensPerMinute: 30_000_000}`.
   */
  readonly rateLimit?: { readonly requestsPerMinute?: number; readonly tokensPerMinute?: number } | false;
  /** The model catalogue (default {@link defaultModels}); a plain id gets its kind from its name. */
  readonly models?: readonly (string | SimulatedModel)[];
  /** When set, only this API key is accepted (default: any non-empty key). */
  readonly apiKey?: string;
  /** Length of generated replies in tokens: a number or a range (default 12 to 40). */
  readonly replyTokens?: number | { readonly min: number; readonly max: number };
  /**
   * How batches and background responses progress: one state per retrieve
   * (`onRetrieve`, default true) and/or one state per `stepMs` on the clock
   * (default `null`: off).
   */
  readonly progress?: { readonly onRetrieve?: boolean; readonly stepMs?: number | null };
  /** Extra words that moderations flag, by category (merged with the defaults). */
  readonly moderationTerms?: Readonly<Record<string, readonly string[]>>;
  /**
   * How many chat completions created with `store: true` are kept (`maxEntries`,
   * default 1000; the oldest goes first) and for how long on the clock (`ttlMs`,
   * default 30 days, as OpenAI keeps them).
   */
  readonly storedCompletions?: { readonly maxEntries?: number; readonly ttlMs?: number };
  /** Decides a reply from the request, before generation (and after scripted `reply` faults); `undefined` generates as usual. */
  readonly replyWith?: (context: ReplyContext) => ScriptedReply | undefined;
}
