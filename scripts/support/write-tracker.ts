/**
 * Acknowledged writes and what they promise: for each article, the state
 * its last acknowledged write left, and the possible outcomes of writes
 * whose answer never came (server killed, 503). Verification reads every
 * article back and classifies it: as acknowledged (or later), lost, or
 * unexplained.
 */

/** An article as a write leaves it (or would, had it committed). */
export interface ArticleState {
  version: number;
  deleted: boolean;
  title: string;
  institutions: string[];
  category: string;
}

/** What the tracker knows of one article. */
interface Tracked {
  acked: ArticleState | null;
  unknown: ArticleState[];
}

/** What reading an article back showed. */
export type Final = { status: 200; version: number; title: string; institutions: string[]; category: string } | { status: 404 };

/** The outcome of a verification. */
export interface Verification {
  checked: number;
  /** Acknowledged writes not found: 404 where a live version was acknowledged, or an older version. */
  lost: string[];
  /** States no write explains (e.g. a deleted article back). */
  unexplained: string[];
  finals: Map<string, Final>;
}

/** Records acknowledged and uncertain writes per article id. */
export class WriteTracker {
  readonly articles = new Map<string, Tracked>();

  private entry(id: string): Tracked {
    let t = this.articles.get(id);
    if (!t) this.articles.set(id, (t = { acked: null, unknown: [] }));
    return t;
  }

  /** The state the last acknowledged write (or an authoritative read) left. */
  acknowledge(id: string, state: ArticleState): void {
    const t = this.entry(id);
    t.acked = state;
    t.unknown = [];
  }

  /** A write whose answer never came: it may or may not have happened. */
  uncertain(id: string, possible: ArticleState): void {
    this.entry(id).unknown.push(possible);
  }

  /** The last acknowledged state (null: never acknowledged). */
  acked(id: string): ArticleState | null {
    return this.articles.get(id)?.acked ?? null;
  }

  /** Is this article possibly live (acknowledged live, or an uncertain write may have created it)? */
  maybeLive(id: string): boolean {
    const t = this.articles.get(id);
    return Boolean(t && ((t.acked && !t.acked.deleted) || t.unknown.some((u) => !u.deleted)));
  }

  /** Classifies what `read` shows for every tracked article. */
  async verify(read: (id: string) => Promise<Final>): Promise<Verification> {
    const out: Verification = { checked: 0, lost: [], unexplained: [], finals: new Map() };
    for (const [id, t] of this.articles) {
      const f = await read(id);
      out.finals.set(id, f);
      out.checked++;
      const live = t.acked && !t.acked.deleted ? t.acked : null;
      if (f.status === 404) {
        if (live && !t.unknown.some((u) => u.deleted)) out.lost.push(`${id}: acknowledged v${live.version} "${live.title}", now 404`);
        continue;
      }
      if (live && f.version === live.version && f.title === live.title) continue;
      const later = t.unknown.find((u) => !u.deleted && u.title === f.title && f.version > (t.acked?.version ?? 0));
      if (later) continue;
      if (live && f.version < live.version) out.lost.push(`${id}: acknowledged v${live.version}, now v${f.version}`);
      else out.unexplained.push(`${id}: v${f.version} "${f.title}" (acknowledged ${t.acked ? `v${t.acked.version}${t.acked.deleted ? ' deleted' : ''}` : 'nothing'})`);
    }
    return out;
  }
}
