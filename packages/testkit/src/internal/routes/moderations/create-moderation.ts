import { failed, type RouteContext, type RouteResult } from '../../engine/route-types.ts';
import { invalidRequest, isApiFailure } from '../../http/api-failure.ts';
import { createRandom } from '../../random/create-random.ts';
import { countTokens } from '../../../tokens/count-tokens.ts';
import { createFieldReader, isJsonObject } from '../../validation/field-reader.ts';
import { jsonBody } from '../shared/json-body.ts';
import { requireModel } from '../shared/model-checks.ts';

const categories = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;

const imageCategories = new Set<string>([
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'violence',
  'violence/graphic',
]);

/** The words the simulator flags by default, by category. */
const defaultModerationTerms: Readonly<Record<string, readonly string[]>> = {
  harassment: ['idiot', 'loser'],
  'harassment/threatening': ['threaten'],
  hate: ['hate'],
  illicit: ['steal', 'smuggle'],
  'illicit/violent': ['bomb'],
  'self-harm': ['self-harm', 'suicide'],
  sexual: ['nsfw'],
  violence: ['kill', 'murder', 'attack'],
  'violence/graphic': ['gore'],
};

interface ModerationInput {
  readonly text: string;
  readonly hasImage: boolean;
}

function readInputs(input: unknown): readonly ModerationInput[] | undefined {
  if (typeof input === 'string') return [{ text: input, hasImage: false }];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((entry) => typeof entry === 'string')) return input.map((text) => ({ text, hasImage: false }));
  if (!input.every(isJsonObject)) return undefined;
  const parts = input as readonly Readonly<Record<string, unknown>>[];
  return [
    {
      text: parts.map((part) => (typeof part['text'] === 'string' ? part['text'] : '')).join(' '),
      hasImage: parts.some((part) => part['type'] === 'image_url'),
    },
  ];
}

/**
 * POST /v1/moderations: one result per input (a string, a list of strings, or one
 * multimodal list of parts). A category is flagged when the text contains one of
 * its words (see `defaultModerationTerms`, extended by `moderationTerms`); scores
 * are deterministic: 0.9 and up when flagged, below 0.01 otherwise.
 */
export function createModeration(context: RouteContext): RouteResult {
  const { state } = context;
  const body = jsonBody(context.body);
  if (isApiFailure(body)) return failed(body);
  const read = createFieldReader(body);
  const modelId = read.string('model') ?? 'omni-moderation-latest';
  if (read.failure !== undefined) return failed(read.failure);
  if (body['input'] === undefined || body['input'] === null)
    return failed(invalidRequest('input', "Missing required parameter: 'input'.", 'missing_required_parameter'));
  const inputs = readInputs(body['input']);
  if (inputs === undefined)
    return failed(
      invalidRequest(
        'input',
        "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
      ),
    );
  const model = requireModel(state, modelId, 'moderation', 'v1/moderations');
  if (isApiFailure(model)) return failed(model);
  const tokens = inputs.reduce((total, input) => total + countTokens(input.text), 0);
  const refusal = context.charge(tokens, model.id);
  if (refusal !== undefined) return failed(refusal);
  const terms: Record<string, readonly string[]> = { ...defaultModerationTerms };
  for (const [category, words] of Object.entries(state.options.moderationTerms))
    terms[category] = [...(terms[category] ?? []), ...words];

  const results = inputs.map((input) => {
    const lower = input.text.toLowerCase();
    const random = createRandom(state.options.seed, 'moderation', input.text);
    const flags: Record<string, boolean> = {};
    const scores: Record<string, number> = {};
    const applied: Record<string, string[]> = {};
    for (const category of categories) {
      const hit = (terms[category] ?? []).some((word) => lower.includes(word.toLowerCase()));
      flags[category] = hit;
      scores[category] = hit ? 0.9 + random.next() * 0.09 : random.next() * 0.01;
      applied[category] = input.hasImage && imageCategories.has(category) ? ['text', 'image'] : ['text'];
    }
    return {
      flagged: Object.values(flags).some(Boolean),
      categories: flags,
      category_scores: scores,
      category_applied_input_types: applied,
    };
  });
  return { kind: 'json', body: { id: state.ids.next('moderation'), model: model.id, results } };
}
