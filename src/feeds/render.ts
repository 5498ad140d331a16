/**
 * Old path of src/feeds/render/render.ts, kept only because bench/render-times.ts (not this
 * branch's to edit) imports it from here; delete once bench imports the new path.
 */
export * from './render/render.js';
