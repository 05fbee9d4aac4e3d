import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { describe, expect, it } from 'vitest';
import { readEnvFile } from './read-env-file.ts';

describe('readEnvFile', () => {
  it('reports a runtime without Node modules as unsupported', () => {
    expect(readEnvFile('.env', '/tmp', null, null)).toEqual({ kind: 'unsupported', path: '.env', node: null });
    expect(readEnvFile('.env', '/tmp', null, 'v22.2.0')).toEqual({
      kind: 'unsupported',
      path: '.env',
      node: 'v22.2.0',
    });
    expect(readEnvFile('.env', '/tmp', null)).toEqual({ kind: 'unsupported', path: '.env', node: process.version });
  });

  it('reports a read failure without an error code', () => {
    const failing = {
      ...fs,
      readFileSync: () => {
        throw new Error('odd');
      },
    } as unknown as typeof fs;
    expect(readEnvFile('.env', '/tmp', { fs: failing, path, util })).toEqual({
      kind: 'unreadable',
      path: '/tmp/.env',
      problem: 'it could not be read',
    });
  });
});
