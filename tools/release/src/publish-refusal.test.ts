import { describe, expect, it } from 'vitest';
import { findLocalRanges, publishRefusal } from './publish-refusal.js';

const manifest = {
  name: '@openai-integration/transport',
  dependencies: { '@openai-integration/core': 'workspace:^', zod: '^4.2.0' },
  devDependencies: { '@openai-integration/testkit': 'workspace:*' },
};

describe('findLocalRanges', () => {
  it('lists workspace, catalog, file, link and portal ranges of every dependency field', () => {
    expect(
      findLocalRanges({
        dependencies: { a: 'workspace:^', b: '^1.0.0' },
        peerDependencies: { c: 'catalog:' },
        optionalDependencies: { d: 'file:../d' },
        devDependencies: { e: 'link:../e', f: 'portal:../f', g: 'npm:zod@^4' },
      }),
    ).toEqual([
      { field: 'dependencies', name: 'a', range: 'workspace:^' },
      { field: 'peerDependencies', name: 'c', range: 'catalog:' },
      { field: 'optionalDependencies', name: 'd', range: 'file:../d' },
      { field: 'devDependencies', name: 'e', range: 'link:../e' },
      { field: 'devDependencies', name: 'f', range: 'portal:../f' },
    ]);
  });

  it('finds none in a manifest without dependency objects, or in no manifest at all', () => {
    expect(findLocalRanges({ name: 'x', dependencies: 'nonsense' })).toEqual([]);
    expect(findLocalRanges(null)).toEqual([]);
    expect(findLocalRanges('package.json')).toEqual([]);
  });
});

describe('publishRefusal', () => {
  it('lets pnpm pack a workspace range: pnpm replaces it in the packed manifest', () => {
    expect(publishRefusal(manifest, 'pnpm/10.34.9 npm/? node/v24.21.0 linux x64')).toBeUndefined();
  });

  it('refuses npm, naming every workspace range and what to run instead', () => {
    const refusal = publishRefusal(manifest, 'npm/11.19.1 node/v24.21.0 linux x64 workspaces/false');
    expect(refusal).toContain('@openai-integration/transport cannot be packed or published by npm');
    expect(refusal).toContain('dependencies["@openai-integration/core"] is "workspace:^"');
    expect(refusal).toContain('devDependencies["@openai-integration/testkit"] is "workspace:*"');
    expect(refusal).toContain('pnpm release');
  });

  it('refuses yarn 1 and a tool that does not say what it is', () => {
    expect(publishRefusal(manifest, 'yarn/1.22.22 npm/? node/v24.21.0')).toContain('by yarn');
    expect(publishRefusal(manifest, undefined)).toContain('by a tool that does not say what it is');
    expect(publishRefusal({ dependencies: { a: 'workspace:^' } }, '')).toContain('this package cannot be packed');
  });

  it('refuses a file: or link: range whatever the tool', () => {
    expect(publishRefusal({ name: 'x', dependencies: { a: 'file:../a' } }, 'pnpm/10.34.9')).toContain(
      'names a folder on this disk',
    );
  });

  it('lets any tool pack a manifest of published ranges', () => {
    expect(
      publishRefusal({ name: '@openai-integration/core', peerDependencies: { zod: '^4.2.0' } }, 'npm/11.19.1'),
    ).toBeUndefined();
  });
});
