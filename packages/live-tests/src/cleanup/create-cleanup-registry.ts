import { isIntegrationError, redactText } from '@openai-integration/core';

/**
 * Removes one thing a test created. It may return nothing, a promise, or a neverthrow
 * `Result` / `ResultAsync`: an `err` counts as a failure, like a throw.
 */
type CleanupAction = () => unknown;

/** A cleanup that did not succeed. */
interface CleanupFailure {
  /** The label given to `defer`. */
  readonly label: string;
  /** Why, safe to print (an error's `_tag` and message, with keys redacted). */
  readonly message: string;
}

/** What {@link CleanupRegistry.run} did. */
interface CleanupReport {
  /** Labels of the cleanups that succeeded, in the order they ran. */
  readonly completed: readonly string[];
  readonly failed: readonly CleanupFailure[];
}

/** Cleanups registered while a test creates things, run when it ends. */
export interface CleanupRegistry {
  /**
   * Registers a cleanup and returns a function that unregisters it (for a test that
   * removed the thing itself as part of what it checks).
   */
  defer(label: string, action: CleanupAction): () => void;
  /**
   * Runs every registered cleanup once, the last registered first, and keeps going
   * when one fails. Never throws or rejects; failures are in the report.
   */
  run(): Promise<CleanupReport>;
  /** How many cleanups are waiting to run. */
  readonly size: number;
}

interface Entry {
  readonly label: string;
  readonly action: CleanupAction;
}

const isResultLike = (value: unknown): value is { isErr(): boolean; error?: unknown } =>
  typeof value === 'object' && value !== null && typeof (value as { isErr?: unknown }).isErr === 'function';

function describe(problem: unknown): string {
  if (isIntegrationError(problem)) return redactText(`${problem._tag}: ${problem.message}`);
  if (problem instanceof Error) return redactText(problem.message === '' ? problem.name : problem.message);
  return redactText(String(problem));
}

/**
 * Creates a registry of cleanups for one test: register a cleanup right after
 * creating something (a file, a stored response, a batch), and run them all when the
 * test finishes, whether it passed or failed (vitest's `onTestFinished`).
 *
 * @example
 * const cleanup = createCleanupRegistry();
 * onTestFinished(async () => { const report = await cleanup.run(); expect(report.failed).toEqual([]); });
 * const uploaded = await operations.files.upload(...);
 * if (uploaded.isOk()) cleanup.defer(`delete ${uploaded.value.value.id}`, () => operations.files.delete(uploaded.value.value.id));
 */
export function createCleanupRegistry(): CleanupRegistry {
  let entries: Entry[] = [];
  return {
    defer(label, action) {
      const entry: Entry = { label, action };
      entries.push(entry);
      return () => {
        entries = entries.filter((candidate) => candidate !== entry);
      };
    },
    async run() {
      const pending = entries.reverse();
      entries = [];
      const completed: string[] = [];
      const failed: CleanupFailure[] = [];
      for (const { label, action } of pending) {
        try {
          const outcome: unknown = await action();
          if (isResultLike(outcome) && outcome.isErr()) failed.push({ label, message: describe(outcome.error) });
          else completed.push(label);
        } catch (thrown) {
          failed.push({ label, message: describe(thrown) });
        }
      }
      return { completed, failed };
    },
    get size() {
      return entries.length;
    },
  };
}
