/** The parts of a V8 `.cpuprofile` (as `node --cpu-prof` writes it) that self time needs. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly samples: readonly number[];
  /** Microseconds since the previous sample, one per sample. */
  readonly timeDeltas: readonly number[];
}

/** Self time of one function or one file. */
export interface SelfTime {
  /** `function (file:line)`, or the file, or a V8 pseudo-frame such as `(garbage collector)`. */
  readonly name: string;
  readonly selfMs: number;
  /** Share of all sampled time, 0 to 1. */
  readonly share: number;
}

/** Where the time of a profile went. */
export interface ProfileSummary {
  readonly totalMs: number;
  readonly byFunction: readonly SelfTime[];
  readonly byFile: readonly SelfTime[];
}

/** A file path shortened to what identifies it: the package and its path inside. */
const shortFile = (url: string): string => {
  if (url === '') return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const inModules = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+\/.*)$/.exec(path);
  if (inModules?.[1] !== undefined) return inModules[1];
  const inWorkspace = /\/((?:packages|tools)\/.*)$/.exec(path);
  return inWorkspace?.[1] ?? path;
};

const top = (totals: Map<string, number>, totalMs: number, count: number): SelfTime[] =>
  [...totals.entries()]
    .map(([name, selfMs]) => ({ name, selfMs, share: totalMs === 0 ? 0 : selfMs / totalMs }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, count);

/**
 * Sums the self time of a CPU profile by function and by file (the time spent in the
 * function's own code, not in what it calls) and returns the `count` largest of each,
 * largest first. Pseudo-frames such as `(garbage collector)` and `(idle)` are kept:
 * they say how much time was not spent running JavaScript.
 */
export function summarizeCpuProfile(profile: CpuProfile, count = 25): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1_000;
    const frame = nodes.get(id);
    if (frame === undefined) return;
    totalMs += ms;
    const file = frame.url === '' ? frame.functionName : shortFile(frame.url);
    const name =
      frame.url === ''
        ? frame.functionName
        : `${frame.functionName || '(anonymous)'} (${file}:${frame.lineNumber + 1})`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  });
  return { totalMs, byFunction: top(byFunction, totalMs, count), byFile: top(byFile, totalMs, count) };
}
