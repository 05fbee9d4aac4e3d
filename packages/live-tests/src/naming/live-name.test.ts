import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { livePrefix, liveName, parseLiveName } from './live-name.ts';

const runId = '20261124103605abcd';

describe('liveName', () => {
  it('names a thing oi-live-<runId>-<label>', () => {
    expect(liveName(runId, 'files-roundtrip.jsonl')).toBe(`oi-live-${runId}-files-roundtrip.jsonl`);
  });

  it('lowercases the label and turns characters unsafe in a file name into dashes', () => {
    expect(liveName(runId, 'Files Round/trip?.JSONL')).toBe(`oi-live-${runId}-files-round-trip-.jsonl`);
    expect(liveName(runId, '')).toBe(`oi-live-${runId}-item`);
  });

  it('refuses a run id it did not make, with a TypeError', () => {
    expect(() => liveName('run-1', 'x')).toThrow(TypeError);
  });
});

describe('parseLiveName', () => {
  it('gives back the run id and the label of any name liveName made', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{14}[a-z0-9]{4}$/), fc.string(), (id, label) => {
        const parsed = parseLiveName(liveName(id, label));
        expect(parsed?.runId).toBe(id);
        expect(parsed?.label).toBe(liveName(id, label).slice(livePrefix.length + id.length + 1));
      }),
    );
  });

  it('returns null for names the suite did not make', () => {
    expect(parseLiveName('batch-input.jsonl')).toBeNull();
    expect(parseLiveName('oi-live-')).toBeNull();
    expect(parseLiveName('oi-live-notarun-x')).toBeNull();
    expect(parseLiveName(`oi-live-${runId}-`)).toBeNull();
    expect(parseLiveName(`oi-live-${runId}`)).toBeNull();
  });
});
