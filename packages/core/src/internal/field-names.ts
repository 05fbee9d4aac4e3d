const normalise = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const secretNames = new Set(
  [
    'apiKey',
    'api_key',
    'api-key',
    'x-api-key',
    'openai_api_key',
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'password',
    'passwd',
    'passphrase',
    'secret',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'session_token',
    'auth_token',
    'client_secret',
    'private_key',
    'secret_key',
    'access_key',
    'credentials',
    'credential',
    'signature',
    'x-amz-security-token',
    'x-goog-api-key',
    'ocp-apim-subscription-key',
  ].map(normalise),
);
const secretSuffixes = ['token', 'secret', 'password', 'apikey', 'privatekey', 'credentials'];

const bodyNames = new Set(
  [
    'body',
    'requestBody',
    'responseBody',
    'rawBody',
    'prompt',
    'prompts',
    'messages',
    'input',
    'instructions',
    'completion',
    'choices',
    'output',
    'output_text',
    'content',
    'delta',
    'arguments',
  ].map(normalise),
);

/** Field-name classification for redaction, case- and separator-insensitive (`API-Key` = `apiKey` = `api_key`). */
export interface FieldNames {
  isSecret(name: string): boolean;
  isBody(name: string): boolean;
}

/** Builds the classifier, with extra secret and body field names added to the built-in ones. */
export function createFieldNames(extraSecret: readonly string[] = [], extraBody: readonly string[] = []): FieldNames {
  const secrets = new Set([...secretNames, ...extraSecret.map(normalise)]);
  const bodies = new Set([...bodyNames, ...extraBody.map(normalise)]);
  return {
    isSecret: (name) => {
      const key = normalise(name);
      return secrets.has(key) || secretSuffixes.some((suffix) => key.endsWith(suffix));
    },
    isBody: (name) => bodies.has(normalise(name)),
  };
}
