/**
 * `npm run import -- <source> --institution <slug> [options]`: imports a
 * WordPress site, a WXR export or a feed into a Warta through its
 * publishing API (scripts/support/import-command.ts does the work).
 */
import { importCommand } from './support/import-command.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\nimport: stopping after the current batch (Ctrl-C again to quit at once)\n');
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

const status = await importCommand(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  signal: controller.signal,
});
process.exit(status);
