import { readFileSync } from 'node:fs';

const packageName = '@openai-integration/mcp-adapter';

/** How many folders up from the module a package.json is looked for. */
const maxDepth = 5;

/**
 * The package's version, read from the nearest package.json up from `moduleUrl` that
 * names this package: the code sits at different depths in src and in the bundled
 * dist, and a package.json of another package on the way is skipped. `unknown` when
 * none is found.
 */
export function packageVersion(moduleUrl: string): string {
  let folder = new URL('./', moduleUrl);
  for (let depth = 0; depth < maxDepth; depth += 1) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('package.json', folder), 'utf8')) as {
        readonly name?: unknown;
        readonly version?: unknown;
      };
      if (manifest.name === packageName && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // No readable package.json here: look one folder up.
    }
    folder = new URL('../', folder);
  }
  return 'unknown';
}
