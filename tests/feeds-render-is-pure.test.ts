/**
 * src/feeds/render/ holds the serializers and nothing else: no Hono, no
 * runtime API, no services, no store, no serving code and no clock (time is
 * passed in). Checked on the source, so a new import there fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../src/feeds/render/', import.meta.url);
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.ts')).sort();
const importsOf = (text: string) => [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('the renderers', () => {
  it('are the files expected', () => {
    expect(FILES).toEqual(['dates.ts', 'freshness.ts', 'media-rss.ts', 'render-atom.ts', 'render-json.ts', 'render-opml.ts', 'render-rss.ts', 'render.ts', 'types.ts', 'xml.ts']);
  });

  it.each(FILES)('%s imports only its siblings and the model, and reads no clock', (file) => {
    const text = readFileSync(new URL(file, DIR), 'utf8');
    for (const spec of importsOf(text)) expect(spec, `${file} imports ${spec}`).toMatch(/^(?:\.\/[a-z0-9-]+\.js|\.\.\/\.\.\/model\/[a-z0-9-]+\.js)$/);
    expect(text).not.toMatch(/\bhono\b|app-env|Date\.now\(|new Date\(\)/);
  });
});
