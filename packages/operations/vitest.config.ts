import { defineConfig } from 'vitest/config';
import { createVitestConfig } from '../../tools/config/vitest.shared.ts';

const config = createVitestConfig();
// Without the shared `module` condition: it resolves @opentelemetry/* to their ESM
// builds, whose extensionless imports only a bundler resolves (Node loads them here).
const conditions = ['@openai-integration/source', 'node', 'development|production'];
export default defineConfig({
  ...config,
  resolve: { ...config.resolve, conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
});
