import { createError, type ErrorOf } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import type { AgentGuards } from '../../guards/agent-guards.ts';

/** The output limit a call will be sent with, and whether the ceiling lowered it. */
export interface OutputLimit {
  readonly limit: number | undefined;
  /** The limit the call asked for, when the ceiling lowered it. */
  readonly clampedFrom: number | null;
}

/**
 * Applies the output-token ceiling: a call without a limit gets the ceiling; a larger
 * limit is lowered to it (`clamp`) or refused (`refuse`).
 *
 * Fails with: `ValidationError` (a limit above the ceiling under `refuse`).
 */
export function limitOutput(
  guards: AgentGuards,
  requested: number | undefined,
): Result<OutputLimit, ErrorOf<'ValidationError'>> {
  const ceiling = guards.maxOutputTokens;
  if (ceiling === undefined) return ok({ limit: requested, clampedFrom: null });
  if (requested === undefined) return ok({ limit: ceiling, clampedFrom: null });
  if (requested <= ceiling) return ok({ limit: requested, clampedFrom: null });
  if ((guards.outputTokenPolicy ?? 'clamp') === 'clamp') return ok({ limit: ceiling, clampedFrom: requested });
  return err(
    createError('ValidationError', {
      message: `invalid argument max_output_tokens: must be at most ${ceiling} on this server (asked for ${requested})`,
      issues: [{ path: 'max_output_tokens', message: `must be at most ${ceiling}`, code: 'too_big' }],
    }),
  );
}
