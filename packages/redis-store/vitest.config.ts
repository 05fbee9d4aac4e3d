import { mergeConfig } from 'vitest/config';
import { createVitestConfig } from '../../tools/config/vitest.shared.ts';

export default mergeConfig(createVitestConfig(), {
  test: {
    // A real redis-server for the run (installed when missing and root), or REDIS_URL.
    globalSetup: ['./test/global-setup.ts'],
  },
});
