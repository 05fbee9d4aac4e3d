import type { ServerContext } from '@modelcontextprotocol/server';

/** Sends the text of an answer as it grows, as MCP progress notifications. */
export interface ProgressReporter {
  /** Reports the text so far (throttled; only when it grew). */
  update(text: string): void;
  /** Waits until every notification sent so far has been handed to the transport. */
  flush(): Promise<void>;
}

const shownCharacters = 8_000;

/** The text so far, trimmed from the front when it is long (the newest part matters most). */
const shown = (text: string): string =>
  text.length <= shownCharacters
    ? text
    : `[... ${text.length - shownCharacters} earlier characters] ${text.slice(-shownCharacters)}`;

/**
 * Creates the progress reporter of one tool call. It does nothing unless the client
 * sent a progress token; then it sends `notifications/progress` with `progress` = the
 * characters received so far (always growing) and `message` = the text so far, at most
 * once per `intervalMs` (0: on every change). A failed notification is ignored: the
 * call itself goes on.
 */
export function createProgressReporter(
  ctx: ServerContext,
  options: { readonly intervalMs: number; readonly now: () => number },
): ProgressReporter {
  const token = ctx.mcpReq._meta?.progressToken;
  let sentLength = 0;
  let sentAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> = Promise.resolve();
  return {
    update(text) {
      if (token === undefined || text.length <= sentLength || ctx.mcpReq.signal.aborted) return;
      const now = options.now();
      if (now - sentAt < options.intervalMs) return;
      sentAt = now;
      sentLength = text.length;
      const notification = {
        method: 'notifications/progress' as const,
        params: { progressToken: token, progress: text.length, message: shown(text) },
      };
      pending = pending.then(() => ctx.mcpReq.notify(notification)).catch(() => undefined);
    },
    flush: () => pending,
  };
}
