import type { ScriptedReply } from '../../faults/simulator-fault.ts';
import { defaultModels, type SimulatedModel } from '../../models/default-models.ts';
import type { ContentFilterCategory } from '../../profiles/azure-simulator-options.ts';
import { isSimulatorProfile, simulatorProfiles, type SimulatorProfile } from '../../profiles/simulator-profile.ts';
import type { ReplyContext, SimulatorOptions } from '../../simulator/simulator-options.ts';
import type { BatchItemFailureOptions } from '../../simulator/simulator-controls.ts';
import { createIds, type IdFactory } from '../random/create-ids.ts';
import { createBudget, type Budget } from '../rate-limit/create-budget.ts';

/** A file as stored by the simulator. */
export interface StoredFile {
  readonly id: string;
  readonly filename: string;
  readonly purpose: string;
  readonly bytes: Uint8Array;
  readonly createdAt: number;
  readonly order: number;
}

/** One scripted batch-item failure still to happen. */
interface PendingItemFailure {
  remaining: number;
  readonly status: number;
  readonly message: string;
  readonly code: string | null;
}

/** The `azure` profile's settings with their defaults. */
interface ResolvedAzureOptions {
  /** Deployment name to model id; `undefined`: every catalogue model under its own id. */
  readonly deployments: ReadonlyMap<string, string> | undefined;
  readonly apiVersions: ReadonlySet<string>;
  /** Accepted Entra tokens; `undefined`: any token (when no `apiKey` is set). */
  readonly entraTokens: ReadonlySet<string> | undefined;
  /** Trigger words by category, lower-cased (empty when the filter is off). */
  readonly contentFilter: ReadonlyMap<ContentFilterCategory, readonly string[]>;
}

/** Azure evaluates its per-minute quotas over windows this short. */
const azureWindowMs = 10_000;

/** Azure's data-plane API versions the classic API accepts by default. */
const defaultAzureApiVersions: readonly string[] = [
  '2023-05-15',
  '2024-02-01',
  '2024-06-01',
  '2024-10-21',
  '2024-02-15-preview',
  '2024-03-01-preview',
  '2024-04-01-preview',
  '2024-05-01-preview',
  '2024-07-01-preview',
  '2024-08-01-preview',
  '2024-09-01-preview',
  '2024-10-01-preview',
  '2024-12-01-preview',
  '2025-01-01-preview',
  '2025-02-01-preview',
  '2025-03-01-preview',
  '2025-04-01-preview',
];

const defaultContentFilter: Readonly<Record<ContentFilterCategory, readonly string[]>> = {
  hate: ['hatred'],
  sexual: ['nsfw'],
  violence: ['murder'],
  self_harm: ['suicide'],
};

/** The options with every default filled in. */
export interface ResolvedOptions {
  readonly profile: SimulatorProfile;
  readonly azure: ResolvedAzureOptions;
  readonly seed: number;
  readonly now: () => number;
  readonly sleep: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  readonly models: readonly SimulatedModel[];
  readonly apiKey: string | undefined;
  readonly replyTokens: { readonly min: number; readonly max: number };
  readonly progressOnRetrieve: boolean;
  readonly progressStepMs: number | null;
  readonly moderationTerms: Readonly<Record<string, readonly string[]>>;
  readonly replyWith: ((context: ReplyContext) => ScriptedReply | undefined) | undefined;
  readonly rateLimit: { readonly requestsPerMinute: number; readonly tokensPerMinute: number } | false;
  readonly storedCompletions: { readonly maxEntries: number; readonly ttlMs: number };
}

/** Something whose lifecycle advances on retrieves and with the clock (batches, background responses). */
export interface Progressing {
  stage: number;
  stageChangedAt: number;
}

/** A stored Responses API object with what is needed to replay and list it. */
export interface StoredResponse extends Progressing {
  readonly id: string;
  /** The final response object (status completed, incomplete or failed). */
  final: Record<string, unknown>;
  /** Every stream event of the response, in order (sequence numbers from 0). */
  readonly events: readonly Record<string, unknown>[];
  readonly inputItems: readonly Record<string, unknown>[];
  readonly background: boolean;
  cancelled: boolean;
  /** Prompt plus output tokens, to count a follow-up's `previous_response_id` context. */
  readonly contextTokens: number;
  readonly contextText: string;
}

