/** How `redact` and `withRedaction` treat a value. */
export interface RedactOptions {
  /**
   * Keep request and response bodies (`body`, `requestBody`, `responseBody`, `prompt`,
   * `messages`, `input`, `instructions`, `completion`, `choices`, `output`, `content`,
   * `delta`, `arguments`, ...), still redacted. Default `false`: they become `[omitted]`.
   */
  readonly includeBodies?: boolean;
  /**
   * Exact secret values to scrub wherever they appear, besides the key patterns: a
   * list, or a function read on every record (so secrets registered later count too).
   */
  readonly knownSecrets?: readonly string[] | (() => readonly string[]);
  /** More field names whose values are secrets (matched like the built-in ones). */
  readonly secretFields?: readonly string[];
  /** More field names that hold bodies. */
  readonly bodyFields?: readonly string[];
  /** Nesting depth after which values become `[Truncated]` (default 16). */
  readonly maxDepth?: number;
}
