import { createError, type ErrorOf } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import type { AgentGuards } from '../../guards/agent-guards.ts';

/**
 * The model a call will use under the allow-list: the one it names (refused when not
 * allowed), else `fallback` (the tool's default under the guards), else `undefined`
 * (the operations' own default).
 *
 * Fails with: `ValidationError` (a model outside the allow-list).
 */
export function resolveModel(
  guards: AgentGuards,
  requested: string | undefined,
  fallback: string | undefined,
): Result<string | undefined, ErrorOf<'ValidationError'>> {
  const allowed = guards.allowedModels;
  const model = requested ?? fallback;
  if (model === undefined || allowed === undefined || allowed.includes(model)) return ok(model);
  const list = allowed.join(', ');
  // At most a short prefix of what was asked for: enough to recognise it, never the whole.
  const shown = model.length > 40 ? `${model.slice(0, 40)}... (${model.length} characters)` : model;
  return err(
    createError('ValidationError', {
      message: `invalid argument model: ${shown} is not allowed on this server; use one of ${list}`,
      issues: [{ path: 'model', message: `must be one of ${list}`, code: 'not_allowed' }],
    }),
  );
}

/** The first allowed model that `fits`, or `undefined` when no allow-list is set or none fits. */
export function firstAllowed(guards: AgentGuards, fits: (model: string) => boolean): string | undefined {
  return guards.allowedModels?.find(fits);
}
