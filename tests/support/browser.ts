/**
 * Chromium for browser tests: Debian's /usr/bin/chromium (or WARTA_CHROMIUM)
 * driven by playwright-core, headless, with no background networking. When
 * the browser is absent, `chromiumPath` is null and the tests skip, saying why.
 */
import { existsSync } from 'node:fs';

/** The browser executable, or null when this machine has none. */
export const chromiumPath: string | null = [process.env.WARTA_CHROMIUM, '/usr/bin/chromium'].find((p): p is string => Boolean(p && existsSync(p))) ?? null;

/** Why browser tests are skipped here (empty when they run). */
export const SKIP_REASON = chromiumPath ? '' : 'browser tests skipped: no Chromium at /usr/bin/chromium (install it with `apt-get install -y chromium`, as .ci/run does, or set WARTA_CHROMIUM)';

/** Flags that keep a headless Chromium quiet and offline but for the page under test. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
