import type { LiveSuiteContext } from '../../../src/setup/live-suite-context.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The mode, endpoint, run id and models of this run (see `startLiveSuite`). */
    liveSuite: LiveSuiteContext;
  }
}
