import type { FastFailReport } from '../cases/fast-fail-case.ts';
import type { ImportMode } from '../cases/import-case.ts';
import type { MemoryRun } from '../cases/memory-case.ts';
import type { RateLimitContender, RateLimitRun } from '../cases/rate-limit-case.ts';
import type { StreamRun } from '../cases/stream-case.ts';
import type { ThroughputRun } from '../cases/throughput-case.ts';
import type { ContenderName } from '../contenders/contender.ts';
import type { MachineInfo } from '../machine/describe-machine.ts';
import type { BenchPlan, CaseName, EnforcedLimit } from './bench-plan.ts';

/** The servers measured against: the raw floor server and the testkit simulator. */
export type TargetName = 'raw' | 'simulator';

/** The servers streams are read from: those two, and the simulator pacing its frames (`spread`). */
export type StreamTargetName = TargetName | 'spread';

/** Every measurement of one run of the benchmark, as measured (analysis comes later). */
export interface BenchResults {
  readonly plan: BenchPlan;
  /** The cases this run measured (all of them unless `--cases` said otherwise); the others' lists are empty. */
  readonly cases: readonly CaseName[];
  /** ISO time the run started. */
  readonly startedAt: string;
  /** Wall time of the whole run, in ms. */
  readonly elapsedMs: number;
  readonly machine: MachineInfo;
  /** 1-minute load average at the end of the run (the machine may be shared). */
  readonly loadAverageAtEnd: number;
  /** One entry per target, concurrency and contender; `runs[i]` is round i. */
  readonly throughput: readonly {
    readonly target: TargetName;
    readonly concurrency: number;
    readonly contender: ContenderName;
    readonly runs: readonly ThroughputRun[];
  }[];
  /** One entry per target and contender; `runs[i]` is round i. */
  readonly streams: readonly {
    readonly target: StreamTargetName;
    readonly contender: ContenderName;
    readonly runs: readonly StreamRun[];
  }[];
  /** Null when the circuit case did not run. */
  readonly fastFail: FastFailReport | null;
  readonly memory: readonly { readonly contender: ContenderName; readonly run: MemoryRun }[];
  /** Cold import times in ms per fresh process; null when the package has no build to import. */
  readonly imports: readonly {
    readonly specifier: string;
    readonly mode: ImportMode;
    readonly timesMs: readonly number[] | null;
  }[];
  /** One entry per enforced limit and contender. */
  readonly rateLimit: readonly {
    readonly limit: EnforcedLimit;
    readonly contender: RateLimitContender;
    readonly run: RateLimitRun;
  }[];
}
