import type { ContenderName } from './contender.ts';

/** The error a contender rejects with when an answer came back without text. */
export function missingText(name: ContenderName, what: string): Error {
  return new Error(`${name}: ${what} came back without text, so the benchmark would time a failure`);
}
