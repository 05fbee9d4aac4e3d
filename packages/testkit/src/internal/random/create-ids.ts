import { createRandom } from './create-random.ts';

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const hex = '0123456789abcdef';

/** The kinds of identifiers the simulator hands out, each in OpenAI's shape. */
type IdKind =
  | 'request'
  | 'chat'
  | 'response'
  | 'message'
  | 'function-call'
  | 'function-output'
  | 'reasoning'
  | 'call'
  | 'file'
  | 'batch'
  | 'batch-request'
  | 'moderation'
  | 'fingerprint';

const shapes: Readonly<
  Record<IdKind, { readonly prefix: string; readonly alphabet: string; readonly length: number }>
> = {
  request: { prefix: 'req_', alphabet: hex, length: 32 },
  chat: { prefix: 'chatcmpl-', alphabet: base62, length: 29 },
  response: { prefix: 'resp_', alphabet: hex, length: 48 },
  message: { prefix: 'msg_', alphabet: hex, length: 48 },
  'function-call': { prefix: 'fc_', alphabet: hex, length: 48 },
  'function-output': { prefix: 'fco_', alphabet: hex, length: 48 },
  reasoning: { prefix: 'rs_', alphabet: hex, length: 48 },
  call: { prefix: 'call_', alphabet: base62, length: 24 },
  file: { prefix: 'file-', alphabet: base62, length: 22 },
  batch: { prefix: 'batch_', alphabet: hex, length: 32 },
  'batch-request': { prefix: 'batch_req_', alphabet: hex, length: 32 },
  moderation: { prefix: 'modr-', alphabet: base62, length: 20 },
  fingerprint: { prefix: 'fp_', alphabet: hex, length: 10 },
};

/** Hands out identifiers; a fresh factory with the same seed repeats the same ids. */
export interface IdFactory {
  next(kind: IdKind): string;
}

/** Creates a deterministic id factory for a simulator seed. */
export function createIds(seed: number): IdFactory {
  const random = createRandom('ids', seed);
  return {
    next(kind) {
      const shape = shapes[kind];
      const characters = Array.from({ length: shape.length }, () =>
        shape.alphabet.charAt(Math.floor(random.next() * shape.alphabet.length)),
      );
      return `${shape.prefix}${characters.join('')}`;
    },
  };
}
