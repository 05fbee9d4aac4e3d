import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly repository?: { readonly type?: string; readonly url?: string; readonly directory?: string };
  readonly homepage?: string;
  readonly bugs?: { readonly url?: string };
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

const readManifest = (folder: string): Manifest =>
  JSON.parse(readFileSync(`${root}/${folder}/package.json`, 'utf8')) as Manifest;

const workspace = readManifest('.');
/** The project's home, defined once: the root manifest's repository. */
const home = (workspace.repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '');

const published = readdirSync(`${root}/packages`)
  .filter((folder) => !(readManifest(`packages/${folder}`).private ?? false))
  .sort();

/**
 * Every link target of a Markdown text: inline links and images, reference
 * definitions and HTML `href`/`src`, outside fenced code blocks and code spans.
 */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const targets: string[] = [];
  for (const match of prose.matchAll(/\]\(\s*(?:<([^>\n]*)>|([^)\s]*))(?:\s+"[^"]*")?\s*\)/g))
    targets.push(match[1] ?? match[2] ?? '');
  for (const match of prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s+"[^"]*")?\s*$/gm))
    targets.push(match[1] ?? '');
  for (const match of prose.matchAll(/\b(?:href|src)\s*=\s*["']([^"']*)["']/g)) targets.push(match[1] ?? '');
  return targets;
}

/** GitHub's (and the npm registry's) anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  return new Set([...prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((match) => headingAnchor(match[1] ?? '')));
}

/** Why a README link would break on the registry's page (or in the repository), or undefined. */
function linkProblem(
  target: string,
  anchors: ReadonlySet<string>,
  fileExists: (path: string) => boolean,
): string | undefined {
  if (target.startsWith('#')) return anchors.has(target.slice(1)) ? undefined : `no heading makes the anchor ${target}`;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(target))
    return `a relative link (${target}) does not resolve on the npm registry's page: link to ${home}/blob/main/<path>`;
  const inRepository = new RegExp(`^${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?:blob|tree)/main/([^#?]+)`).exec(
    target,
  );
  if (inRepository !== null && !fileExists(decodeURIComponent(inRepository[1] ?? '')))
    return `${target} names a file that is not in the repository`;
  return undefined;
}

describe('linkTargets', () => {
  it('finds inline, image, reference and HTML links but none in code', () => {
    const markdown = [
      'See [a](docs/a.md) and ![b](img/b.png "title") and [c](<c d.md>).',
      '[ref]: ../e.md',
      '<a href="f.html">f</a> <img src="g.png">',
      '`[not](a-link.md)`',
      '```ts',
      'const x = "[no](link.md)";',
      '```',
    ].join('\n');
    expect(linkTargets(markdown)).toEqual(['docs/a.md', 'img/b.png', 'c d.md', '../e.md', 'f.html', 'g.png']);
  });
});

describe('linkProblem', () => {
  const anchors = new Set(['the-openai-mcp-binary']);
  const exists = (path: string): boolean => path === 'packages/core/README.md';

  it('refuses relative links, which break on the registry', () => {
    expect(linkProblem('examples/quick-start.ts', anchors, exists)).toMatch(/relative link/);
    expect(linkProblem('../core/README.md', anchors, exists)).toMatch(/relative link/);
  });

  it('accepts absolute links to files that exist, and anchors of headings', () => {
    expect(linkProblem(`${home}/blob/main/packages/core/README.md`, anchors, exists)).toBeUndefined();
    expect(linkProblem('https://platform.openai.com/docs', anchors, exists)).toBeUndefined();
    expect(linkProblem('#the-openai-mcp-binary', anchors, exists)).toBeUndefined();
  });

  it('refuses links to missing files and missing anchors', () => {
    expect(linkProblem(`${home}/blob/main/packages/core/MISSING.md`, anchors, exists)).toMatch(/not in the repository/);
    expect(linkProblem('#no-such-heading', anchors, exists)).toMatch(/no heading/);
  });

  it('makes anchors as GitHub does', () => {
    expect(headingAnchor('The `openai-mcp` binary')).toBe('the-openai-mcp-binary');
    expect(headingAnchor('Guards for agents')).toBe('guards-for-agents');
  });
});

describe('published packages', () => {
  it('are the six library packages', () => {
    expect(published).toEqual(['core', 'mcp-adapter', 'operations', 'redis-store', 'testkit', 'transport']);
    expect(home).toBe('https://github.com/openai-integration/openai-integration');
  });

  const license = readFileSync(`${root}/LICENSE`, 'utf8');

  it('the root LICENSE is MIT, held by the project authors', () => {
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} The @openai-integration authors\n/);
  });

  describe.each(published)('packages/%s', (folder) => {
    const manifest = readManifest(`packages/${folder}`);

    it('ships the root LICENSE and says MIT', () => {
      expect(manifest.license).toBe('MIT');
      expect(readFileSync(`${root}/packages/${folder}/LICENSE`, 'utf8')).toBe(license);
    });

    it('names the repository, its folder, its home page and where to report bugs', () => {
      expect(manifest.repository).toEqual({
        type: 'git',
        url: workspace.repository?.url,
        directory: `packages/${folder}`,
      });
      expect(manifest.homepage).toBe(`${home}/tree/main/packages/${folder}#readme`);
      expect(manifest.bugs).toEqual({ url: workspace.bugs?.url });
    });

    it('has README links that work on the registry page and in the repository', () => {
      const readme = readFileSync(`${root}/packages/${folder}/README.md`, 'utf8');
      const anchors = anchorsOf(readme);
      const problems = linkTargets(readme)
        .map((target) => linkProblem(target, anchors, (path) => existsSync(`${root}/${path}`)))
        .filter((problem) => problem !== undefined);
      expect(problems).toEqual([]);
    });

    it('shows examples/quick-start.ts verbatim as its first TypeScript block (the install test runs that file)', () => {
      const readme = readFileSync(`${root}/packages/${folder}/README.md`, 'utf8');
      const firstBlock = /^```ts\n([\s\S]*?)^```$/m.exec(readme)?.[1];
      expect(firstBlock).toBe(readFileSync(`${root}/packages/${folder}/examples/quick-start.ts`, 'utf8'));
    });

    it('depends on version ranges, never on exact versions or local protocols', () => {
      const ranges = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
      const pinned = Object.entries(ranges).filter(
        ([, range]) => !(range === 'workspace:^' || /^(\^|~|>=)\d/.test(range)),
      );
      expect(pinned).toEqual([]);
    });

    it('refuses to be packed by a tool that would ship a workspace: range', () => {
      expect(manifest.scripts?.['prepack']).toBe('node ../../tools/release/src/guard-publish.js');
    });
  });
});
