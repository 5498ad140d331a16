/**
 * The Node flags `npm start` gives the server (package.json: `tsx <flags> src/node.ts`), read
 * from package.json so that every harness that starts a server (the benchmark, `npm run memory`,
 * `crash`, `load`) runs it as the real one runs.
 */
import { readFileSync } from 'node:fs';

/** The flags between `tsx` and `src/node.ts` in the start script, e.g. `['--heap-growing-percent=50']`. */
export const START_NODE_FLAGS: string[] = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const flags = /^tsx((?:\s+--[\w-]+(?:=\S+)?)*)\s+src\/node\.ts$/.exec(pkg.scripts.start.trim());
  if (!flags) throw new Error(`scripts: the start script "${pkg.scripts.start}" is not "tsx [--flag …] src/node.ts"`);
  return flags[1]!.split(/\s+/).filter(Boolean);
})();
