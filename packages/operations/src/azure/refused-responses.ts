import { createError, type IntegrationError } from '@openai-integration/core';
import { errAsync } from 'neverthrow';
import { refusedStream } from '../call/run-call.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import type { ResponsesOperations } from '../responses/create-responses-operations.ts';

const fix = 'unset AZURE_OPENAI_API_VERSION (or azure.load.apiVersion) to use the v1 API, which serves /responses';

/**
 * The Responses API on Azure's classic deployment API, which does not route
 * `/responses` through deployments: every call is refused before anything is sent,
 * with the fix.
 */
export function refusedResponses(context: OperationContext): ResponsesOperations {
  const error: IntegrationError = createError('ConfigError', {
    message: `the Responses API is not served by Azure's classic deployment API (AZURE_OPENAI_API_VERSION is set); fix: ${fix}`,
    variable: 'AZURE_OPENAI_API_VERSION',
    fix,
    problems: [
      {
        variable: 'AZURE_OPENAI_API_VERSION',
        problem: 'selects the classic deployment API, which does not serve the Responses API',
        fix,
      },
    ],
  });
  return {
    create: () => errAsync(error),
    stream: () => refusedStream(context, 'responses.stream', error),
    resume: () => refusedStream(context, 'responses.resume', error),
    retrieve: () => errAsync(error),
    delete: () => errAsync(error),
  };
}
