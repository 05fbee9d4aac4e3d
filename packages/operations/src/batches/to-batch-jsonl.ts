import { createError, type ErrorOf } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { checkModelId } from '../models/check-model-id.ts';
import type { BatchEndpoint, BatchRequest } from './batch-request.ts';

/** The Batch API's limits on one input file. */
export const batchLimits = { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 } as const;

/** Limits that `toBatchJsonl` checks; the Batch API's own by default. */
export interface BatchLimits {
  readonly maxRequests: number;
  readonly maxBytes: number;
}

const endpoints: readonly BatchEndpoint[] = [
  '/v1/chat/completions',
  '/v1/embeddings',
  '/v1/responses',
  '/v1/moderations',
];
const listedInMessage = 5;

/**
 * Turns batch requests into the JSONL input file of the Batch API (one
 * `{custom_id, method: "POST", url, body}` per line), after checking what the server
 * would otherwise reject only once the batch runs: the endpoint, 1 to 50000 requests,
 * unique non-empty custom ids, an object body with a `model` (except moderations),
 * no `stream`, and a file under 200 MB. The size is counted line by line as the file is
 * built, and building stops at the first line that passes the limit, so a batch far
 * over it costs no more than the limit itself. `limits` narrows the checks (a proxy
 * with smaller files, or a test); it defaults to {@link batchLimits}.
 *
 * Fails with: `ValidationError`, naming each request at fault (`requests[3].customId`).
 *
 * @example
 * toBatchJsonl([{ customId: 'a', body: { model: 'gpt-4o-mini', messages: [] } }], '/v1/chat/completions');
 */
export function toBatchJsonl<Endpoint extends BatchEndpoint>(
  requests: readonly BatchRequest<Endpoint>[],
  endpoint: Endpoint,
  limits: BatchLimits = batchLimits,
): Result<string, ErrorOf<'ValidationError'>> {
  const issues: { path: string; message: string; code: string }[] = [];
  if (!endpoints.includes(endpoint))
    issues.push({ path: 'endpoint', message: `must be one of ${endpoints.join(', ')}`, code: 'invalid_value' });
  if (!Array.isArray(requests) || requests.length === 0 || requests.length > limits.maxRequests) {
    issues.push({ path: 'requests', message: `must hold 1 to ${limits.maxRequests} requests`, code: 'invalid_length' });
  }
  const seen = new Set<string>();
  const lines: string[] = [];
  let bytes = 0;
  let overAt: number | null = null;
  for (const [index, request] of (Array.isArray(requests) ? requests : []).entries()) {
    const at = `requests[${index}]`;
    const customId = (request as Partial<BatchRequest> | null)?.customId;
    if (typeof customId !== 'string' || customId === '')
      issues.push({ path: `${at}.customId`, message: 'must be a text that is not empty', code: 'invalid_type' });
    else if (seen.has(customId))
      issues.push({
        path: `${at}.customId`,
        message: `repeats the custom id ${customId}; each must be unique in the batch`,
        code: 'duplicate',
      });
    else seen.add(customId);
    const body: unknown = (request as Partial<BatchRequest> | null)?.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      issues.push({ path: `${at}.body`, message: 'must be the request body object', code: 'invalid_type' });
      continue;
    }
    const fields = body as Readonly<Record<string, unknown>>;
    if (endpoint !== '/v1/moderations' && (typeof fields['model'] !== 'string' || fields['model'] === '')) {
      issues.push({
        path: `${at}.body.model`,
        message: 'must name the model (a batch has no default)',
        code: 'invalid_type',
      });
    } else if (fields['model'] !== undefined) {
      const model = checkModelId(fields['model'], `${at}.body.model`);
      if (model.isErr()) issues.push(...model.error.issues);
    }
    if (fields['stream'] === true)
      issues.push({
        path: `${at}.body.stream`,
        message: 'must not be true: the Batch API does not stream',
        code: 'invalid_value',
      });
    if (overAt !== null) continue;
    const line = JSON.stringify({ custom_id: customId, method: 'POST', url: endpoint, body });
    bytes += Buffer.byteLength(line, 'utf8') + 1;
    if (bytes > limits.maxBytes) {
      overAt = index;
      lines.length = 0;
      continue;
    }
    lines.push(line);
  }
  if (overAt !== null) {
    issues.push({
      path: 'requests',
      message: `pass the input file limit of ${formatBytes(limits.maxBytes)} at requests[${overAt}] (${overAt === 0 ? 'no request fits' : `the first ${overAt} fit`}); split them into several batches`,
      code: 'too_big',
    });
  }
  const jsonl = issues.length > 0 || lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  if (issues.length > 0) {
    const shown = issues
      .slice(0, listedInMessage)
      .map((issue) => `${issue.path}: ${issue.message}`)
      .join('; ');
    const more = issues.length > listedInMessage ? ` (and ${issues.length - listedInMessage} more)` : '';
    return err(
      createError('ValidationError', {
        message: `invalid argument${issues.length > 1 ? 's' : ''} ${shown}${more}`,
        issues,
      }),
    );
  }
  return ok(jsonl);
}

function formatBytes(bytes: number): string {
  const mebibytes = bytes / (1024 * 1024);
  return Number.isInteger(mebibytes) ? `${mebibytes} MB` : `${bytes} bytes`;
}
