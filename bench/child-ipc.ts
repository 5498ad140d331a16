/**
 * The child side of the benchmark's IPC: announce readiness, answer
 * requests, stop on request, and exit when the parent goes away (so a
 * crashed or interrupted run leaves no process behind).
 */

type Handler = (payload: unknown) => unknown;

/** Serves `handlers` over IPC; `stop` is called before exiting on a stop message or a lost parent. */
export function serveParent(handlers: Record<string, Handler>, stop: () => Promise<void>): void {
  if (!process.send) throw new Error('bench: this module runs as a child of bench/run.ts');
  const send = process.send.bind(process);
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('disconnect', () => void shutdown(0));
  process.on('message', async (msg: { id?: number; type: string; payload?: unknown }) => {
    if (msg.type === 'stop') return shutdown(0);
    const handler = handlers[msg.type];
    try {
      if (!handler) throw new Error(`unknown request ${msg.type}`);
      const result = await handler(msg.payload);
      send({ id: msg.id, result });
    } catch (err) {
      send({ id: msg.id, error: String((err as Error)?.message ?? err) });
    }
  });
}

/** Tells the parent this child is ready, with what it needs to know. */
export function announceReady(result: unknown): void {
  process.send?.({ type: 'ready', result });
}

/** Reports a start-up failure to the parent and exits. */
export function failStart(err: unknown): void {
  const msg = { type: 'fatal', error: String((err as Error)?.stack ?? err) };
  if (process.send) process.send(msg, undefined, {}, () => process.exit(1));
  else process.exit(1);
}

/** Resident set size, V8 heap (used and reserved) and memory outside the heap (external, ArrayBuffers), in bytes. */
export const memoryNow = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
};
