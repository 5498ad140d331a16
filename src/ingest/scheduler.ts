/**
 * The source scheduler: finds the sources whose time has come (one Query
 * of the due index) and fetches each, a few at a time; a failing source
 * backs off on its own and never stops the others. Node runs it on an
 * interval (src/server/sources-node.ts), Workers on the cron trigger.
 */
import type { Background, Services } from '../app-env.js';
import { dropDueItem, dueSources, getSource } from '../store/sources.js';
import { pollSource } from './source-poll.js';

const CONCURRENCY = 4;

/** Polls every source due at `s.clock()`; resolves to what each poll ended as. */
export async function runDueSources(s: Services, background: Background): Promise<{ id: string; status: string }[]> {
  const due = await dueSources(s.db, s.clock());
  const outcomes: { id: string; status: string }[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < due.length; i = next++) {
      const { id, dueMs } = due[i]!;
      try {
        const record = await getSource(s.db, id);
        if (!record || record.state.nextDueMs !== dueMs) {
          await dropDueItem(s.db, dueMs, id);
          continue;
        }
        const after = await pollSource(s, record, background);
        outcomes.push({ id, status: after.state.status });
      } catch (err) {
        // The store itself failed: this source is tried again at the next tick.
        outcomes.push({ id, status: `error: ${(err as Error).message}` });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker));
  return outcomes.sort((a, b) => (a.id < b.id ? -1 : 1));
}
