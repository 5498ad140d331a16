/** Node entry (`npm start`): Warta on 127.0.0.1:$PORT with the embedded store under $WARTA_DATA_DIR. */
import { startNodeServer } from './server/node-server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const running = await startNodeServer({ env: process.env });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    running.close().finally(() => process.exit(0));
  });
}
