/**
 * The hub's delivery queue with real timers: one job at a time per
 * subscriber with the newest content winning (no backlog behind a slow
 * subscriber), retries on the deterministic schedule and then one give-up,
 * a newer job taking over a failing one's retries, bounded concurrency,
 * cancellation after an unsubscribe, and close() aborting what runs.
 */
import { describe, expect, it } from 'vitest';
import { DeliveryQueue, retryDelays, type AttemptOutcome, type QueueJob } from '../src/websub/queue.js';

/** A job whose attempts are scripted; each attempt is recorded by name. */
function job(log: string[], key: string, seq: number, name: string, outcomes: (AttemptOutcome | Promise<AttemptOutcome>)[], gaveUp: string[] = []): QueueJob {
  let i = 0;
  return {
    key,
    seq,
    attempt: async () => {
      log.push(name);
      return outcomes[Math.min(i++, outcomes.length - 1)]!;
    },
    giveUp: async (error, attempts) => void gaveUp.push(`${name}:${error}:${attempts}`),
  };
}

function gate() {
  let open!: () => void;
  const opened = new Promise<AttemptOutcome>((resolve) => (open = () => resolve({ ok: true })));
  return { opened, open };
}

describe('the delivery queue', () => {
  it('computes the retry schedule from the base delay and the retry window', () => {
    expect(retryDelays(50, 400)).toEqual([50, 100, 200]);
    expect(retryDelays(2_000, 600_000)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000]);
    expect(retryDelays(1_000, 100)).toEqual([]);
    expect(retryDelays(0, 600_000)).toEqual([]);
  });

  it('runs jobs of one key one at a time, dropping a waiting job for a newer one', async () => {
    const q = new DeliveryQueue({ concurrency: 4, retryDelaysMs: [] });
    const log: string[] = [];
    const g = gate();
    const a = q.push(job(log, 'k', q.nextSeq(), 'A', [g.opened]));
    const b = q.push(job(log, 'k', q.nextSeq(), 'B', [{ ok: true }]));
    const c = q.push(job(log, 'k', q.nextSeq(), 'C', [{ ok: true }]));
    const stale = q.push(job(log, 'k', 1, 'stale', [{ ok: true }]));
    await b; // superseded by C while A ran
    await stale; // older than C: dropped
    expect(log).toEqual(['A']);
    g.open();
    await Promise.all([a, c, q.idle()]);
    expect(log).toEqual(['A', 'C']);
  });

  it('retries on schedule, succeeds without giving up, or gives up once after the last attempt', async () => {
    const q = new DeliveryQueue({ concurrency: 4, retryDelaysMs: [10, 20, 40] });
    const log: string[] = [];
    const gaveUp: string[] = [];
    const fail: AttemptOutcome = { ok: false, error: 'HTTP 500' };
    await q.push(job(log, 'a', q.nextSeq(), 'ok-third', [fail, fail, { ok: true }], gaveUp));
    await q.push(job(log, 'b', q.nextSeq(), 'never', [fail], gaveUp));
    await q.push(job(log, 'c', q.nextSeq(), 'refused', [{ ok: false, error: 'callback refused', final: true }], gaveUp));
    expect(log).toEqual(['ok-third', 'ok-third', 'ok-third', 'never', 'never', 'never', 'never', 'refused']);
    expect(gaveUp).toEqual(['never:HTTP 500:4', 'refused:callback refused:1']);
  });

  it('lets newer content take over a failing delivery, keeping its retry count', async () => {
    const q = new DeliveryQueue({ concurrency: 4, retryDelaysMs: [30, 30] });
    const log: string[] = [];
    const gaveUp: string[] = [];
    const fail: AttemptOutcome = { ok: false, error: 'HTTP 503' };
    const old = q.push(job(log, 'k', q.nextSeq(), 'old', [fail], gaveUp));
    await new Promise((r) => setTimeout(r, 5)); // old has failed once and sleeps
    const newer = q.push(job(log, 'k', q.nextSeq(), 'new', [fail], gaveUp));
    await old;
    await newer;
    expect(log).toEqual(['old', 'new', 'new']);
    expect(gaveUp).toEqual(['new:HTTP 503:3']);
  });

  it('runs at most `concurrency` attempts at once', async () => {
    const q = new DeliveryQueue({ concurrency: 2, retryDelaysMs: [] });
    const log: string[] = [];
    const gates = [gate(), gate(), gate()];
    const done = gates.map((g, i) => q.push(job(log, `k${i}`, q.nextSeq(), `J${i}`, [g.opened])));
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(['J0', 'J1']);
    gates[1]!.open();
    await done[1];
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(['J0', 'J1', 'J2']);
    gates[0]!.open();
    gates[2]!.open();
    await q.idle();
  });

  it('cancels waiting work of a key, and close() aborts running attempts and settles everything', async () => {
    const q = new DeliveryQueue({ concurrency: 1, retryDelaysMs: [] });
    const log: string[] = [];
    let aborted = false;
    const running = q.push({
      key: 'busy',
      seq: q.nextSeq(),
      attempt: (signal) => new Promise((resolve) => signal.addEventListener('abort', () => ((aborted = true), resolve({ ok: false, error: 'aborted' })))),
      giveUp: async () => void log.push('gave up'),
    });
    const waiting = q.push(job(log, 'later', q.nextSeq(), 'later', [{ ok: true }]));
    q.cancel('later');
    await waiting;
    q.close();
    await running;
    await q.idle();
    expect([aborted, log]).toEqual([true, []]);
  });

  it('gives every attempt a signal of its own (nothing shared between the requests that push jobs)', async () => {
    const q = new DeliveryQueue({ concurrency: 2, retryDelaysMs: [1] });
    const signals: AbortSignal[] = [];
    const record = (key: string, outcomes: AttemptOutcome[]): QueueJob => {
      let i = 0;
      return { key, seq: q.nextSeq(), attempt: async (signal) => (signals.push(signal), outcomes[i++]!), giveUp: async () => {} };
    };
    await Promise.all([q.push(record('a', [{ ok: false, error: 'HTTP 500' }, { ok: true }])), q.push(record('b', [{ ok: true }]))]);
    expect(signals.length).toBe(3);
    expect(new Set(signals).size).toBe(3);
    expect(signals.map((s) => s.aborted)).toEqual([false, false, false]);
  });

  it('hands a failing running job\'s retry streak to the newer job waiting behind it', async () => {
    const q = new DeliveryQueue({ concurrency: 4, retryDelaysMs: [10] });
    const log: string[] = [];
    const gaveUp: string[] = [];
    let fail!: () => void;
    const failing = new Promise<AttemptOutcome>((resolve) => (fail = () => resolve({ ok: false, error: 'HTTP 503' })));
    const old = q.push(job(log, 'k', q.nextSeq(), 'old', [failing], gaveUp));
    const newer = q.push(job(log, 'k', q.nextSeq(), 'new', [{ ok: false, error: 'HTTP 502' }], gaveUp));
    fail();
    await Promise.all([old, newer, q.idle()]);
    // One attempt of each: the newer one's attempt is the streak's second and last.
    expect([log, gaveUp]).toEqual([['old', 'new'], ['new:HTTP 502:2']]);
  });
});
