/**
 * Old path of src/feeds/serve/feed-http.ts, kept only because src/publishing/article-service.ts
 * (not this branch's to edit) imports hash64 from here; delete once it imports the new path.
 */
export { hash64 } from './serve/feed-http.js';
