import type { ContentFilterCategory } from '../../profiles/azure-simulator-options.ts';
import { apiFailure, type ApiFailure } from '../http/api-failure.ts';

/** The harm categories in the order Azure lists them. */
const categories: readonly ContentFilterCategory[] = ['hate', 'self_harm', 'sexual', 'violence'];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The categories whose words (whole words, any case) occur in the text. */
export function filterHits(
  text: string,
  terms: ReadonlyMap<ContentFilterCategory, readonly string[]>,
): readonly ContentFilterCategory[] {
  const lower = text.toLowerCase();
  return categories.filter((category) =>
    (terms.get(category) ?? []).some(
      (term) =>
        term !== '' && new RegExp(`(^|[^\\p{L}\\p{N}_])${escapeRegExp(term)}($|[^\\p{L}\\p{N}_])`, 'u').test(lower),
    ),
  );
}

interface SeverityResult {
  readonly filtered: boolean;
  readonly severity: 'safe' | 'high';
}
interface DetectionResult {
  readonly filtered: false;
  readonly detected: false;
}

function severities(hits: readonly ContentFilterCategory[]): Record<ContentFilterCategory, SeverityResult> {
  const result = {} as Record<ContentFilterCategory, SeverityResult>;
  for (const category of categories) {
    result[category] = hits.includes(category)
      ? { filtered: true, severity: 'high' }
      : { filtered: false, severity: 'safe' };
  }
  return result;
}

const notDetected: DetectionResult = { filtered: false, detected: false };

/** A prompt's filter results: the harm categories plus `jailbreak`, in Azure's key order. */
function promptResults(hits: readonly ContentFilterCategory[]): Record<string, SeverityResult | DetectionResult> {
  const { hate, self_harm, sexual, violence } = severities(hits);
  return { hate, jailbreak: notDetected, self_harm, sexual, violence };
}

/** A completion's filter results: the harm categories plus the protected-material detections. */
export function completionResults(
  hits: readonly ContentFilterCategory[],
): Record<string, SeverityResult | DetectionResult> {
  const { hate, self_harm, sexual, violence } = severities(hits);
  return {
    hate,
    protected_material_code: notDetected,
    protected_material_text: notDetected,
    self_harm,
    sexual,
    violence,
  };
}

/** `prompt_filter_results` of a chat completion (one prompt, index 0). */
export function promptFilterResults(hits: readonly ContentFilterCategory[]): readonly Record<string, unknown>[] {
  return [{ prompt_index: 0, content_filter_results: promptResults(hits) }];
}

/**
 * Azure's 400 for a prompt its content filter stops: `error.code`
 * `content_filter`, `param` `prompt`, and `innererror` with code
 * `ResponsibleAIPolicyViolation` and the result per category.
 */
export function promptFiltered(hits: readonly ContentFilterCategory[]): ApiFailure {
  const message =
    "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766";
  return apiFailure({
    status: 400,
    type: 'invalid_request_error',
    param: 'prompt',
    code: 'content_filter',
    message,
    body: {
      error: {
        message,
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: promptResults(hits) },
      },
    },
  });
}
