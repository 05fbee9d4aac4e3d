import { defineConfig } from 'vitest/config';
import { createVitestConfig } from '../../tools/config/vitest.shared.ts';

const { test: _unitTests, ...resolution } = createVitestConfig();
// The global setup runs in vitest's own `__vitest__` environment: it needs the source condition too.
const sourceResolution = resolution.ssr?.resolve ?? {};

/**
 * The live suite: only `test/live/**\/*.live.test.ts`, run by `pnpm test:live`. The
 * global setup chooses the mode (the real API with OPENAI_API_KEY, else the
 * simulator), shows the banner, and sweeps leftovers at the end. Files run one after
 * another (a real account's rate limits are shared), with time for real network calls.
 */
export default defineConfig({
  ...resolution,
  environments: { __vitest__: { resolve: sourceResolution } },
  test: {
    include: ['test/live/**/*.live.test.ts'],
    globalSetup: ['test/live/global-setup.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    retry: 0,
    reporters: ['verbose'],
  },
});
