import { createVitestConfig } from '../config/vitest.shared.ts';

export default createVitestConfig();
