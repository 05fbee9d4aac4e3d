// The `prepack` script of every published package: npm, pnpm and yarn run it before
// they pack or publish. It refuses when the tool would ship a `workspace:` range (see
// publishRefusal), so `npm publish` or `npm pack` in a package folder fails loudly
// instead of publishing a manifest that cannot install. Plain JavaScript so that it runs
// on any Node a maintainer has on PATH.
// @ts-check
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishRefusal } from './publish-refusal.js';

const file = join(process.cwd(), 'package.json');
/** @type {unknown} */
let manifest;
try {
  manifest = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  process.stderr.write(
    `guard-publish: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
const refusal = publishRefusal(manifest, process.env['npm_config_user_agent']);
if (refusal !== undefined) {
  process.stderr.write(`\n${refusal}\n\n`);
  process.exit(1);
}
