import type { IntegrationError, TokenUsage } from '@openai-integration/core';
import type { Result } from 'neverthrow';
import type { CallMeta, SkippedModel } from './call-meta.ts';
import type { OperationContext } from './operation-context.ts';
import type { CallTelemetry } from '../telemetry/create-operations-telemetry.ts';

/** What is known of a finished call, for the usage tracker, the log line and the result. */
export interface FinishedCall {
  readonly operation: string;
  readonly model: string;
  readonly startedAt: number;
  readonly attempts: number;
  readonly requestId: string | null;
  readonly rateLimit: CallMeta['rateLimit'];
  readonly skipped: readonly SkippedModel[];
  readonly usage: TokenUsage | null;
  /** True when usage was estimated (a broken stream, or a stream without a usage chunk) rather than reported by the server. */
  readonly estimated?: boolean;
  readonly outcome: Result<unknown, IntegrationError>;
  /** The call's telemetry, when it was started before the call was sent (else its span is made now). */
  readonly telemetry?: CallTelemetry;
}

/**
 * Records a finished call's usage and writes its one structured log line (operation,
 * model, status, attempts, latency, tokens, request id; never prompt or completion
 * text). Returns the call's {@link CallMeta}.
 */
export function reportCall(context: OperationContext, call: FinishedCall): CallMeta {
  const latencyMs = context.clock.now() - call.startedAt;
  const costUsd =
    call.usage === null
      ? null
      : context.usage.record(
          call.estimated === true
            ? { model: call.model, operation: call.operation, usage: call.usage, estimated: true }
            : { model: call.model, operation: call.operation, usage: call.usage },
        );
  if (call.outcome.isOk()) {
    // The fields are only built when the line is written (info is below the default level).
    if (context.logger.isLevelEnabled?.('info') !== false)
      context.logger.info({ ...logFields(call, latencyMs), status: 'ok' }, 'openai call');
  } else {
    const error = call.outcome.error;
    // A call refused at once by an open circuit is expected while it is open (the
    // opening itself is logged at warn); a warn line per refusal would flood the log.
    const level = error._tag === 'CircuitOpenError' ? 'debug' : 'warn';
    if (context.logger.isLevelEnabled?.(level) !== false) {
      context.logger[level](
        {
          ...logFields(call, latencyMs),
          status: 'error',
          errorTag: error._tag,
          httpStatus: 'status' in error ? error.status : null,
          retryable: error.retryable,
        },
        `openai call failed: ${error.message}`,
      );
    }
  }
  const meta: CallMeta = {
    operation: call.operation,
    model: call.model,
    requestId: call.requestId,
    attempts: call.attempts,
    latencyMs,
    rateLimit: call.rateLimit,
    skippedModels: call.skipped,
    usage: call.usage,
    usageEstimated: call.usage !== null && call.estimated === true,
    costUsd,
  };
  context.telemetry.finish(call, meta);
  return meta;
}

/** The fields of a call's log line; never prompt or completion text. */
function logFields(call: FinishedCall, latencyMs: number): Record<string, unknown> {
  return {
    operation: call.operation,
    model: call.model,
    attempts: call.attempts,
    latencyMs,
    requestId: call.requestId,
    inputTokens: call.usage?.inputTokens ?? null,
    outputTokens: call.usage?.outputTokens ?? null,
    usageEstimated: call.estimated === true,
    ...(call.skipped.length > 0 ? { skippedModels: call.skipped.map((entry) => entry.model) } : {}),
  };
}
