import { createManualClock, type IntegrationError, type ManualClock } from '@openai-integration/core';
import { errAsync, ok, okAsync, ResultAsync, type Result } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import {
  createCircuitBreaker,
  createMemoryCooldownStore,
  createTransport,
  type CooldownStore,
  type Transport,
  type TransportOptions,
} from '../src/index.ts';
import { createRecordingLogger } from './support/recording-logger.ts';
import { sampleError, unavailable } from './support/sample-errors.ts';

const key = 'chat:gpt-4o';

/** Two transports (two processes, as far as the breakers know) sharing one cooldown store. */
function twoTransports(
  cooldownStore?: CooldownStore,
  clock: ManualClock = createManualClock(),
): {
  clock: ManualClock;
  first: Transport;
  second: Transport;
  store: CooldownStore;
} {
  const store = cooldownStore ?? createMemoryCooldownStore({ clock });
  const options: TransportOptions = {
    clock,
    cooldownStore: store,
    breaker: { consecutiveFailures: 2, openDurationMs: 10_000 },
    retry: { maxRetries: 0 },
  };
  return { clock, first: createTransport(options), second: createTransport(options), store };
}

/** Calls `key`, and the fallback model when its circuit is open (as an application does). */
async function withFallback(
  transport: Transport,
  operation: () => ResultAsync<string, IntegrationError>,
): Promise<Result<string, IntegrationError>> {
  const primary = await transport.execute(operation, { key });
  if (primary.isOk() || primary.error._tag !== 'CircuitOpenError') return primary;
  return await transport.execute(() => okAsync('fallback'), { key: 'chat:gpt-4o-mini' });
}

async function trip(transport: Transport): Promise<void> {
  for (let index = 0; index < 2; index += 1) await transport.execute(() => errAsync(unavailable()), { key });
}