/** A chat completion created with `store: true`. */
export interface StoredChatCompletion {
  readonly id: string;
  /** The completion as `GET /chat/completions/{id}` returns it (metadata included). */
  completion: Record<string, unknown> & { readonly id: string };
  readonly model: string;
  metadata: Readonly<Record<string, string>>;
  /** The request messages, as `GET /chat/completions/{id}/messages` lists them. */
  readonly messages: readonly (Record<string, unknown> & { readonly id: string })[];
  /** When it was stored, in epoch milliseconds on the simulator's clock (for expiry). */
  readonly storedAt: number;
}

/** A stored batch. */
export interface StoredBatch extends Progressing {
  readonly id: string;
  readonly endpoint: string;
  readonly inputFileId: string;
  readonly completionWindow: string;
  readonly metadata: unknown;
  readonly createdAt: number;
  readonly order: number;
  timestamps: Record<string, number>;
  status: string;
  requestCounts: { total: number; completed: number; failed: number };
  errors: readonly Record<string, unknown>[] | null;
  outputFileId: string | null;
  errorFileId: string | null;
  usage: Record<string, unknown> | null;
  lines: readonly Record<string, unknown>[];
}

/** All the mutable state of one simulator. */
export interface EngineState {
  readonly options: ResolvedOptions;
  ids: IdFactory;
  budget: Budget | undefined;
  readonly files: Map<string, StoredFile>;
  readonly batches: Map<string, StoredBatch>;
  readonly responses: Map<string, StoredResponse>;
  /** Stored chat completions, oldest first (bounded and expiring). */
  readonly chatCompletions: Map<string, StoredChatCompletion>;
  readonly promptsSeen: Set<string>;
  readonly itemFailures: Map<string, PendingItemFailure>;
  order: number;
}

/** Infers a catalogue entry from a bare model id. */
export function toSimulatedModel(model: string | SimulatedModel): SimulatedModel {
  if (typeof model !== 'string') return model;
  if (model.includes('embedding')) {
    return {
      id: model,
      kind: 'embedding',
      created: 1705948997,
      ownedBy: 'system',
      dimensions: 1536,
      supportsDimensions: true,
    };
  }
  if (model.includes('moderation')) return { id: model, kind: 'moderation', created: 1731689265, ownedBy: 'system' };
  return { id: model, kind: 'chat', created: 1715367049, ownedBy: 'system', reasoning: /^(o\d|gpt-5)/.test(model) };
}

/** The catalogue plus the models that Azure deployments serve but the catalogue lacks. */
function withDeployedModels(
  models: readonly SimulatedModel[],
  deployments: Readonly<Record<string, string>> | undefined,
): readonly SimulatedModel[] {
  const missing = [...new Set(Object.values(deployments ?? {}))].filter(
    (id) => !models.some((model) => model.id === id),
  );
  return [...models, ...missing.map(toSimulatedModel)];
}

