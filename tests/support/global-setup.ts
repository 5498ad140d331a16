/**
 * Starts one in-memory dynalite on loopback for the whole test run; each
 * test file creates its own table in it (see warta.ts), so files run in
 * parallel without sharing data.
 */
import type { TestProject } from 'vitest/node';
import { startEmbeddedStore } from '../../src/embedded/dynalite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    /** The embedded store's credential: it answers nothing else. */
    dynamoCredentials: { accessKeyId: string; secretAccessKey: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const store = await startEmbeddedStore();
  project.provide('dynamoEndpoint', store.endpoint);
  project.provide('dynamoCredentials', store.credentials);
  return () => store.close();
}
