/** Recovery of interrupted writes: replays intents left by a crash (see article-writes.ts). */
import type { Db } from './db.js';
import { replayIntent } from './article-writes.js';
import { listIntents } from './intents.js';

/** Intents younger than this may belong to a write still in progress. */
export const INTENT_GRACE_MS = 10_000;

/** Replays every intent older than the grace period; returns how many were replayed. */
export async function recoverPendingWrites(db: Db, nowMs: number, graceMs = INTENT_GRACE_MS): Promise<number> {
  let replayed = 0;
  for (;;) {
    const intents = await listIntents(db, nowMs - graceMs);
    if (!intents.length) return replayed;
    for (const intent of intents) {
      await replayIntent(db, intent, nowMs);
      replayed++;
    }
  }
}
