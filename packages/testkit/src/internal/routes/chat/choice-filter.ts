import type { ContentFilterCategory } from '../../../profiles/azure-simulator-options.ts';
import { filterHits } from '../../profiles/azure-content-filter.ts';
import type { PlannedReply } from '../../reply/plan-reply.ts';

/** What Azure's content filter did to one choice. */
export interface ChoiceFilter {
  /** The categories that stopped the choice (empty: it passed). */
  readonly hits: readonly ContentFilterCategory[];
  /** How many content pieces a stream sends before the filter stops it. */
  readonly keptPieces: number;
}

/**
 * Runs the content filter over a planned choice: a `content-filter` fault
 * (`forced`) stops it before any content; otherwise the configured words stop it
 * where they first appear in its text (or in its tool call arguments).
 */
export function filterChoice(
  reply: PlannedReply,
  terms: ReadonlyMap<ContentFilterCategory, readonly string[]>,
  forced: readonly ContentFilterCategory[] | undefined,
): ChoiceFilter {
  if (forced !== undefined) return { hits: forced, keptPieces: 0 };
  const text = reply.text ?? reply.toolCalls.map((call) => call.arguments).join(' ');
  const hits = filterHits(text, terms);
  if (hits.length === 0) return { hits, keptPieces: reply.pieces.length };
  let keptPieces = 0;
  while (
    keptPieces < reply.pieces.length &&
    filterHits(reply.pieces.slice(0, keptPieces + 1).join(''), terms).length === 0
  ) {
    keptPieces += 1;
  }
  return { hits, keptPieces };
}
