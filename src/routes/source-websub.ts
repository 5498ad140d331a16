/**
 * Warta's WebSub subscriber callbacks, one per source:
 * `GET /websub/sources/:id` answers a hub's verification (echoes
 * `hub.challenge` only for the topic Warta asked for), `POST` takes a
 * push (content distribution) whose `X-Hub-Signature` must be the HMAC of
 * the body with the secret given to that hub; a push that fails the check
 * is acknowledged and ignored, as WebSub §8 requires.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.js';
import { backgroundOf } from '../http/router.js';
import { charsetOf } from '../net/public-fetch.js';
import { getSource, putSource } from '../store/sources.js';
import { parseFeed } from '../ingest/feeds.js';
import { decodeXml } from '../ingest/xml.js';
import { ingestItems, recordOutcome } from '../ingest/source-poll.js';
import { sourceIdentity } from '../ingest/ids.js';
import { verifyPushSignature } from '../ingest/websub-subscriber.js';
import { log } from '../log.js';

const MAX_PUSH_BYTES = 5 * 1024 * 1024;

/** Routes under /websub/sources. */
export function sourceWebSubRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/websub/sources/:id', async (c) => {
    const s = c.get('services');
    const id = c.req.param('id');
    const mode = c.req.query('hub.mode');
    const topic = c.req.query('hub.topic');
    const challenge = c.req.query('hub.challenge');
    const record = await getSource(s.db, id);
    const hub = record?.state.hub;
    const plain = (body: string, status: 200 | 404) => c.body(body, status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    if (!challenge || challenge.length > 1024) return plain('missing hub.challenge', 404);
    if (mode === 'subscribe' && record && hub && hub.topic === topic) {
      const lease = Number(c.req.query('hub.lease_seconds'));
      const leaseUntilMs = s.clock() + (Number.isFinite(lease) && lease > 0 ? lease : 86_400) * 1000;
      await putSource(s.db, { ...record, state: { ...record.state, hub: { ...hub, state: 'verified', leaseUntilMs } } }, record.state.nextDueMs);
      return plain(challenge, 200);
    }
    // Unsubscribing is confirmed only for a source that no longer wants this topic.
    if (mode === 'unsubscribe' && (!record || !hub || hub.topic !== topic)) return plain(challenge, 200);
    if (mode === 'denied') return plain('', 200);
    return plain('not subscribed to this topic', 404);
  });

  // A push is read only up to MAX_PUSH_BYTES, announced or streamed (chunked bodies included).
  app.post('/websub/sources/:id', bodyLimit({ maxSize: MAX_PUSH_BYTES, onError: (c) => c.body('too large', 413) }), async (c) => {
    const s = c.get('services');
    const record = await getSource(s.db, c.req.param('id'));
    if (!record) return c.body('unknown source', 410);
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (!(await verifyPushSignature(s, record, c.req.header('x-hub-signature'), body))) {
      log.warn('sources: websub push with a bad or missing signature ignored', { source: record.id, requestId: c.get('requestId') });
      return c.body(null, 202);
    }
    const type = c.req.header('content-type') ?? '';
    const topic = record.state.hub!.topic;
    try {
      const feed = parseFeed(/json/i.test(type) ? new TextDecoder().decode(body) : decodeXml(body, charsetOf(type)), topic, type);
      const identity = record.state.identity ?? sourceIdentity(feed.homeUrl ?? topic);
      const summary = await ingestItems(s, record, 'feed', identity, topic, feed.items, backgroundOf(c));
      await recordOutcome(s, { ...record, state: { ...record.state, identity } }, summary.sourceError ? { status: 'error', error: summary.sourceError } : { status: 'ok' }, summary);
    } catch (err) {
      await recordOutcome(s, record, { status: 'error', error: `websub push: ${(err as Error).message}` });
    }
    return c.body(null, 202);
  });
  return app;
}
