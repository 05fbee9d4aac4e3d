import { isRunId } from './create-run-id.ts';

/** The prefix of every name the live suite gives to what it creates on the server. */
export const livePrefix = 'oi-live-';

/** The parts of a name made by {@link liveName}. */
export interface LiveNameParts {
  /** The run that created it. */
  readonly runId: string;
  /** What it is, e.g. `files-roundtrip.jsonl`. */
  readonly label: string;
}

/**
 * Names something the live suite creates: `oi-live-<runId>-<label>`, e.g.
 * `oi-live-20261124103600k3f9-files-roundtrip.jsonl`.
 *
 * The label is lowercased and every character outside `[a-z0-9._-]` becomes `-`, so
 * that the name is safe as a file name on the server; an empty label becomes
 * `item`. A `runId` that is not a run id is a programming error and throws a
 * TypeError.
 *
 * @example
 * liveName('20261124103600k3f9', 'Files roundtrip.jsonl'); // 'oi-live-20261124103600k3f9-files-roundtrip.jsonl'
 */
export function liveName(runId: string, label: string): string {
  if (!isRunId(runId)) throw new TypeError(`liveName expects a run id such as 20261124103600k3f9, got '${runId}'`);
  const safe = label.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  return `${livePrefix}${runId}-${safe === '' ? 'item' : safe}`;
}

/**
 * Splits a name made by {@link liveName} into its run id and label; `null` for any
 * other name (including names that only start with the prefix).
 */
export function parseLiveName(name: string): LiveNameParts | null {
  if (!name.startsWith(livePrefix)) return null;
  const rest = name.slice(livePrefix.length);
  const dash = rest.indexOf('-');
  if (dash === -1) return null;
  const runId = rest.slice(0, dash);
  const label = rest.slice(dash + 1);
  return isRunId(runId) && label !== '' ? { runId, label } : null;
}
