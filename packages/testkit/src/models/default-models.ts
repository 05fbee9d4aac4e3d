/** A model the simulator knows, as `GET /v1/models` lists it, plus what it can do. */
export interface SimulatedModel {
  /** The model id, e.g. `gpt-4o-mini`. */
  readonly id: string;
  /** Which endpoints accept it: chat (chat completions and responses), embeddings or moderations. */
  readonly kind: 'chat' | 'embedding' | 'moderation';
  /** `created` in the model list, in Unix seconds. */
  readonly created: number;
  /** `owned_by` in the model list. */
  readonly ownedBy: string;
  /**
   * Reasoning models (o-series, gpt-5) report reasoning tokens, reject
   * `max_tokens` (use `max_completion_tokens`) and any `temperature` but 1.
   */
  readonly reasoning?: boolean;
  /** Embedding models: the vector length when `dimensions` is not given. */
  readonly dimensions?: number;
  /** Embedding models: whether `dimensions` may shorten the vectors. */
  readonly supportsDimensions?: boolean;
}

/**
 * The catalogue the simulator serves unless `models` is given: current chat,
 * reasoning, embedding and moderation models with their real `created` dates.
 */
export const defaultModels: readonly SimulatedModel[] = [
  { id: 'gpt-4o', kind: 'chat', created: 1715367049, ownedBy: 'system' },
  { id: 'gpt-4o-mini', kind: 'chat', created: 1721172741, ownedBy: 'system' },
  { id: 'gpt-4.1', kind: 'chat', created: 1744316542, ownedBy: 'system' },
  { id: 'gpt-4.1-mini', kind: 'chat', created: 1744318173, ownedBy: 'system' },
  { id: 'gpt-4.1-nano', kind: 'chat', created: 1744321707, ownedBy: 'system' },
  { id: 'o3-mini', kind: 'chat', created: 1737146383, ownedBy: 'system', reasoning: true },
  { id: 'o4-mini', kind: 'chat', created: 1744225308, ownedBy: 'system', reasoning: true },
  { id: 'gpt-5', kind: 'chat', created: 1754425777, ownedBy: 'system', reasoning: true },
  { id: 'gpt-5-mini', kind: 'chat', created: 1754425928, ownedBy: 'system', reasoning: true },
  { id: 'gpt-5-nano', kind: 'chat', created: 1754426384, ownedBy: 'system', reasoning: true },
  {
    id: 'text-embedding-3-small',
    kind: 'embedding',
    created: 1705948997,
    ownedBy: 'system',
    dimensions: 1536,
    supportsDimensions: true,
  },
  {
    id: 'text-embedding-3-large',
    kind: 'embedding',
    created: 1705953180,
    ownedBy: 'system',
    dimensions: 3072,
    supportsDimensions: true,
  },
  {
    id: 'text-embedding-ada-002',
    kind: 'embedding',
    created: 1671217299,
    ownedBy: 'openai-internal',
    dimensions: 1536,
    supportsDimensions: false,
  },
  { id: 'omni-moderation-latest', kind: 'moderation', created: 1731689265, ownedBy: 'system' },
];
