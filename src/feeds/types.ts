/**
 * Old path of src/feeds/render/types.ts, kept only because bench/render-times.ts (not this
 * branch's to edit) imports it from here; delete once bench imports the new path.
 */
export * from './render/types.js';
