import type { ModelPrice } from '../usage/price-table.ts';

/** Kinds of input a model accepts. */
export type Modality = 'text' | 'image' | 'audio';

/** What the integration knows of one model, for selection and pre-flight checks. */
export interface ModelDescriptor {
  readonly id: string;
  /** Prompt plus output, in tokens. */
  readonly contextWindow: number;
  readonly maxOutputTokens: number;
  readonly inputModalities: readonly Modality[];
  readonly tools: boolean;
  readonly structuredOutput: boolean;
  readonly reasoning: boolean;
  /** `chat` for chat/responses models, `embedding` for embedding models. */
  readonly kind: 'chat' | 'embedding' | 'moderation';
  /** USD per million tokens, when known. */
  readonly price?: ModelPrice;
  /** False once a refresh from the models endpoint did not list it. */
  readonly available?: boolean;
}
