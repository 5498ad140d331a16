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

interface Slot {
  key: string;
  job: QueueJob;
  waiters: (() => void)[];
  /** Failed attempts so far in this streak (inherited by a job that replaces a failing one). */
  failures: number;
  state: 'ready' | 'running' | 'sleeping';
  timer?: ReturnType<typeof setTimeout>;
  next?: { job: QueueJob; waiters: (() => void)[] };
  lastSeq: number;
}

const settle = (waiters: (() => void)[]) => {
  for (const w of waiters) w();
};

/** The queue. One per process (Node) or isolate (Workers), kept in `services.local`. */
export class DeliveryQueue {
  private readonly slots = new Map<string, Slot>();
  private readonly ready: Slot[] = [];
  private active = 0;
  private tracked = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly controller = new AbortController();
  private closed = false;
  private sequence = 0;

  constructor(private readonly options: { concurrency: number; retryDelaysMs: number[] }) {}

  /** A number greater than every earlier one: take it just before reading what a job will send. */
  nextSeq(): number {
    return ++this.sequence;
  }

  /** Queues `job`; resolves when it is delivered, superseded by a newer job of its key, or given up. */
  push(job: QueueJob): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const slot = this.slots.get(job.key);
      if (!slot) {
        const created: Slot = { key: job.key, job, waiters: [resolve], failures: 0, state: 'ready', lastSeq: job.seq };
        this.slots.set(job.key, created);
        this.enqueue(created);
        return;
      }
      if (job.seq < slot.lastSeq) return resolve();
      slot.lastSeq = job.seq;
      if (slot.state === 'running') {
        if (slot.next) settle(slot.next.waiters);
        slot.next = { job, waiters: [resolve] };
      } else {
        // Waiting (for a slot or a retry): the newer job takes its place and its retry schedule.
        settle(slot.waiters);
        slot.job = job;
        slot.waiters = [resolve];
      }
    });
  }

  /** Drops the jobs of `key` that have not started (after an unsubscribe). */
  cancel(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    if (slot.next) {
      settle(slot.next.waiters);
      delete slot.next;
    }
    if (slot.state === 'running') return;
    if (slot.timer) clearTimeout(slot.timer);
    settle(slot.waiters);
    this.slots.delete(key);
    const at = this.ready.indexOf(slot);
    if (at >= 0) this.ready.splice(at, 1);
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

  /** Stops: aborts running attempts, forgets waiting jobs and retries, settles every promise. */
  close(): void {
    this.closed = true;
    this.controller.abort(new Error('websub: queue closed'));
    for (const slot of this.slots.values()) {
      if (slot.timer) clearTimeout(slot.timer);
      settle(slot.waiters);
      if (slot.next) settle(slot.next.waiters);
    }
    this.slots.clear();
    this.ready.length = 0;
    settle(this.idleWaiters.splice(0));
  }

  private isIdle() {
    return this.slots.size === 0 && this.tracked === 0;
  }

  private checkIdle() {
    if (this.isIdle()) settle(this.idleWaiters.splice(0));
  }

  private enqueue(slot: Slot) {
    slot.state = 'ready';
    this.ready.push(slot);
    this.pump();
  }

  private pump() {
    while (!this.closed && this.active < this.options.concurrency && this.ready.length) {
      const slot = this.ready.shift()!;
      this.active++;
      slot.state = 'running';
      void this.run(slot).finally(() => {
        this.active--;
        this.pump();
        this.checkIdle();
      });
    }
  }

  private async run(slot: Slot): Promise<void> {
    let outcome: AttemptOutcome;
    try {
      outcome = await slot.job.attempt(this.controller.signal);
    } catch (err) {
      outcome = { ok: false, error: String((err as Error)?.message ?? err) };
    }
    if (this.closed) return;
    if (outcome.ok) {
      settle(slot.waiters);
      return this.advance(slot, 0);
    }
    slot.failures++;
    if (slot.next) {
      // Newer content for a failing subscriber: it replaces the old one and continues its retry streak.
      settle(slot.waiters);
      slot.job = slot.next.job;
      slot.waiters = slot.next.waiters;
      delete slot.next;
    }
    const max = slot.job.maxAttempts ?? this.options.retryDelaysMs.length + 1;
    if (outcome.final || slot.failures >= max) {
      try {
        await slot.job.giveUp(outcome.error, slot.failures);
      } catch {
        /* giveUp must not throw; a failure to record is the job's to log */
      }
      settle(slot.waiters);
      return this.advance(slot, 0);
    }
    const delay = this.options.retryDelaysMs[slot.failures - 1] ?? this.options.retryDelaysMs.at(-1) ?? 0;
    slot.state = 'sleeping';
    slot.timer = setTimeout(() => {
      delete slot.timer;
      if (this.slots.get(slot.key) === slot) this.enqueue(slot);
    }, delay);
    (slot.timer as { unref?: () => void }).unref?.();
  }

  private advance(slot: Slot, failures: number) {
    if (slot.next) {
      slot.job = slot.next.job;
      slot.waiters = slot.next.waiters;
      delete slot.next;
      slot.failures = failures;
      this.enqueue(slot);
    } else {
      this.slots.delete(slot.key);
    }
  }
}
