import { err } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { caseNames } from '../run/bench-plan.ts';
import { parseBenchArgs } from './parse-bench-args.ts';

const where = { defaultOut: '/repo/BENCHMARKS.md', cwd: '/repo/tools/bench' };

describe('parseBenchArgs', () => {
  it('writes the repository page on a full run', () => {
    expect(parseBenchArgs([], where)._unsafeUnwrap()).toEqual({
      help: false,
      quick: false,
      out: '/repo/BENCHMARKS.md',
      json: undefined,
      cases: caseNames,
    });
  });

  it('only prints on a quick run, or writes where --out says, from the caller directory', () => {
    expect(parseBenchArgs(['--quick'], where)._unsafeUnwrap().out).toBeUndefined();
    expect(
      parseBenchArgs(['--quick', '--out', 'quick.md', '--json', '/tmp/q.json'], where)._unsafeUnwrap(),
    ).toMatchObject({
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

  it('runs only the cases named, in run order, and refuses a name it does not know', () => {
    expect(parseBenchArgs(['--cases', 'rate-limit, throughput'], where)._unsafeUnwrap().cases).toEqual([
      'throughput',
      'rate-limit',
    ]);
    expect(parseBenchArgs(['--cases', 'rate-limit,speed'], where)).toEqual(
      err(
        '--cases takes case names separated by commas (throughput, stream, circuit, memory, import, rate-limit); got "rate-limit,speed"',
      ),
    );
    expect(parseBenchArgs(['--cases', ','], where).isErr()).toBe(true);
  });

  it('refuses unknown options', () => {
    expect(parseBenchArgs(['--fast'], where).isErr()).toBe(true);
  });
});
