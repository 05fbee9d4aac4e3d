import { genAiAttributes, openaiAttributes } from './attributes.ts';

/**
 * Which version of the GenAI semantic conventions the spans and metrics follow:
 *
 * - `v1.36` (the default): the names of the conventions up to v1.36.0, as the
 *   conventions ask instrumentations to keep by default: the provider in
 *   `gen_ai.system`, OpenAI's attributes under `gen_ai.openai.*`, and captured content
 *   (when enabled) as the span events `gen_ai.content.prompt` and
 *   `gen_ai.content.completion`.
 * - `latest`: the latest experimental conventions: the provider in
 *   `gen_ai.provider.name`, OpenAI's attributes under `openai.*` (with
 *   `openai.api.type`), and captured content as the span attributes
 *   `gen_ai.input.messages` and `gen_ai.output.messages`. The old names are not sent.
 *
 * Everything else (span names and kinds, the other attributes, the metrics) is the same
 * under both.
 */
export type GenAiConventions = 'v1.36' | 'latest';

/** The value of `OTEL_SEMCONV_STABILITY_OPT_IN` that selects the latest GenAI conventions. */
export const latestGenAiOptIn = 'gen_ai_latest_experimental';

/**
 * Reads `OTEL_SEMCONV_STABILITY_OPT_IN` (a comma-separated list of opt-ins, as the
 * OpenTelemetry specification defines it): `latest` when it lists
 * `gen_ai_latest_experimental`, else `v1.36`. Values for other areas (`http`,
 * `database`, ...) are ignored, as are blanks and case.
 */
export function conventionsFromOptIn(value: string | undefined): GenAiConventions {
  if (value === undefined) return 'v1.36';
  // Bounded: an environment variable of any length is read only as far as it matters.
  const entries = value.slice(0, 1_000).split(',');
  return entries.some((entry) => entry.trim().toLowerCase() === latestGenAiOptIn) ? 'latest' : 'v1.36';
}

/** The attribute names that differ between the two versions. */
export interface ConventionNames {
  readonly conventions: GenAiConventions;
  readonly provider: string;
  readonly requestServiceTier: string;
  readonly responseServiceTier: string;
  readonly responseSystemFingerprint: string;
  /** `openai.api.type`, only under the latest conventions. */
  readonly apiType: string | undefined;
}

const latestNames: ConventionNames = Object.freeze({
  conventions: 'latest',
  provider: genAiAttributes.providerName,
  requestServiceTier: openaiAttributes.requestServiceTier,
  responseServiceTier: openaiAttributes.responseServiceTier,
  responseSystemFingerprint: openaiAttributes.responseSystemFingerprint,
  apiType: openaiAttributes.apiType,
});

const legacyNames: ConventionNames = Object.freeze({
  conventions: 'v1.36',
  provider: genAiAttributes.system,
  requestServiceTier: openaiAttributes.legacyRequestServiceTier,
  responseServiceTier: openaiAttributes.legacyResponseServiceTier,
  responseSystemFingerprint: openaiAttributes.legacyResponseSystemFingerprint,
  apiType: undefined,
});

/** The names a version of the conventions uses. */
export function conventionNames(conventions: GenAiConventions): ConventionNames {
  return conventions === 'latest' ? latestNames : legacyNames;
}
