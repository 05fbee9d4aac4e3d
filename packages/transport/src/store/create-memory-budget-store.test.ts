import { toRateLimitSnapshot, type RateLimitSnapshot } from '@openai-integration/core';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '@openai-integration/core';
import type { BudgetReservation, BudgetTicket } from './budget-store.ts';
import { createMemoryBudgetStore } from './create-memory-budget-store.ts';

const snapshot = (headers: Record<string, string>, now: number): RateLimitSnapshot =>
  toRateLimitSnapshot(new Headers(headers), now)!;
const one = { requests: 1, tokens: 0 } as const;

const granted = (reservation: BudgetReservation): BudgetTicket => {
  if (reservation.type !== 'granted') throw new Error(`expected a grant, got ${JSON.stringify(reservation)}`);
  return reservation.ticket;
};

describe('createMemoryBudgetStore', () => {
  it('grants everything at once while nothing is known, and holds no figures for the key', () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock });
    for (let call = 0; call < 100; call += 1)
      expect(store.reserve('k', { requests: 1, tokens: 1_000_000 }, 0)).toMatchObject({
        type: 'granted',
        waitMs: 0,
        reason: null,
      });
    expect(store.inspect('k')).toBeUndefined();
  });

  it('refills continuously: with nothing left, one request comes back after window / limit, not at the full reset', () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock, limitsFor: () => ({ requests: 60 }) });
    for (let call = 0; call < 60; call += 1)
      expect(store.reserve('k', one, 0)).toMatchObject({ type: 'granted', waitMs: 0 });
    expect(store.reserve('k', one, 0)).toEqual({ type: 'refused', waitMs: 1_000, reason: 'requests' });
    expect(store.inspect('k')?.requests).toEqual({ limit: 60, remaining: 0, resetAt: 60_000, windowMs: 60_000 });
  });

  it('queues grants one after the other at the refill rate, first come first served', () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock, limitsFor: () => ({ requests: 60 }) });
    store.observe('k', snapshot({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0' }, 0));
    const waits = [1, 2, 3, 4].map(() => store.reserve('k', one, 10_000));
    expect(waits.map((each) => (each.type === 'granted' ? each.waitMs : -1))).toEqual([1_000, 2_000, 3_000, 4_000]);
    expect(store.inspect('k')).toMatchObject({ queued: 4, inFlight: 0, requests: { remaining: -4 } });
    // One that would come fifth but may wait only 4.5 s is refused, and takes nothing.
    expect(store.reserve('k', one, 4_500)).toEqual({ type: 'refused', waitMs: 5_000, reason: 'requests' });
    expect(store.inspect('k')).toMatchObject({ queued: 4 });
  });

  it('waits for the estimated tokens only, and settles the estimate against the usage reported', () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock, limitsFor: () => ({ tokens: 6_000 }) });
    const first = granted(store.reserve('k', { requests: 1, tokens: 5_000 }, 0));
    // 1,000 tokens left; 3,000 more come back in 30 s.
    expect(store.reserve('k', { requests: 1, tokens: 4_000 }, 0)).toEqual({
      type: 'refused',
      waitMs: 30_000,
      reason: 'tokens',
    });
    store.settle(first, { charged: true, usedTokens: 1_000, snapshot: null });
    expect(store.reserve('k', { requests: 1, tokens: 4_000 }, 0)).toMatchObject({ type: 'granted', waitMs: 0 });
  });

  it('refuses a demand larger than the whole bucket, which no wait can serve', () => {
    const store = createMemoryBudgetStore({ limitsFor: () => ({ requests: 5, tokens: 1_000 }) });
    expect(store.reserve('k', { requests: 1, tokens: 1_001 }, 60_000)).toEqual({
      type: 'too-large',
      unit: 'tokens',
      limit: 1_000,
    });
    expect(store.reserve('k', { requests: 6, tokens: 0 }, 60_000)).toEqual({
      type: 'too-large',
      unit: 'requests',
      limit: 5,
    });
  });

  it('corrects the buckets from the figures of each answer, within what its own calls taken since may have kept from them', () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock });
    const headers = (remaining: number) =>
      snapshot(
        { 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': String(remaining) },
        clock.now(),
      );
    const settle = (ticket: BudgetTicket, remaining: number | null) => {
      store.settle(ticket, {
        charged: true,
        usedTokens: null,
        snapshot: remaining === null ? null : headers(remaining),
      });
    };
    // Ten calls sent before anything was known; the first answer counted only itself.
    const tickets = Array.from({ length: 10 }, () => granted(store.reserve('k', one, 0)));
    settle(tickets[0]!, 99);
    // The nine sent after it may not have been counted, nor have those in flight: assume the worst.
    expect(store.inspect('k')?.requests.remaining).toBe(81);
    for (const ticket of tickets.slice(1, 9)) settle(ticket, null);
    // The answer to the last call, with nothing else in flight, has counted everything: the level comes up to it.
    settle(tickets[9]!, 90);
    expect(store.inspect('k')?.requests.remaining).toBe(90);
    // Another process took 40: the server's figure wins.
    settle(granted(store.reserve('k', one, 0)), 49);
    expect(store.inspect('k')?.requests.remaining).toBe(49);
    // A slow answer: its figure was counted before the 20 calls sent and answered since, so it does not bring them back.
    const slow = granted(store.reserve('k', one, 0));
    for (let call = 0; call < 20; call += 1) settle(granted(store.reserve('k', one, 0)), null);
    settle(slow, 48);
    expect(store.inspect('k')).toMatchObject({ inFlight: 0, requests: { remaining: 28 } });
    // Figures that came outside a reservation cannot be placed among its calls: they only ever lower the level.
    store.observe('k', headers(80));
    expect(store.inspect('k')?.requests.remaining).toBe(28);
    store.observe('k', headers(10));
    expect(store.inspect('k')?.requests.remaining).toBe(10);
  });

  it('learns the window from the reset time (the time until the bucket is full), a little long rather than short', () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock });
    store.observe(
      'k',
      snapshot(
        {
          'x-ratelimit-limit-requests': '101',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '10s',
        },
        0,
      ),
    );
    // 101 missing (at most) refill in 10 s: 100 taken as missing gives a window of 10.1 s.
    expect(store.inspect('k')?.requests.windowMs).toBe(10_100);
    expect(store.reserve('k', one, 0)).toEqual({ type: 'refused', waitMs: 100, reason: 'requests' });
    // A bucket almost full says too little to learn from: the window stays.
    store.observe(
      'k',
      snapshot(
        {
          'x-ratelimit-limit-requests': '101',
          'x-ratelimit-remaining-requests': '99',
          'x-ratelimit-reset-requests': '1ms',
        },
        1,
      ),
    );
    expect(store.inspect('k')?.requests.windowMs).toBe(10_100);
  });

  it('counts down a bucket of unknown size until the server says it is full, then knows nothing again', () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock });
    store.observe('k', snapshot({ 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-reset-requests': '5s' }, 0));
    expect(store.reserve('k', one, 0)).toMatchObject({ type: 'granted', waitMs: 0 });
    expect(store.reserve('k', one, 10_000)).toMatchObject({ type: 'granted', waitMs: 5_000, reason: 'requests' });
    expect(store.inspect('k')?.requests).toEqual({ limit: null, remaining: -1, resetAt: 5_000, windowMs: 60_000 });
  });

  it('keeps a learned size when a later snapshot changes it, adding the difference', () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock, limitsFor: () => ({ requests: 10 }) });
    granted(store.reserve('k', one, 0));
    store.observe('k', snapshot({ 'x-ratelimit-limit-requests': '20' }, 0));
    expect(store.inspect('k')?.requests).toMatchObject({ limit: 20, remaining: 19 });
    store.observe('k', snapshot({ 'x-ratelimit-limit-tokens': '1000' }, 0));
    expect(store.inspect('k')?.tokens).toMatchObject({ limit: 1_000, remaining: 1_000 });
  });

  it('gives the whole share back for a call that was not charged', () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock, limitsFor: () => ({ requests: 1, tokens: 100 }) });
    const ticket = granted(store.reserve('k', { requests: 1, tokens: 80 }, 0));
    expect(store.reserve('k', one, 0)).toMatchObject({ type: 'refused' });
    store.settle(ticket, { charged: false, usedTokens: null, snapshot: null });
    expect(store.inspect('k')).toMatchObject({ inFlight: 0, requests: { remaining: 1 }, tokens: { remaining: 100 } });
    // A settle for a key that is gone does nothing.
    store.settle({ ...ticket, key: 'gone' }, { charged: false, usedTokens: null, snapshot: null });
  });

  it('ignores a snapshot older than the last one', () => {
    const clock = createManualClock(10_000);
    const store = createMemoryBudgetStore({ clock });
    store.observe('k', snapshot({ 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '5' }, 10_000));
    store.observe('k', snapshot({ 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0' }, 9_000));
    expect(store.inspect('k')).toMatchObject({ observedAt: 10_000, requests: { remaining: 5 } });
  });

  it('pauses a key, and after the pause lets the queued calls go one by one at the refill rate', () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock, limitsFor: () => ({ requests: 60 }) });
    store.observe('k', snapshot({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0' }, 0));
    const queued = [1, 2, 3].map(() => granted(store.reserve('k', one, 60_000)));
    expect(queued.map((ticket) => store.delayOf(ticket))).toEqual([1_000, 2_000, 3_000]);
    store.pause('k', 5_000);
    // The pause ends at 5 s with one request for the first; the others follow at the refill rate.
    expect(queued.map((ticket) => store.delayOf(ticket))).toEqual([5_000, 6_000, 7_000]);
    expect(store.reserve('k', one, 60_000)).toMatchObject({ waitMs: 8_000, reason: 'requests' });
    expect(store.inspect('k')).toMatchObject({ pausedUntil: 5_000, queued: 4 });
    // A shorter pause does not shorten it.
    store.pause('k', 1_000);
    expect(store.delayOf(queued[0]!)).toBe(5_000);
    store.pause('k', 0);
    expect(store.delayOf({ ...queued[0]!, key: 'gone' })).toBe(0);
  });

  it('moves calls queued on a bucket of unknown size to the end of a pause', () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock });
    store.observe('k', snapshot({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' }, 0));
    const ticket = granted(store.reserve('k', one, 60_000));
    store.pause('k', 3_000);
    expect(store.delayOf(ticket)).toBe(3_000);
    // The same ticket handed back as a copy (a shared store's way) is still found.
    expect(store.delayOf(JSON.parse(JSON.stringify(ticket)) as BudgetTicket)).toBe(3_000);
    store.settle(JSON.parse(JSON.stringify(ticket)) as BudgetTicket, {
      charged: false,
      usedTokens: null,
      snapshot: null,
    });
    expect(store.inspect('k')?.queued).toBe(0);
  });

  it('moves queued calls to in flight when their time comes', async () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock, limitsFor: () => ({ requests: 60 }) });
    for (let call = 0; call < 60; call += 1) granted(store.reserve('k', one, 0));
    const later = granted(store.reserve('k', one, 60_000));
    expect(store.inspect('k')).toMatchObject({ queued: 1, inFlight: 60 });
    await clock.advance(1_000);
    expect(store.delayOf(later)).toBe(0);
    expect(store.inspect('k')).toMatchObject({ queued: 0, inFlight: 61 });
    store.settle(later, { charged: true, usedTokens: null, snapshot: null });
    expect(store.inspect('k')).toMatchObject({ inFlight: 60 });
  });

  it('keeps at most maxKeys keys, dropping first those whose buckets are full again', async () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock, maxKeys: 3, limitsFor: () => ({ requests: 10 }) });
    const busy = granted(store.reserve('busy', one, 0));
    store.observe(
      'observed',
      snapshot({ 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '9' }, 0),
    );
    store.settle(granted(store.reserve('settled', one, 0)), { charged: true, usedTokens: null, snapshot: null });
    await clock.advance(6_000);
    // 'observed' and 'settled' are full again: a fourth key drops them, not the busy one.
    store.reserve('fourth', one, 0);
    expect(store.size()).toBe(2);
    expect([store.inspect('observed'), store.inspect('settled')]).toEqual([undefined, undefined]);
    expect(store.inspect('busy')).toMatchObject({ inFlight: 1 });
    // With no idle key left, the oldest goes, busy or not.
    store.reserve('fifth', one, 0);
    store.reserve('sixth', one, 0);
    expect(store.size()).toBe(3);
    expect(store.inspect('busy')).toBeUndefined();
    expect(store.inspect('fourth')).toMatchObject({ inFlight: 1 });
    store.settle(busy, { charged: true, usedTokens: null, snapshot: null });
  });

  it('forgets keys whose buckets are full again once a minute has passed', async () => {
    const clock = createManualClock();
    const store = createMemoryBudgetStore({ clock });
    for (let index = 0; index < 50; index += 1)
      store.observe(
        `model-${index}`,
        snapshot({ 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '99' }, 0),
      );
    expect(store.size()).toBe(50);
    await clock.advance(60_000);
    store.reserve('another', one, 0);
    expect(store.size()).toBe(1);
  });

  it('throws a TypeError for a window or key bound below 1', () => {
    expect(() => createMemoryBudgetStore({ windowMs: 0 })).toThrow(TypeError);
    expect(() => createMemoryBudgetStore({ maxKeys: 0 })).toThrow(TypeError);
    expect(() => createMemoryBudgetStore({ maxKeys: 1.5 })).toThrow(TypeError);
  });
});
