import type { PageSection } from './render-markdown.ts';

/** Splits a page at its `## ` headings: the part before the first, then one part per section. */
function splitPage(page: string): string[] {
  const parts: string[] = [];
  let current: string[] = [];
  for (const line of page.replace(/\n+$/, '').split('\n')) {
    if (line.startsWith('## ') && current.length > 0) {
      parts.push(current.join('\n').replace(/\n+$/, ''));
      current = [];
    }
    current.push(line);
  }
  parts.push(current.join('\n').replace(/\n+$/, ''));
  return parts;
}

/**
 * Puts the sections of a run of some cases into an earlier page: each replaces the
 * section of the page with the same heading (up to its first number), or goes before
 * `## Machine` (at the end without one); everything else of the page stays as it was.
 */
export function mergeSections(page: string, sections: readonly PageSection[]): string {
  const parts = splitPage(page);
  for (const section of sections) {
    const index = parts.findIndex((part) => part.startsWith(section.marker));
    if (index !== -1) {
      parts.splice(index, 1, section.markdown);
      continue;
    }
    const machine = parts.findIndex((part) => part.startsWith('## Machine'));
    parts.splice(machine === -1 ? parts.length : machine, 0, section.markdown);
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * The sections other scripts write into the page (many processes on one key, the cost of
 * telemetry): a full run of `pnpm bench` renders the page anew and keeps them.
 */
export const standaloneMarkers: readonly string[] = ['## Many processes on one key', '## What telemetry costs'];

/** The sections of a page whose heading starts with one of `markers`, as they are. */
export function sectionsOf(page: string, markers: readonly string[]): PageSection[] {
  return splitPage(page).flatMap((part) => {
    const marker = markers.find((candidate) => part.startsWith(candidate));
    return marker === undefined ? [] : [{ case: null, marker, markdown: part }];
  });
}
