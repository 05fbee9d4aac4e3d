// @ts-check
// Plain JavaScript on purpose: the prepack guard must run on whatever Node a maintainer
// has on PATH (even one that cannot strip TypeScript types), or it would fail for the
// wrong reason. TypeScript still checks this file (checkJs).

/** The fields of a manifest whose ranges a package manager resolves. */
export const dependencyFields = /** @type {const} */ ([
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'devDependencies',
]);

/**
 * A range that names the local workspace or disk rather than a published version.
 * @typedef {{ readonly field: (typeof dependencyFields)[number], readonly name: string, readonly range: string }} LocalRange
 */

/** Protocols pnpm replaces with real versions when it packs (`workspace:`, `catalog:`). */
const rewrittenByPnpm = /^(workspace|catalog):/;
/** Protocols that no package manager turns into a published version. */
const neverPublishable = /^(file|link|portal):/;

/**
 * Lists every range of `manifest` that names the workspace or the disk
 * (`workspace:`, `catalog:`, `file:`, `link:`, `portal:`) instead of a published
 * version. A manifest that is not an object has none.
 * @param {unknown} manifest
 * @returns {LocalRange[]}
 */
export function findLocalRanges(manifest) {
  if (typeof manifest !== 'object' || manifest === null) return [];
  /** @type {LocalRange[]} */
  const found = [];
  for (const field of dependencyFields) {
    const ranges = /** @type {Record<string, unknown>} */ (manifest)[field];
    if (typeof ranges !== 'object' || ranges === null) continue;
    for (const [name, range] of Object.entries(ranges)) {
      if (typeof range === 'string' && (rewrittenByPnpm.test(range) || neverPublishable.test(range)))
        found.push({ field, name, range });
    }
  }
  return found;
}

/** @param {readonly LocalRange[]} ranges */
const describe = (ranges) => ranges.map(({ field, name, range }) => `${field}["${name}"] is "${range}"`).join(', ');

/**
 * Says why packing or publishing `manifest` with the tool named by `userAgent` (npm's
 * `npm_config_user_agent`, e.g. `npm/11.6.0 node/v24...` or `pnpm/10.34.9 ...`) would ship
 * a range that cannot install, or returns undefined when it is safe. pnpm replaces
 * `workspace:` and `catalog:` ranges in the packed manifest (after this check runs, so
 * the file on disk still has them); npm, yarn 1 and an unknown tool copy them as they
 * are. `file:`, `link:` and `portal:` ranges are refused whatever the tool.
 * @param {unknown} manifest
 * @param {string | undefined} userAgent
 * @returns {string | undefined}
 */
export function publishRefusal(manifest, userAgent) {
  const local = findLocalRanges(manifest);
  if (local.length === 0) return undefined;
  const declared = /** @type {{ readonly name?: unknown }} */ (manifest).name;
  const name = typeof declared === 'string' ? declared : 'this package';
  const never = local.filter(({ range }) => neverPublishable.test(range));
  if (never.length > 0) {
    return `${name} cannot be packed or published: ${describe(never)}, which names a folder on this disk and would not install anywhere else. Depend on a published version range instead.`;
  }
  const tool = userAgent?.split('/')[0] ?? '';
  if (tool === 'pnpm') return undefined;
  const who = tool === '' ? 'a tool that does not say what it is' : tool;
  return [
    `${name} cannot be packed or published by ${who}: ${describe(local)}, which only pnpm replaces with a version.`,
    'A tarball made this way would fail to install.',
    'Release from the workspace root with `pnpm release` (or look at the tarballs first with `pnpm release --dry-run`).',
  ].join(' ');
}
