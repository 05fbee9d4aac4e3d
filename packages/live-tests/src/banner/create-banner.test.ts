import { describe, expect, it } from 'vitest';
import { createBanner, formatBanner, rehearsalHeadline } from './create-banner.ts';

describe('createBanner', () => {
  it('writes the lines framed by rules the first time, and nothing afterwards', () => {
    const written: string[] = [];
    const banner = createBanner((text) => written.push(text));
    expect(banner.shown).toBe(false);
    expect(banner.show([rehearsalHeadline, 'second line'])).toBe(true);
    expect(banner.show(['again'])).toBe(false);
    expect(banner.shown).toBe(true);
    expect(written).toHaveLength(1);
    const rule = '='.repeat(rehearsalHeadline.length);
    expect(written[0]).toBe(`\n${rule}\n${rehearsalHeadline}\nsecond line\n${rule}\n\n`);
  });
});

describe('rehearsalHeadline', () => {
  it('says that nothing reached OpenAI, in the words the suite promises', () => {
    expect(rehearsalHeadline).toBe(
      'REHEARSAL MODE: no OPENAI_API_KEY, running against the local simulator; nothing was sent to OpenAI',
    );
  });
});

describe('formatBanner', () => {
  it('makes the rules at least 20 characters wide', () => {
    expect(formatBanner(['short'])).toBe(`\n${'='.repeat(20)}\nshort\n${'='.repeat(20)}\n\n`);
  });
});