const defaultSleep = (milliseconds: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, milliseconds);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Fills in the defaults of the public options. Throws TypeError on nonsense (a programmer error). */
export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const replyTokens =
    typeof options.replyTokens === 'number'
      ? { min: options.replyTokens, max: options.replyTokens }
      : (options.replyTokens ?? { min: 12, max: 40 });
  if (!(replyTokens.min >= 1 && replyTokens.max >= replyTokens.min))
    throw new TypeError('replyTokens must be at least 1 (and min <= max)');
  const rateLimit =
    options.rateLimit === false
      ? false
      : {
          requestsPerMinute: options.rateLimit?.requestsPerMinute ?? 10_000,
          tokensPerMinute: options.rateLimit?.tokensPerMinute ?? 30_000_000,
        };
  if (rateLimit !== false && !(rateLimit.requestsPerMinute > 0 && rateLimit.tokensPerMinute > 0)) {
    throw new TypeError('rateLimit budgets must be positive');
  }
  const storedCompletions = {
    maxEntries: options.storedCompletions?.maxEntries ?? 1000,
    ttlMs: options.storedCompletions?.ttlMs ?? 30 * 24 * 60 * 60 * 1000,
  };
  if (!(
    Number.isInteger(storedCompletions.maxEntries) &&
    storedCompletions.maxEntries >= 1 &&
    storedCompletions.ttlMs > 0
  )) {
    throw new TypeError('storedCompletions needs maxEntries >= 1 (an integer) and ttlMs > 0');
  }
  const profile = options.profile ?? 'openai';
  if (!isSimulatorProfile(profile)) {
    const known = simulatorProfiles.map((name) => `'${name}'`).join(', ');
    throw new TypeError(`Unknown profile '${String(profile)}': expected one of ${known}.`);
  }
  const azure = options.azure ?? {};
  const contentFilter = azure.contentFilter === false ? {} : (azure.contentFilter ?? defaultContentFilter);
  return {
    profile,
    azure: {
      deployments: azure.deployments === undefined ? undefined : new Map(Object.entries(azure.deployments)),
      apiVersions: new Set(azure.apiVersions ?? defaultAzureApiVersions),
      entraTokens: azure.entraTokens === undefined ? undefined : new Set(azure.entraTokens),
      contentFilter: new Map(
        Object.entries(contentFilter).map(([category, words]) => [
          category as ContentFilterCategory,
          words.map((word) => word.toLowerCase()),
        ]),
      ),
    },
    seed: options.seed ?? 0,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? defaultSleep,
    models: withDeployedModels((options.models ?? defaultModels).map(toSimulatedModel), azure.deployments),
    apiKey: options.apiKey,
    replyTokens,
    progressOnRetrieve: options.progress?.onRetrieve ?? true,
    progressStepMs: options.progress?.stepMs ?? null,
    moderationTerms: options.moderationTerms ?? {},
    replyWith: options.replyWith,
    rateLimit,
    storedCompletions,
  };
}

/** Creates empty state for resolved options. */
export function createEngineState(options: ResolvedOptions): EngineState {
  return {
    options,
    ids: createIds(options.seed),
    budget:
      options.rateLimit === false || options.profile === 'compatible'
        ? undefined
        : createBudget(options.rateLimit, options.now, options.profile === 'azure' ? { windowMs: azureWindowMs } : {}),
    files: new Map(),
    batches: new Map(),
    responses: new Map(),
    chatCompletions: new Map(),
    promptsSeen: new Set(),
    itemFailures: new Map(),
    order: 0,
  };
}

/** Empties the state in place and restarts ids and budget. */
export function clearEngineState(state: EngineState): void {
  state.ids = createIds(state.options.seed);
  state.budget?.reset();
  state.files.clear();
  state.batches.clear();
  state.responses.clear();
  state.chatCompletions.clear();
  state.promptsSeen.clear();
  state.itemFailures.clear();
  state.order = 0;
}

/** Creation time of a new object, in Unix seconds on the simulator's clock. */
export function unixNow(state: EngineState): number {
  return Math.floor(state.options.now() / 1000);
}

/** Finds a model of the catalogue. */
export function findModel(state: EngineState, id: string): SimulatedModel | undefined {
  return state.options.models.find((model) => model.id === id);
}

/** Records scripted batch-item failures. */
export function addItemFailures(
  state: EngineState,
  customIds: readonly string[],
  options: BatchItemFailureOptions,
): void {
  const status = options.status ?? 500;
  for (const customId of customIds) {
    state.itemFailures.set(customId, {
      remaining: options.times ?? 1,
      status,
      message:
        options.message ??
        (status >= 500
          ? 'The server had an error while processing your request. Sorry about that!'
          : 'The request failed.'),
      code: options.code !== undefined ? options.code : status >= 500 ? 'server_error' : null,
    });
  }
}

/**
 * How many lifecycle steps a batch or background response takes now: one per
 * `stepMs` elapsed on the clock since its last change, or else one for a retrieve
 * (when `progress.onRetrieve` is on). Marks the change time when it moves.
 */
export function stepsDue(state: EngineState, item: Progressing, retrieve: boolean): number {
  const now = state.options.now();
  const stepMs = state.options.progressStepMs;
  let steps = stepMs !== null && stepMs > 0 ? Math.floor((now - item.stageChangedAt) / stepMs) : 0;
  if (steps === 0 && retrieve && state.options.progressOnRetrieve) steps = 1;
  if (steps > 0) item.stageChangedAt = now;
  return steps;
}
