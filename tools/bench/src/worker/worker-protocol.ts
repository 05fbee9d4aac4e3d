import type { ContenderName } from '../contenders/contender.ts';
import type { FastFailReport } from '../cases/fast-fail-case.ts';
import type { MemoryRun } from '../cases/memory-case.ts';
import type { RateLimitContender, RateLimitRun } from '../cases/rate-limit-case.ts';
import type { StreamRun } from '../cases/stream-case.ts';
import type { ThroughputRun } from '../cases/throughput-case.ts';

/** What the parent asks a worker process to do; each command is answered once. */
export type WorkerCommand =
  | {
      readonly type: 'warm-up';
      readonly contender: ContenderName;
      readonly baseURL: string;
      readonly calls: number;
      readonly streams: number;
    }
  | {
      readonly type: 'throughput';
      readonly contender: ContenderName;
      readonly baseURL: string;
      readonly concurrency: number;
      readonly calls: number;
    }
  | { readonly type: 'stream'; readonly contender: ContenderName; readonly baseURL: string; readonly streams: number }
  | {
      readonly type: 'memory';
      readonly contender: ContenderName;
      readonly baseURL: string;
      readonly calls: number;
      readonly sampleEvery: number;
      readonly concurrency: number;
    }
  | {
      readonly type: 'fast-fail';
      readonly failingBaseURL: string;
      readonly refusals: number;
      readonly sdkFailures: number;
      readonly sdkRetryingFailures: number;
    }
  | {
      readonly type: 'rate-limit';
      readonly contender: RateLimitContender;
      readonly baseURL: string;
      readonly concurrency: number;
      readonly durationMs: number;
    };

/** What each command answers with. */
export interface WorkerAnswers {
  readonly 'warm-up': null;
  readonly throughput: ThroughputRun;
  readonly stream: StreamRun;
  readonly memory: MemoryRun;
  readonly 'fast-fail': FastFailReport;
  readonly 'rate-limit': RateLimitRun;
}

/** A command with its id, parent to worker. */
export interface WorkerRequest {
  readonly id: number;
  readonly command: WorkerCommand;
}

/** A worker's answer, worker to parent. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: WorkerAnswers[WorkerCommand['type']] }
  | { readonly id: number; readonly ok: false; readonly message: string };
