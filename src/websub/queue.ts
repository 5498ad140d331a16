/**
 * The hub's in-process work queue (runtime-free: timers and promises only).
 * Bounded concurrency; jobs with the same key (one subscriber of one topic)
 * run one at a time and in order, and a job waiting behind another is
 * replaced by a newer one (the latest feed content wins; a slow subscriber
 * never accumulates a backlog). Failed attempts are retried after the
 * configured delays without holding a slot; when they run out the job is
 * given up (and recorded by the job). Every push returns a promise that
 * settles when its job is done, superseded or given up: Workers hand it to
 * `waitUntil`, Node lets it run detached.
 *
 * Nothing here is shared between the requests that push jobs: each job runs
 * in its own async runner, started by its push, and every attempt gets an
 * AbortController made by that runner. Where one job hands over to another
 * (a slot freed, a newer job behind a running one) it only resolves a
 * promise the other runner created, so the other job's fetches are made in
 * the context of the request that pushed it (workerd refuses I/O objects of
 * another request, and runs a promise's continuations in the request that
 * created it).
 */

/** The result of one attempt. `final` failures are not retried. */
export type AttemptOutcome = { ok: true } | { ok: false; error: string; final?: boolean };

/** A unit of work. */
export interface QueueJob {
  /** Jobs with the same key run one at a time; a waiting one is replaced by a newer one. */
  key: string;
  /** Order of jobs of one key (content fetch order): a job older than one already accepted is dropped. */
  seq: number;
  /** Attempts at most (default: one more than the retry delays). */
  maxAttempts?: number;
  attempt(signal: AbortSignal): Promise<AttemptOutcome>;
  /** Called once when the job is dropped after its attempts; must not throw. */
  giveUp(error: string, attempts: number): Promise<void>;
}

/** The retry schedule: `baseMs`, doubling, while the total wait stays within `forMs` (deterministic). */
export function retryDelays(baseMs: number, forMs: number, maxDelayMs = 15 * 60_000): number[] {
  const out: number[] = [];
  if (baseMs <= 0) return out;
  let total = 0;
  for (let d = baseMs; total + Math.min(d, maxDelayMs) <= forMs && out.length < 64; d *= 2) {
    out.push(Math.min(d, maxDelayMs));
    total += Math.min(d, maxDelayMs);
  }
  return out;
}

/** One pushed job and its runner's state. */
interface Ticket {
  job: QueueJob;
  resolve: () => void;
  settled: boolean;
  /** behind: waits for a running job of its key; handoff: was handed the key, its runner not resumed yet. */
  phase: 'behind' | 'handoff' | 'sleeping' | 'queued' | 'running';
  /** Wakes the runner from whatever it awaits (a promise the runner created). */
  wake?: (value: AttemptOutcome | boolean | undefined) => void;
  /** Granted a slot before its runner waited for one. */
  granted?: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/** The jobs of one key: the one holding the key, and at most one newer one behind it. */
interface KeyState {
  holder: Ticket;
  next?: Ticket;
  /** Failed attempts so far in this streak (inherited by a job that replaces a failing one). */
  failures: number;
  /** When the holder's retry is due (a job taking over a sleeping one sleeps the rest). */
  sleepUntil: number;
  /** How the job before the holder ended (read by the holder's runner after a hand-over). */
  prior?: AttemptOutcome;
  lastSeq: number;
}

/** What the queue is doing, for limits and tests. */
export interface QueueStats {
  /** Keys with a job queued, running or waiting for a retry. */
  keys: number;
  running: number;
}

/** The queue. One per process (Node) or isolate (Workers), kept in `services.hub`. */
export class DeliveryQueue {
  private readonly keys = new Map<string, KeyState>();
  private readonly waiting: Ticket[] = [];
  private readonly inFlight = new Set<AbortController>();
  private active = 0;
  private tracked = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private sequence = 0;

  /** Jobs refused because `maxKeys` keys were already waiting (each was given up, and so recorded by its job). */
  overflowed = 0;

