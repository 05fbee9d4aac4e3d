import { describe, expect, it } from 'vitest';
import { mergeSections } from './merge-sections.ts';

const page = `# Benchmarks

Intro.

## Targets

| a |

## Memory over 100,000 calls

old memory

## Machine

cores

## Reproduce

pnpm bench
`;

describe('mergeSections', () => {
  it('replaces the section with the same heading, whatever its numbers, and keeps the rest', () => {
    const merged = mergeSections(page, [
      { case: 'memory', marker: '## Memory over', markdown: '## Memory over 1,000 calls\n\nnew memory' },
    ]);
    expect(merged).toBe(
      page.replace('## Memory over 100,000 calls\n\nold memory', '## Memory over 1,000 calls\n\nnew memory'),
    );
  });

  it('puts a section the page does not have before the machine, or at the end without one', () => {
    const merged = mergeSections(page, [
      { case: 'rate-limit', marker: '## Pacing under a rate limit', markdown: '## Pacing under a rate limit\n\nnew' },
    ]);
    expect(merged).toContain('old memory\n\n## Pacing under a rate limit\n\nnew\n\n## Machine');
    expect(
      mergeSections('# Benchmarks\n\nIntro.\n', [
        { case: 'import', marker: '## Cold import time', markdown: '## Cold import time\n\nx' },
      ]),
    ).toBe('# Benchmarks\n\nIntro.\n\n## Cold import time\n\nx\n');
  });
});
