import { describe, expect, it } from 'vitest';
import { summarizeCpuProfile, type CpuProfile } from './summarize-cpu-profile.ts';

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });

const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '') },
    { id: 2, callFrame: frame('guardedRun', 'file:///work/main/packages/transport/src/internal/guarded-run.ts', 24) },
    {
      id: 3,
      callFrame: frame(
        'makeRequest',
        'file:///work/main/node_modules/.pnpm/openai@7.57.0/node_modules/openai/client.mjs',
        746,
      ),
    },
    { id: 4, callFrame: frame('(garbage collector)', '') },
    {
      id: 5,
      callFrame: frame(
        'buildHeaders',
        'file:///work/main/node_modules/.pnpm/openai@7.57.0/node_modules/openai/client.mjs',
        1392,
      ),
    },
  ],
  samples: [2, 3, 3, 4, 5, 2],
  timeDeltas: [1_000, 2_000, 2_000, 3_000, 1_000, 1_000],
};

describe('summarizeCpuProfile', () => {
  it('sums self time by function, largest first, with shares of the total', () => {
    const summary = summarizeCpuProfile(profile);
    expect(summary.totalMs).toBe(10);
    expect(summary.byFunction).toEqual([
      { name: 'makeRequest (openai/client.mjs:747)', selfMs: 4, share: 0.4 },
      { name: '(garbage collector)', selfMs: 3, share: 0.3 },
      { name: 'guardedRun (packages/transport/src/internal/guarded-run.ts:25)', selfMs: 2, share: 0.2 },
      { name: 'buildHeaders (openai/client.mjs:1393)', selfMs: 1, share: 0.1 },
    ]);
  });

  it('sums self time by file, naming packages by their path inside node_modules', () => {
    expect(summarizeCpuProfile(profile, 2).byFile).toEqual([
      { name: 'openai/client.mjs', selfMs: 5, share: 0.5 },
      { name: '(garbage collector)', selfMs: 3, share: 0.3 },
    ]);
  });
});