describe('transports sharing a cooldown store', () => {
  it('fail fast in every transport once one trips a key, so calls fall back without a request', async () => {
    const { first, second, store } = twoTransports();
    await trip(first);
    expect(await first.breakers.get(key).state()).toMatchObject({ type: 'open' });
    expect(await store.remaining(key)).toBe(10_000);

    let sent = 0;
    const primary = await second.execute(
      () => {
        sent += 1;
        return okAsync('primary');
      },
      { key },
    );
    expect(primary._unsafeUnwrapErr()).toMatchObject({ _tag: 'CircuitOpenError', key, retryAfterMs: 10_000 });
    expect(primary._unsafeUnwrapErr().message).toContain('cooling down after a trip elsewhere');
    expect(await withFallback(second, () => okAsync('primary'))).toEqual(ok('fallback'));
    expect(sent).toBe(0);
    // Failure counting stays local: the second transport counted nothing.
    expect(await second.breakers.get(key).snapshot()).toMatchObject({ state: { type: 'closed' }, calls: 0 });
  });

  it('lets exactly one of them probe the key when its cooldown ends, then both send again', async () => {
    const { clock, first, second, store } = twoTransports();
    await trip(first);
    await second.execute(() => okAsync('unsent'), { key });
    await clock.advance(10_000);

    let probes = 0;
    const probe = (): ResultAsync<string, IntegrationError> => {
      probes += 1;
      return new ResultAsync(clock.sleep(100).then(() => ok('back')));
    };
    const fromFirst = first.execute(probe, { key });
    const fromSecond = second.execute(probe, { key });
    await clock.flush();
    expect(probes).toBe(1);
    await clock.runAll();
    expect(await fromFirst).toEqual(ok('back'));
    expect((await fromSecond)._unsafeUnwrapErr()).toMatchObject({ _tag: 'CircuitOpenError', retryAfterMs: 1_000 });
    expect((await fromSecond)._unsafeUnwrapErr().message).toContain('probe is running elsewhere');

    expect(await store.remaining(key)).toBe(0);
    expect(await first.breakers.get(key).state()).toEqual({ type: 'closed' });
    expect(await first.execute(() => okAsync('again'), { key })).toEqual(ok('again'));
    expect(await second.execute(() => okAsync('again'), { key })).toEqual(ok('again'));
    expect(await second.execute(() => okAsync('and again'), { key })).toEqual(ok('and again'));
  });

  it('trips the key again for everyone when the probe fails', async () => {
    const { clock, first, second, store } = twoTransports();
    await trip(first);
    await second.execute(() => okAsync('unsent'), { key });
    await clock.advance(10_000);
    // The second transport saw the key down: it may probe, and its probe fails.
    const failed = await second.execute(() => errAsync(unavailable()), { key });
    expect(failed._unsafeUnwrapErr()).toMatchObject({ _tag: 'ServiceUnavailableError' });
    expect(await store.remaining(key)).toBe(10_000);
    const refused = await first.execute(() => okAsync('no'), { key });
    expect(refused._unsafeUnwrapErr()).toMatchObject({ _tag: 'CircuitOpenError', retryAfterMs: 10_000 });
  });

  it('gives the probe back without a verdict when its error says nothing about the service, so the next call probes', async () => {
    const { clock, first, second } = twoTransports();
    await trip(first);
    await second.execute(() => okAsync('unsent'), { key });
    await clock.advance(10_000);
    const rejected = await first.execute(() => errAsync(sampleError('BadRequestError')), { key });
    expect(rejected._unsafeUnwrapErr()).toMatchObject({ _tag: 'BadRequestError' });
    expect(await first.breakers.get(key).state()).toMatchObject({ type: 'half-open', probesInFlight: 0 });
    expect(await second.execute(() => okAsync('probe'), { key })).toEqual(ok('probe'));
    expect(await first.execute(() => okAsync('probe'), { key })).toEqual(ok('probe'));
    expect(await first.breakers.get(key).state()).toEqual({ type: 'closed' });
  });

  it('ends a shared cooldown with a manual reset', async () => {
    const { first, second, store } = twoTransports();
    await trip(first);
    await first.breakers.get(key).reset();
    expect(await store.remaining(key)).toBe(0);
    expect(await second.execute(() => okAsync('sent'), { key })).toEqual(ok('sent'));
  });

  it('works the same with a store that answers asynchronously, and then waits for it before sending', async () => {
    const clock = createManualClock();
    const memory = createMemoryCooldownStore({ clock });
    const asyncStore: CooldownStore = {
      trip: async (name, durationMs) => {
        await Promise.resolve();
        memory.trip(name, durationMs);
      },
      remaining: async (name) => Promise.resolve(memory.remaining(name)),
      claimProbe: async (name, owner, leaseMs) => Promise.resolve(memory.claimProbe(name, owner, leaseMs)),
      releaseProbe: async (name, owner, outcome) => {
        await Promise.resolve();
        memory.releaseProbe(name, owner, outcome);
      },
    };
    const { first, second } = twoTransports(asyncStore, clock);
    await trip(first);
    let sent = 0;
    const pending = second.execute(
      () => {
        sent += 1;
        return okAsync('primary');
      },
      { key },
    );
    expect(sent).toBe(0);
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ _tag: 'CircuitOpenError', retryAfterMs: 10_000 });
    expect(sent).toBe(0);
    await clock.advance(10_000);
    expect(await first.execute(() => okAsync('probe'), { key })).toEqual(ok('probe'));
    expect(await second.execute(() => okAsync('probe'), { key })).toEqual(ok('probe'));
  });

  it('sends attempt 1 before execute returns when every policy answers at once (the in-memory stores)', async () => {
    const { first } = twoTransports();
    let sent = 0;
    const pending = first.execute(
      () => {
        sent += 1;
        return okAsync('at once');
      },
      { key },
    );
    expect(sent).toBe(1);
    expect(await pending).toEqual(ok('at once'));
  });

  it('lets the local circuit decide, with a warning that names no detail of the failure, when the store fails', async () => {
    const clock = createManualClock();
    const logger = createRecordingLogger();
    const broken: CooldownStore = {
      trip: () => {
        throw new Error('redis://user:secret@host is down');
      },
      remaining: () => Promise.reject(new Error('redis://user:secret@host is down')),
      claimProbe: () => {
        throw new Error('down');
      },
      releaseProbe: () => Promise.reject(new Error('down')),
    };
    const breaker = createCircuitBreaker({
      key,
      clock,
      logger,
      cooldownStore: broken,
      consecutiveFailures: 1,
      openDurationMs: 1_000,
    });
    expect(await breaker.execute(() => okAsync(1))).toEqual(ok(1));
    expect((await breaker.execute(() => errAsync(unavailable())))._unsafeUnwrapErr()._tag).toBe(
      'ServiceUnavailableError',
    );
    expect((await breaker.execute(() => okAsync(2)))._unsafeUnwrapErr()._tag).toBe('CircuitOpenError');
    await clock.advance(1_000);
    expect(await breaker.execute(() => okAsync(3))).toEqual(ok(3));
    await breaker.reset();
    const warnings = logger.lines.filter((line) => line.level === 'warn' && line.message.includes('cooldown store'));
    expect(warnings.map((line) => line.fields['operation'])).toEqual(
      expect.arrayContaining(['remaining', 'trip', 'claimProbe', 'releaseProbe']),
    );
    expect(JSON.stringify(logger.lines)).not.toContain('secret');
  });

  it('throws a TypeError for a probe lease that is not a positive finite number', () => {
    expect(() => createCircuitBreaker({ probeLeaseMs: 0 })).toThrow('probeLeaseMs is out of range: 0');
    expect(() => createTransport({ breaker: { probeLeaseMs: Number.POSITIVE_INFINITY } })).toThrow(TypeError);
  });
});
