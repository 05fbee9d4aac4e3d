import type { TestProject } from 'vitest/node';
import { startLiveSuite } from '../../src/setup/start-live-suite.ts';
import './support/provided-context.ts';

/**
 * Chooses the mode, starts the simulator for a rehearsal, shows the banner once, and
 * hands the suite's context to every scenario. The returned teardown sweeps this
 * run's leftovers (and any older than an hour) and stops the simulator.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const suite = await startLiveSuite();
  if (suite.isErr()) throw new Error(`live suite: ${suite.error._tag}: ${suite.error.message}`);
  project.provide('liveSuite', suite.value.context);
  return async () => {
    await suite.value.teardown();
  };
}
