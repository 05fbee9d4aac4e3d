import type { ModelPrice } from '../usage/price-table.ts';
import type { ModelDescriptor } from './model-descriptor.ts';

const chat = (
  id: string,
  contextWindow: number,
  maxOutputTokens: number,
  flags: { readonly image: boolean; readonly reasoning: boolean },
  price: ModelPrice,
): ModelDescriptor => ({
  id,
  contextWindow,
  maxOutputTokens,
  inputModalities: flags.image ? ['text', 'image'] : ['text'],
  tools: true,
  structuredOutput: true,
  reasoning: flags.reasoning,
  kind: 'chat',
  price,
});

/**
 * The bundled catalogue of current models: their limits, capabilities and list prices
 * in USD per million tokens (standard tier), as published by OpenAI when it was last
 * updated. It is the one list of models and prices: the model registry starts from it,
 * and the usage tracker's default prices are read from it (`defaultPriceTable`).
 */
export const defaultModelCatalogue: readonly ModelDescriptor[] = [
  chat('gpt-5', 400_000, 128_000, { image: true, reasoning: true }, { input: 1.25, cachedInput: 0.125, output: 10 }),
  chat(
    'gpt-5-mini',
    400_000,
    128_000,
    { image: true, reasoning: true },
    { input: 0.25, cachedInput: 0.025, output: 2 },
  ),
  chat(
    'gpt-5-nano',
    400_000,
    128_000,
    { image: true, reasoning: true },
    { input: 0.05, cachedInput: 0.005, output: 0.4 },
  ),
  chat('gpt-4.1', 1_047_576, 32_768, { image: true, reasoning: false }, { input: 2, cachedInput: 0.5, output: 8 }),
  chat(
    'gpt-4.1-mini',
    1_047_576,
    32_768,
    { image: true, reasoning: false },
    { input: 0.4, cachedInput: 0.1, output: 1.6 },
  ),
  chat(
    'gpt-4.1-nano',
    1_047_576,
    32_768,
    { image: true, reasoning: false },
    { input: 0.1, cachedInput: 0.025, output: 0.4 },
  ),
  chat('gpt-4o', 128_000, 16_384, { image: true, reasoning: false }, { input: 2.5, cachedInput: 1.25, output: 10 }),
  chat(
    'gpt-4o-mini',
    128_000,
    16_384,
    { image: true, reasoning: false },
    { input: 0.15, cachedInput: 0.075, output: 0.6 },
  ),
  chat('o3', 200_000, 100_000, { image: true, reasoning: true }, { input: 2, cachedInput: 0.5, output: 8 }),
  chat('o3-mini', 200_000, 100_000, { image: false, reasoning: true }, { input: 1.1, cachedInput: 0.55, output: 4.4 }),
  chat('o4-mini', 200_000, 100_000, { image: true, reasoning: true }, { input: 1.1, cachedInput: 0.275, output: 4.4 }),
  {
    id: 'text-embedding-3-small',
    contextWindow: 8_191,
    maxOutputTokens: 0,
    inputModalities: ['text'],
    tools: false,
    structuredOutput: false,
    reasoning: false,
    kind: 'embedding',
    price: { input: 0.02, output: 0 },
  },
  {
    id: 'text-embedding-3-large',
    contextWindow: 8_191,
    maxOutputTokens: 0,
    inputModalities: ['text'],
    tools: false,
    structuredOutput: false,
    reasoning: false,
    kind: 'embedding',
    price: { input: 0.13, output: 0 },
  },
  {
    id: 'omni-moderation-latest',
    contextWindow: 32_768,
    maxOutputTokens: 0,
    inputModalities: ['text', 'image'],
    tools: false,
    structuredOutput: false,
    reasoning: false,
    kind: 'moderation',
    price: { input: 0, output: 0 },
  },
];
