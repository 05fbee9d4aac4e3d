import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Reads the variables of a `.env` file with Node's `util.parseEnv` (the parser core's
 * `loadConfig` uses). A missing file gives no variables; an unreadable one is reported.
 */
export function readEnvFile(
  path: string | false,
  cwd: string,
): { readonly values: Readonly<Record<string, string>>; readonly problem: string | null } {
  if (path === false) return { values: {}, problem: null };
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { values: {}, problem: code === 'ENOENT' ? null : `${path} cannot be read (${String(code)})` };
  }
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(parseEnv(text))) if (value !== undefined) values[name] = value;
  return { values, problem: null };
}
