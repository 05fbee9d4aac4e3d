import { createError, type ErrorOf } from '../errors/integration-error.ts';

type Problem = ErrorOf<'ConfigError'>['problems'][number];

/**
 * One `ConfigError` for every problem found: its message names the first problem and
 * its fix, and how many more there are; undefined when there are none.
 */
export function configErrorOf(problems: readonly Problem[]): ErrorOf<'ConfigError'> | undefined {
  const [first, ...rest] = problems;
  if (first === undefined) return undefined;
  const more =
    rest.length === 0 ? '' : ` (and ${rest.length} more: ${rest.map((problem) => problem.variable).join(', ')})`;
  return createError('ConfigError', {
    message: `${first.variable} ${first.problem}; fix: ${first.fix}${more}`,
    variable: first.variable,
    fix: first.fix,
    problems,
  });
}
