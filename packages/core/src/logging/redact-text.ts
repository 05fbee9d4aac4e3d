/** What replaces a secret in text and in log records. */
export const REDACTED = '[redacted]';

// OpenAI keys of every shape: sk-..., sk-proj-..., sk-svcacct-..., sk-admin-...; also
// the masked form OpenAI echoes in 401 messages (sk-abc***********xyz). A key starts
// only where a word starts (after a hyphen too: `pre-sk-proj-...`): `task-scheduler`
// and `risk-assessment` hold "sk-" too, after a letter. After an escape (`\nsk-` in JSON
// text, `%20sk-` in a URL) a key starts as well.
const openAIKey = /(?<=^|[^A-Za-z0-9]|\\[nrtbf]|%[0-9A-Fa-f]{2})sk-[A-Za-z0-9_*-]{6,}/g;
// What tells a key from a kebab-case name that happens to start with "sk-": keys are
// random (a digit, a capital, or the mask's `*`), or longer than names usually are.
const keyLike = /[0-9A-Z*]/;
const longestName = 20;
const redactKey = (match: string): string =>
  keyLike.test(match.slice(3)) || match.length >= longestName ? REDACTED : match;
// Bearer and Basic credentials, wherever they appear.
const schemeCredential = /\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=*-]+)/gi;
// A credential is random: a digit, a capital or a token character; "basic setup" is prose.
const credentialLike = /[0-9A-Z._~+/=*]/;
// Header lines such as "authorization: ...", "api-key: ...", "cookie: ...".
const credentialHeader =
  /\b(authorization|proxy-authorization|api-key|x-api-key|cookie|set-cookie)(\s*[:=]\s*)[^\r\n,;]+/gi;
// Credentials in URLs: query parameters and user-info.
const urlQueryCredential =
  /([?&](?:api[-_]?key|key|code|token|access[-_]?token|refresh[-_]?token|id[-_]?token|client[-_]?secret|secret|sig|signature|password|auth)=)[^&#\s"']+/gi;
// Credentials inside serialised JSON or YAML-like text: "api_key": "...", password: "..."
const quotedCredential =
  /((["']?)(?:api[-_]?key|x-api-key|authorization|password|client[-_]?secret|secret|access[-_]?token|refresh[-_]?token|token)\2\s*:\s*")[^"]*"/gi;
const urlUserInfo = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@"']+:[^/\s@"']+@/gi;

/**
 * Removes anything that looks like a credential from a piece of text: OpenAI keys
 * (`sk-`, `sk-proj-`, `sk-svcacct-`, `sk-admin-`, matched only where a word starts and
 * only when they look random, so `task-scheduler` or `risk-assessment` stay), bearer tokens, credential headers,
 * keys in URL query strings and user-info, credential fields inside serialised JSON
 * (`"api_key": "..."`), plus any exact secret values given.
 *
 * @example
 * redactText('Incorrect API key provided: sk-proj-abc123def456'); // 'Incorrect API key provided: [redacted]'
 */
export function redactText(text: string, knownSecrets: readonly string[] = []): string {
  let result = text;
  for (const secret of knownSecrets) {
    if (secret.length >= 4) result = result.split(secret).join(REDACTED);
  }
  result = result.replace(openAIKey, redactKey);
  result = result.replace(schemeCredential, (match, scheme: string, credential: string) =>
    credentialLike.test(credential) ? `${scheme} ${REDACTED}` : match,
  );
  result = result.replace(
    credentialHeader,
    (_match, name: string, separator: string) => `${name}${separator}${REDACTED}`,
  );
  result = result.replace(urlQueryCredential, (_match, prefix: string) => `${prefix}${REDACTED}`);
  result = result.replace(urlUserInfo, (_match, scheme: string) => `${scheme}${REDACTED}@`);
  result = result.replace(quotedCredential, (_match, prefix: string) => `${prefix}${REDACTED}"`);
  return result;
}
