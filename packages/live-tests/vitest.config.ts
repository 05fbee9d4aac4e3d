import { configDefaults, defineConfig } from 'vitest/config';
import { createVitestConfig } from '../../tools/config/vitest.shared.ts';

const shared = createVitestConfig({ coverageExclude: ['src/bin/**'] });

// The helpers' unit tests only: the scenarios under test/live run with vitest.live.config.ts.
export default defineConfig({
  ...shared,
  test: { ...shared.test, exclude: [...configDefaults.exclude, 'test/live/**'] },
});
