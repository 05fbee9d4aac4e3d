import { createHash, timingSafeEqual } from 'node:crypto';

/** A bearer token that grants access, and the name of the client it identifies. */
export interface AuthToken {
  /** Who presents the token, e.g. `alice` or `ci`; usage of 2026-07-28 clients is counted under it. */
  readonly clientId: string;
  readonly token: string;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Returns a check of an `Authorization` header against `Bearer <token>` for each of
 * `tokens`: the entry whose token matches, or `null`. Both sides are hashed to the same
 * length and compared with `timingSafeEqual` against every token, without stopping at a
 * match, so the time taken says nothing about how much of a token was right, its
 * length, or which token matched.
 */
export function createBearerCheck(tokens: readonly AuthToken[]): (header: string | undefined) => AuthToken | null {
  const expected = tokens.map((entry) => ({ entry, hash: digest(entry.token) }));
  return (header) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
    const presented = digest(match?.[1] ?? '');
    let found: AuthToken | null = null;
    for (const { entry, hash } of expected) {
      if (timingSafeEqual(presented, hash) && found === null) found = entry;
    }
    return match === null ? null : found;
  };
}
