import { createVitestConfig } from '../../tools/config/vitest.shared.ts';

export default createVitestConfig();
