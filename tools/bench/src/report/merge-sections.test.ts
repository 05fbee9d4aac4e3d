import { describe, expect, it } from 'vitest';
import { mergeSections, sectionsOf, standaloneMarkers } from './merge-sections.ts';

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

describe('sectionsOf', () => {
  it('finds the sections other scripts wrote, so that a full run keeps them in the page it renders anew', () => {
    const earlier = `${page}\n## Many processes on one key\n\nredis\n\n## What telemetry costs\n\n49 ns\n`;
    const kept = sectionsOf(earlier, standaloneMarkers);
    expect(kept.map((section) => section.markdown)).toEqual([
      '## Many processes on one key\n\nredis',
      '## What telemetry costs\n\n49 ns',
    ]);
    const rendered = mergeSections(page, kept);
    expect(rendered).toContain('old memory\n\n## Many processes on one key\n\nredis\n\n## What telemetry costs');
    expect(sectionsOf(page, standaloneMarkers)).toEqual([]);
  });
});
