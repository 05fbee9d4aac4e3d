const shownCharacters = 2_000;

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? (value as readonly unknown[]) : []);

const clip = (text: string): string =>
  text.length <= shownCharacters
    ? text
    : `${text.slice(0, shownCharacters)} [... ${text.length - shownCharacters} more characters]`;

/**
 * The short text of one batch result body: the answer of a chat completion or a
 * response, the size of embeddings, the verdict of a moderation, else clipped JSON.
 */
export function summarizeBatchBody(body: unknown): string {
  const top = record(body);
  const message = record(record(list(top?.['choices'])[0])?.['message']);
  if (typeof message?.['content'] === 'string') return clip(message['content']);
  if (typeof top?.['output_text'] === 'string') return clip(top['output_text']);
  const texts = list(top?.['output'])
    .flatMap((item) => list(record(item)?.['content']))
    .map((part) => record(part)?.['text'])
    .filter((text): text is string => typeof text === 'string');
  if (texts.length > 0) return clip(texts.join(''));
  const vectors = list(top?.['data']).map((item) => list(record(item)?.['embedding']).length);
  if (vectors.length > 0)
    return `${vectors.length} embedding${vectors.length === 1 ? '' : 's'} of ${vectors[0] ?? 0} dimensions`;
  const verdicts = list(top?.['results']).map((item) => record(item)?.['flagged']);
  if (verdicts.length > 0) return verdicts.map((flagged) => (flagged === true ? 'flagged' : 'not flagged')).join(', ');
  return body === undefined ? 'no body' : clip(JSON.stringify(body));
}
