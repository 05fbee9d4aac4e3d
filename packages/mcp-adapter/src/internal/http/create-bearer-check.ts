import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Returns a check of an `Authorization` header against `Bearer <token>`. Both sides are
 * hashed to the same length and compared with `timingSafeEqual`, so the time taken
 * says nothing about how much of the token was right (or about its length).
 */
export function createBearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = digest(token);
  return (header) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
    const same = timingSafeEqual(digest(match?.[1] ?? ''), expected);
    return match !== null && same;
  };
}
