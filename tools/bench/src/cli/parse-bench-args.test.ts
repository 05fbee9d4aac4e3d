import { err } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './parse-bench-args.ts';

const where = { defaultOut: '/repo/BENCHMARKS.md', cwd: '/repo/tools/bench' };

describe('parseBenchArgs', () => {
  it('writes the repository page on a full run', () => {
    expect(parseBenchArgs([], where)._unsafeUnwrap()).toEqual({ help: false, quick: false, out: '/repo/BENCHMARKS.md', json: undefined });
  });

  it('only prints on a quick run, or writes where --out says, from the caller directory', () => {
    expect(parseBenchArgs(['--quick'], where)._unsafeUnwrap().out).toBeUndefined();
    expect(parseBenchArgs(['--quick', '--out', 'quick.md', '--json', '/tmp/q.json'], where)._unsafeUnwrap()).toMatchObject({
      quick: true,
      out: '/repo/tools/bench/quick.md',
      json: '/tmp/q.json',
    });
  });

  it('never lets a quick run overwrite the repository page', () => {
    expect(parseBenchArgs(['--quick', '--out', '../../BENCHMARKS.md'], where)).toEqual(
      err('--quick never writes /repo/BENCHMARKS.md: its numbers must come from a full run'),
    );
  });

  it('skips the -- that pnpm passes through', () => {
    expect(parseBenchArgs(['--', '--quick'], where)._unsafeUnwrap().quick).toBe(true);
  });

  it('refuses unknown options', () => {
    expect(parseBenchArgs(['--fast'], where).isErr()).toBe(true);
  });
});
