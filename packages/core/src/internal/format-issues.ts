import type { z } from 'zod';

/** One readable problem: where (dotted/bracketed path) and what is wrong. */
export interface FormattedIssue {
  readonly path: string;
  readonly message: string;
  readonly code: string;
}

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;
type PathSegment = PropertyKey;

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders a zod path as `messages[0].content` (odd keys as `headers["x-api-key"]`). */
function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'symbol') text += `[${segment.description ?? 'symbol'}]`;
    else if (identifier.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

const quote = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : String(value));

const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

function describeCount(origin: string, limit: number | bigint, direction: 'most' | 'least'): string {
  switch (origin) {
    case 'array':
    case 'set':
      return `must have at ${direction} ${limit} ${limit === 1 ? 'item' : 'items'}`;
    case 'string':
      return `must be at ${direction} ${limit} ${limit === 1 ? 'character' : 'characters'} long`;
    case 'object':
    case 'record':
    case 'map':
      return `must have at ${direction} ${limit} ${limit === 1 ? 'entry' : 'entries'}`;
    default:
      return `must be at ${direction} ${limit}`;
  }
}

const nested = (issues: readonly Issue[]): string => (issues[0] === undefined ? '' : ` (${issues[0].message})`);

/**
 * The message of one issue, in plain words and without quoting the value (it may hold
 * a prompt or a key). Used as zod's error map, so messages that a schema sets itself
 * still win.
 */
export function describeIssue(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return issue.expected === 'int'
        ? 'must be an integer'
        : `expected ${issue.expected}, received ${typeName(issue.input)}`;
    case 'too_big':
      return issue.inclusive === false
        ? `must be less than ${issue.maximum}`
        : describeCount(issue.origin, issue.maximum, 'most');
    case 'too_small':
      return issue.inclusive === false
        ? `must be greater than ${issue.minimum}`
        : describeCount(issue.origin, issue.minimum, 'least');
    case 'invalid_value':
      if (issue.input === undefined) return 'is required';
      return issue.values.length === 1
        ? `must be ${quote(issue.values[0])}`
        : `must be one of ${issue.values.map(quote).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'has an invalid format' : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `has unknown ${issue.keys.length === 1 ? 'field' : 'fields'} ${issue.keys.map(quote).join(', ')}`;
    case 'invalid_key':
      return `has an invalid key${nested(issue.issues)}`;
    case 'invalid_element':
      return `has an invalid element${nested(issue.issues)}`;
    case 'invalid_union': {
      const options: readonly unknown[] = 'options' in issue && Array.isArray(issue.options) ? issue.options : [];
      if (options.length === 0) return 'does not match any allowed shape';
      return kindValue(issue) === undefined ? 'is required' : `must be one of ${options.map(quote).join(', ')}`;
    }
    default:
      return 'is invalid';
  }
}

/** A branch that failed only because the value has another type altogether. */
const isTypeMismatch = (branch: readonly Issue[]): boolean =>
  branch.every((issue) => issue.code === 'invalid_type' && issue.path.length === 0);

/** The value of the discriminator a union issue is about (`type`, `role`), if the input has one. */
function kindValue(issue: RawIssue | Issue): unknown {
  if (issue.code !== 'invalid_union') return issue.input;
  const key = 'discriminator' in issue ? issue.discriminator : undefined;
  return key !== undefined && typeof issue.input === 'object' && issue.input !== null
    ? (issue.input as Record<string, unknown>)[key]
    : undefined;
}

const discriminators = new Set<PropertyKey>(['type', 'role']);

/**
 * How well a union branch fits the value: 0 when its kind (`type`/`role`) matched, 1
 * when the value has no kind at all, 2 when the value is of another kind.
 */
function kindFit(branch: readonly Issue[]): number {
  let fit = 0;
  for (const issue of branch) {
    if (issue.path.length !== 1 || !discriminators.has(issue.path[0] ?? '')) continue;
    fit = Math.max(fit, kindValue(issue) === undefined ? 1 : 2);
  }
  return fit;
}

const depth = (branch: readonly Issue[]): number => Math.max(...branch.map((issue) => issue.path.length));

/** Whether `branch` explains the value better than `chosen`: deeper problems, then fewer. */
const better = (branch: readonly Issue[], chosen: readonly Issue[]): boolean => {
  const [deeper, current] = [depth(branch), depth(chosen)];
  return deeper > current || (deeper === current && branch.length < chosen.length);
};

/**
 * The branch the value most likely meant: one whose kind matched and that got furthest;
 * else one whose kind the value names (wrongly) and that got furthest; else, when the
 * value names no kind, the first branch (branches are listed most common first).
 */
function likeliest(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  for (const fit of [0, 2, 1]) {
    const fitting = branches.filter((branch) => kindFit(branch) === fit);
    if (fitting.length === 0) continue;
    if (fit === 1) return fitting[0];
    return fitting.reduce((chosen, branch) => (better(branch, chosen) ? branch : chosen));
  }
  return undefined;
}

function flattenUnion(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  prefix: readonly PathSegment[],
): FormattedIssue[] {
  const here = [...prefix, ...issue.path];
  const best = likeliest(issue.errors.filter((branch) => branch.length > 0 && !isTypeMismatch(branch)));
  if (best !== undefined) return best.flatMap((branchIssue) => flattenIssue(branchIssue, here));
  if (issue.errors.length === 0) return [{ path: formatPath(here), message: issue.message, code: issue.code }];
  const expected = [
    ...new Set(
      issue.errors.flat().flatMap((branchIssue) => (branchIssue.code === 'invalid_type' ? [branchIssue.expected] : [])),
    ),
  ];
  const message =
    issue.input === undefined ? 'is required' : `expected ${expected.join(' or ')}, received ${typeName(issue.input)}`;
  return [{ path: formatPath(here), message, code: 'invalid_type' }];
}

function flattenIssue(issue: Issue, prefix: readonly PathSegment[]): FormattedIssue[] {
  if (issue.code === 'invalid_union') return flattenUnion(issue, prefix);
  return [{ path: formatPath([...prefix, ...issue.path]), message: issue.message, code: issue.code }];
}

/**
 * Turns zod issues (parsed with {@link describeIssue} as error map and `reportInput`)
 * into readable ones: unions are reduced to the branch the value most likely meant.
 */
export function formatIssues(issues: readonly Issue[]): FormattedIssue[] {
  return issues.flatMap((issue) => flattenIssue(issue, []));
}
