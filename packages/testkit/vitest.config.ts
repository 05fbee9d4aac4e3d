import { createVitestConfig } from '../../tools/config/vitest.shared.ts';

// The bin entry is a three-line shim around runCli; it runs in a child process in
// test/openai-simulator-bin.test.ts, where v8 coverage cannot see it.
export default createVitestConfig({ coverageExclude: ['src/bin/**', 'src/msw/index.ts'] });
