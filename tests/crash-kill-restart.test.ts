/**
 * A short `npm run crash`: the Node server (with its embedded store) is
 * SIGKILLed twice under a stream of writes and restarted on the same data
 * directory; no acknowledged write is lost, no feed shows a deleted or
 * moved article, and check:store's repair leaves no divergence.
 */
import { describe, expect, it } from 'vitest';
import { runCrash } from '../scripts/support/crash-run.js';

describe('SIGKILL of the server under writes', () => {
  it('loses no acknowledged write and leaves every feed truthful', async () => {
    const r = await runCrash({ kills: 2, seed: 7, writers: 3, articlesPerWriter: 6, lifeMinMs: 300, lifeMaxMs: 900 });
    expect(r.kills).toBe(2);
    expect(r.restartMs).toHaveLength(2);
    expect(r.acknowledged).toBeGreaterThan(0);
    expect(r.verification.lost).toEqual([]);
    expect(r.verification.unexplained).toEqual([]);
    expect(r.unexpectedAnswers).toEqual([]);
    expect(r.feedViolations).toEqual([]);
    expect(r.feedDocumentsChecked).toBe(16 * 3);
    // Only advisory counts may be off after replays; the repair fixes them.
    expect(r.checkBefore.divergences.filter((d) => d.kind !== 'count-mismatch')).toEqual([]);
    expect(r.repair.after.divergences).toEqual([]);
  }, 120_000);
});
