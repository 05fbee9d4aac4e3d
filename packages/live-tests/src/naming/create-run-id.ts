/** What {@link createRunId} reads; both are injectable so that ids are reproducible in tests. */
export interface RunIdOptions {
  /** The current time in epoch milliseconds. Default: `Date.now()`. */
  readonly now?: number;
  /** A source of numbers in [0, 1). Default: `Math.random`. */
  readonly random?: () => number;
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
const suffixLength = 4;

/** A run id: UTC time to the second (`yyyymmddhhmmss`) and four random characters, lowercase, no separators. */
const runIdPattern = /^\d{14}[a-z0-9]{4}$/;

/**
 * Creates the id of one run of the live suite, e.g. `20261124103600k3f9`: the UTC
 * start time to the second, then four random characters from `[a-z0-9]`.
 *
 * Everything the run creates is named after it (see `liveName`), so that the sweeper
 * can tell this run's leftovers from another run's, and a person reading a files
 * list can tell when a leftover was made. The id has no `-`, so a name splits back
 * into its parts without ambiguity.
 *
 * @example
 * createRunId({ now: Date.UTC(2026, 10, 24, 10, 36, 0), random: () => 0 }); // '20261124103600aaaa'
 */
export function createRunId(options: RunIdOptions = {}): string {
  const now = new Date(options.now ?? Date.now());
  const random = options.random ?? Math.random;
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, '')
    .replace(/\D/g, '');
  let suffix = '';
  for (let index = 0; index < suffixLength; index += 1) {
    const position = Math.min(alphabet.length - 1, Math.max(0, Math.floor(random() * alphabet.length)));
    suffix += alphabet.charAt(position);
  }
  return `${stamp}${suffix}`;
}

/** Whether a text is a run id as {@link createRunId} makes them. */
export function isRunId(text: string): boolean {
  return runIdPattern.test(text);
}
