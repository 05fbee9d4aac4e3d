/** The banner's first line when no key is configured: says where the calls went and that none reached OpenAI. */
export const rehearsalHeadline =
  'REHEARSAL MODE: no OPENAI_API_KEY, running against the local simulator; nothing was sent to OpenAI';

/** The banner's first line when a key is configured but rehearsal was asked for (`LIVE_TESTS_REHEARSAL`). */
export const forcedRehearsalHeadline =
  'REHEARSAL MODE: LIVE_TESTS_REHEARSAL is set, running against the local simulator; nothing was sent to OpenAI';

/** A banner that is shown at most once. */
export interface Banner {
  /** Writes the lines in a frame the first time; later calls write nothing and return false. */
  show(lines: readonly string[]): boolean;
  /** Whether it has been shown. */
  readonly shown: boolean;
}

/**
 * Frames lines between two rules of `=` as wide as the longest line, with an empty
 * line before and after, so that the banner stands out in a test runner's output.
 */
export function formatBanner(lines: readonly string[]): string {
  const width = Math.max(20, ...lines.map((line) => line.length));
  const rule = '='.repeat(width);
  return ['', rule, ...lines, rule, ''].join('\n') + '\n';
}

/**
 * Creates the suite's mode banner, written through `write` (the suite uses
 * `process.stdout.write`). It is shown once per run however many times `show` is
 * called, so that the mode is said loudly without repeating itself.
 *
 * @example
 * const banner = createBanner((text) => process.stdout.write(text));
 * banner.show([rehearsalHeadline, `simulator: ${simulator.baseURL}`]);
 */
export function createBanner(write: (text: string) => void): Banner {
  let shown = false;
  return {
    show(lines) {
      if (shown) return false;
      shown = true;
      write(formatBanner(lines));
      return true;
    },
    get shown() {
      return shown;
    },
  };
}
