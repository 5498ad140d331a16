/**
 * `npm run bench:import [-- --posts N]`: the import rate of the import
 * command. A WordPress-like fixture serving N generated posts (default
 * 10,000; REST with _embed, 100 a page) and a Warta on the embedded store
 * (in memory), both on 127.0.0.1 in this process; the command runs twice
 * (first import, then the re-run where every post is unchanged) and prints
 * posts/s for each.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { startNodeServer } from '../src/server/node-server.js';
import { DEMO_CATEGORIES, DEMO_INSTITUTIONS } from '../src/demo/demo-data.js';
import { putRegistryEntry } from '../src/store/registries.js';
import { generatedSite, startWordPressFixture } from '../tests/support/wordpress-fixture.js';
import { importCommand } from '../scripts/support/import-command.js';

const arg = process.argv.indexOf('--posts');
const posts = arg > 0 ? Number(process.argv[arg + 1]) : 10_000;
const token = 'bench-admin-token-0123456789';
const warta = await startNodeServer({ quiet: true, port: 0, inMemoryStore: true, env: { WARTA_ADMIN_TOKEN: token, WARTA_CURSOR_SECRET: 'bench', WARTA_DEMO: '0' } });
for (const c of DEMO_CATEGORIES) await putRegistryEntry(warta.services.db, 'category', c);
for (const i of DEMO_INSTITUTIONS) await putRegistryEntry(warta.services.db, 'institution', i);
const site = await startWordPressFixture(generatedSite(posts));

async function run(label: string): Promise<void> {
  const lines: string[] = [];
  const t0 = performance.now();
  const status = await importCommand([`${site.url}/`, '--institution', 'polres-madiun-kota', '--target', warta.url, '--token', token], {
    stdout: (l) => lines.push(l), stderr: () => {}, env: {}, isTTY: false,
  });
  const seconds = (performance.now() - t0) / 1000;
  console.log(`${label}: ${lines.at(-1)} in ${seconds.toFixed(1)} s = ${(posts / seconds).toFixed(0)} posts/s (exit ${status})`);
}

try {
  console.log(`import rate, ${posts} posts (REST, _embed, 100 a page), Node ${process.version}`);
  await run('first import');
  await run('re-run     ');
} finally {
  await site.close();
  await warta.close();
}
