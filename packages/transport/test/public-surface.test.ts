import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as core from '@openai-integration/core';
import { describe, expect, it } from 'vitest';
import * as transport from '../src/index.ts';

const index = readFileSync(fileURLToPath(new URL('../src/index.ts', import.meta.url)), 'utf8');

describe('the public surface', () => {
  it('exports nothing from src/internal', () => {
    const sources = [...index.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    expect(sources.length).toBeGreaterThan(20);
    expect(sources.filter((source) => source?.includes('/internal/'))).toEqual([]);
  });

  it('re-exports the clock of core as the same objects', () => {
    expect(transport.systemClock).toBe(core.systemClock);
    expect(transport.createManualClock).toBe(core.createManualClock);
  });

  it('has one way to run a call: execute', () => {
    const made = transport.createTransport();
    expect(typeof made.execute).toBe('function');
    expect('run' in made).toBe(false);
  });
});
