/**
 * Pushes owed when an embargo lifts. No write happens at that moment, so
 * the write listener cannot see it: after each delivery, the hub reads the
 * state of the subscribed feeds it just pushed and, when one holds an
 * embargoed article, records a due push (`WSDUE` / `<dueMs>#<feed>`). A
 * sweep (Node: a timer; Workers: the cron trigger) delivers the feeds whose
 * time has come, which records their next embargo in turn.
 */
import type { Services } from '../app-env.js';
import { getFeedStates, visibleFeedState } from '../store/feed-state.js';
import { DUE_PUSH_BATCH, deleteDuePush, listDuePushes, putDuePush } from '../store/due-pushes.js';


/** How many due feeds one sweep handles (the next sweep takes the rest). */
export const SWEEP_BATCH = DUE_PUSH_BATCH;

/** Records the next embargo lift of each of `feeds` (feeds that have subscribers) as a due push. */
export async function scheduleEmbargoPushes(s: Services, feeds: string[], nowMs: number): Promise<void> {
  if (!feeds.length) return;
  const states = await getFeedStates(s.db, feeds);
  await Promise.all(
    [...states.values()].map((state) => {
      const next = visibleFeedState(state, nowMs).nextEmbargoMs;
      return next === undefined ? undefined : putDuePush(s.db, state.feed, next);
    }),
  );
}

/**
 * Delivers every feed whose embargo has lifted (the sweep); returns how many
 * feeds were pushed. Due items are removed before delivering (at most once:
 * a crash in between loses that push, and the feed's next write pushes it).
 * Overlapping sweeps in one process are skipped. `deliver` is the hub's deliverChange.
 */
export async function pushDueEmbargoes(s: Services, deliver: (s: Services, feeds: string[]) => Promise<void>): Promise<number> {
  if (s.hub.sweeping) return 0;
  s.hub.sweeping = true;
  try {
    const due = await listDuePushes(s.db, s.clock());
    if (!due.length) return 0;
    await Promise.all(due.map((d) => deleteDuePush(s.db, d.feed, d.dueMs)));
    const feeds = [...new Set(due.map((d) => d.feed))];
    await deliver(s, feeds);
    return feeds.length;
  } finally {
    s.hub.sweeping = false;
  }
}
