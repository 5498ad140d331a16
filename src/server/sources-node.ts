/**
 * Node's source scheduler: every WARTA_SOURCES_TICK_MS (default a minute)
 * the due sources are fetched (src/ingest/scheduler.ts); a tick never
 * overlaps the previous one. Workers run the same function from the cron
 * trigger instead.
 */
import type { Services } from '../app-env.js';
import { runDueSources } from '../ingest/scheduler.js';
import { errorText, log } from '../log.js';

/** Starts the ticks; returns the function that stops them. */
export function startNodeSources(s: Services): () => void {
  if (!s.config.sources.tickMs) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runDueSources(s, (p) => void p.catch(() => {}))
      .catch((err: unknown) => log.error('sources: scheduler tick failed', { error: errorText(err) }))
      .finally(() => (running = false));
  }, s.config.sources.tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
