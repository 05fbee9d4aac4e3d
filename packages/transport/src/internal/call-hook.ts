import type { Logger } from '@openai-integration/core';

/**
 * Calls a user hook with one event; a hook that throws is logged and otherwise
 * ignored, so a broken listener never breaks a call.
 */
export function callHook<Event>(
  hook: ((event: Event) => void) | undefined,
  event: Event,
  logger: Logger,
  name: string,
): void {
  if (hook === undefined) return;
  try {
    hook(event);
  } catch {
    logger.error({ hook: name }, `the ${name} hook threw; ignored`);
  }
}