  constructor(private readonly options: { concurrency: number; retryDelaysMs: number[]; maxKeys?: number }) {}

  /** A number greater than every earlier one: take it just before reading what a job will send. */
  nextSeq(): number {
    return ++this.sequence;
  }

  /** Keys in the queue and attempts running. */
  stats(): QueueStats {
    return { keys: this.keys.size, running: this.active };
  }

  /** Queues `job`; resolves when it is delivered, superseded by a newer job of its key, or given up. */
  push(job: QueueJob): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const t: Ticket = { job, resolve, settled: false, phase: 'queued' };
      const st = this.keys.get(job.key);
      if (!st && this.keys.size >= (this.options.maxKeys ?? Infinity)) {
        // Bounded: a job for a new key beyond the bound is given up at once (its giveUp records it), never held.
        this.overflowed++;
        void this.track(job.giveUp('the hub queue is full', 0).catch(() => {})).then(() => resolve());
        return;
      }
      if (!st) {
        this.keys.set(job.key, { holder: t, failures: 0, sleepUntil: 0, lastSeq: job.seq });
        void this.run(t, {});
        return;
      }
      if (job.seq < st.lastSeq) return resolve();
      st.lastSeq = job.seq;
      const old = st.holder;
      if (old.phase === 'running') {
        if (st.next) this.supersede(st.next);
        t.phase = 'behind';
        st.next = t;
        void this.run(t, {});
        return;
      }
      // Waiting (for a slot or a retry): the newer job takes its place, its queue position and its retry schedule.
      st.holder = t;
      t.phase = old.phase;
      if (old.phase === 'queued') {
        const at = this.waiting.indexOf(old);
        if (at >= 0) this.waiting[at] = t;
      }
      this.supersede(old);
      void this.run(t, old.phase === 'sleeping' ? { resumeSleep: true } : old.phase === 'handoff' ? { prior: st.prior } : {});
    });
  }

  /** Drops the jobs of `key` that have not started (after an unsubscribe). */
  cancel(key: string): void {
    const st = this.keys.get(key);
    if (!st) return;
    if (st.next) {
      this.supersede(st.next);
      delete st.next;
    }
    if (st.holder.phase === 'running') return;
    this.remove(st.holder);
    this.supersede(st.holder);
    this.keys.delete(key);
    this.checkIdle();
  }

  /** Counts `task` as work in progress (for `idle`); returns it. */
  track<T>(task: Promise<T>): Promise<T> {
    this.tracked++;
    const done = () => {
      this.tracked--;
      this.checkIdle();
    };
    task.then(done, done);
    return task;
  }

  /** Resolves when nothing is queued, running, waiting for a retry or tracked. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops (Node shutdown): aborts running attempts, forgets waiting jobs and retries, settles every promise. */
  close(): void {
    this.closed = true;
    for (const c of this.inFlight) c.abort(new Error('websub: queue closed'));
    for (const st of this.keys.values()) {
      if (st.holder.timer) clearTimeout(st.holder.timer);
      this.supersede(st.holder);
      if (st.next) this.supersede(st.next);
    }
    this.keys.clear();
    this.waiting.length = 0;
    settleAll(this.idleWaiters.splice(0));
  }

  /** Nothing queued, running, waiting for a retry or tracked. */
  isIdle(): boolean {
    return this.keys.size === 0 && this.tracked === 0;
  }

  private checkIdle() {
    if (this.isIdle()) settleAll(this.idleWaiters.splice(0));
  }

  /** Settles a job that will not run (again) and wakes its runner so it ends. */
  private supersede(t: Ticket) {
    if (t.settled) return;
    t.settled = true;
    t.resolve();
    t.wake?.(false);
  }

  private remove(t: Ticket) {
    const at = this.waiting.indexOf(t);
    if (at >= 0) this.waiting.splice(at, 1);
  }

  /** Waits for whatever wakes `t`; the promise is made here, in the runner's own context. */
  private sleepUntilWoken<T extends AttemptOutcome | boolean | undefined>(t: Ticket): Promise<T> {
    return new Promise<T>((resolve) => (t.wake = resolve as (v: unknown) => void));
  }

  /** Resolves true when `t` holds a slot, false when it was superseded or the queue closed. */
  private acquire(t: Ticket): Promise<boolean> | boolean {
    t.phase = 'queued';
    if (t.granted) return true;
    if (!this.waiting.includes(t)) {
      if (this.active < this.options.concurrency && this.waiting.length === 0) {
        this.active++;
        return true;
      }
      this.waiting.push(t);
    }
    return this.sleepUntilWoken<boolean>(t);
  }

  private release() {
    this.active--;
    while (!this.closed && this.active < this.options.concurrency && this.waiting.length) {
      const t = this.waiting.shift()!;
      this.active++;
      t.granted = true;
      t.wake?.(true);
    }
  }

  private async run(t: Ticket, start: { resumeSleep?: boolean; prior?: AttemptOutcome | undefined }): Promise<void> {
    const key = t.job.key;
    let prior = start.prior;
    if (t.phase === 'behind') {
      const woken = await this.sleepUntilWoken<boolean>(t);
      if (!woken || t.settled) return;
      prior = this.keys.get(key)?.prior;
    }
    let resumeSleep = start.resumeSleep ?? false;
    for (;;) {
      const st = this.keys.get(key);
      if (t.settled || !st || st.holder !== t) return;
      if (prior && !prior.ok) {
        const max = t.job.maxAttempts ?? this.options.retryDelaysMs.length + 1;
        if (prior.final || st.failures >= max) {
          try {
            await t.job.giveUp(prior.error, st.failures);
          } catch {
            /* giveUp must not throw; a failure to record is the job's to log */
          }
          st.failures = 0;
          return this.finish(t, { ok: true });
        }
        const delay = this.options.retryDelaysMs[st.failures - 1] ?? this.options.retryDelaysMs.at(-1) ?? 0;
        st.sleepUntil = Date.now() + delay;
        resumeSleep = true;
      }
      if (resumeSleep) {
        resumeSleep = false;
        t.phase = 'sleeping';
        const wait = Math.max(0, st.sleepUntil - Date.now());
        const woken = new Promise<unknown>((resolve) => {
          t.wake = resolve;
          t.timer = setTimeout(resolve, wait);
          (t.timer as { unref?: () => void }).unref?.();
        });
        await woken;
        delete t.timer;
        if (t.settled || this.closed) return;
      }
      // A free slot is taken at once (no await), so the job runs before a push that follows it can replace it.
      const got = this.acquire(t);
      const granted = typeof got === 'boolean' ? got : await got;
      t.granted = false;
      if (!granted || t.settled || this.closed) {
        if (granted) this.release();
        return;
      }
      t.phase = 'running';
      const controller = new AbortController();
      this.inFlight.add(controller);
      let outcome: AttemptOutcome;
      try {
        outcome = await t.job.attempt(controller.signal);
      } catch (err) {
        outcome = { ok: false, error: String((err as Error)?.message ?? err) };
      }
      this.inFlight.delete(controller);
      this.release();
      if (this.closed) return;
      if (outcome.ok) {
        st.failures = 0;
        return this.finish(t, outcome);
      }
      st.failures++;
      // Newer content for a failing subscriber: it replaces the old one and continues its retry streak.
      if (st.next) return this.finish(t, outcome);
      prior = outcome;
    }
  }

  /** Settles `t` and hands the key to the job behind it (woken with how `t` ended), or frees the key. */
  private finish(t: Ticket, outcome: AttemptOutcome) {
    this.supersede(t);
    const st = this.keys.get(t.job.key);
    if (st?.holder === t) {
      if (st.next) {
        const n = st.next;
        delete st.next;
        st.holder = n;
        st.prior = outcome;
        n.phase = 'handoff';
        n.wake?.(true);
      } else {
        this.keys.delete(t.job.key);
      }
    }
    this.checkIdle();
  }
}

const settleAll = (waiters: (() => void)[]) => {
  for (const w of waiters) w();
};
