import { err, ok, type Result } from 'neverthrow';

const unitMs = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000_001 } as const;
const wholePattern = /^(?:\d+(?:\.\d+)?|\.\d+)(?:h|ms|m|s|us|µs|ns)(?:(?:\d+(?:\.\d+)?|\.\d+)(?:h|ms|m|s|us|µs|ns))*$/;
const partPattern = /(\d+(?:\.\d+)?|\.\d+)(h|ms|m|s|us|µs|ns)/g;
// The common single-unit forms (`12ms`, `1s`, `18.642s`): read on every response, so kept cheap.
const singlePattern = /^(\d+(?:\.\d+)?)(ms|s)$/;

/** Why a duration could not be read. */
export interface DurationParseFailure {
  readonly input: string;
  readonly reason: string;
}

/**
 * Parses a Go-style duration as OpenAI sends it in `x-ratelimit-reset-*` headers and
 * error messages (`12ms`, `1s`, `18.642s`, `6m0s`, `1h2m3s`) into milliseconds.
 *
 * A bare number is read as seconds. Whitespace around the value is ignored.
 * Never throws: anything else is an `err` that says what was wrong.
 *
 * @example
 * parseDuration('6m0s'); // ok(360000)
 */
export function parseDuration(input: string): Result<number, DurationParseFailure> {
  // Every response repeats the same few values (`1s`, `6m0s`): remember the last ones.
  const known = recent.get(input);
  if (known !== undefined) return ok(known);
  const parsed = parseUncached(input);
  if (parsed.isOk()) {
    if (recent.size >= 64) recent.clear();
    recent.set(input, parsed.value);
  }
  return parsed;
}

const recent = new Map<string, number>();

/** {@link parseDuration} as a number of ms >= 0, or null for anything unreadable; allocates nothing for a value seen lately. */
export function durationMs(input: string): number | null {
  const known = recent.get(input);
  if (known !== undefined) return known;
  const parsed = parseDuration(input);
  return parsed.isOk() && parsed.value >= 0 ? parsed.value : null;
}

function parseUncached(input: string): Result<number, DurationParseFailure> {
  const text = input.trim();
  const single = singlePattern.exec(text);
  if (single !== null) return ok(Math.round(Number(single[1]) * (single[2] === 's' ? 1_000_000 : 1_000)) / 1_000);
  if (text === '') return err({ input, reason: 'empty duration' });
  if (/^\d+(?:\.\d+)?$/.test(text)) return ok(Number(text) * 1_000);
  if (!wholePattern.test(text)) {
    return err({ input, reason: 'expected a duration such as 12ms, 1s, 18.642s, 6m0s or 1h2m3s' });
  }
  let total = 0;
  for (const match of text.matchAll(partPattern)) {
    const unit = match[2] as keyof typeof unitMs;
    total += Number(match[1]) * unitMs[unit];
  }
  return ok(Math.round(total * 1_000) / 1_000);
}
