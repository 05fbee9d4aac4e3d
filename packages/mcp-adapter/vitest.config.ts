import { createVitestConfig } from '../../tools/config/vitest.shared.ts';

// The binary's entry only wires process signals to `runCli`; it runs in the subprocess
// tests (test/binary.test.ts), where in-process coverage cannot see it.
export default createVitestConfig({ coverageExclude: ['src/bin/**'] });
