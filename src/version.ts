/** Warta's version, one constant: the OpenAPI document, /health and the feeds' generator element all show it. Kept equal to package.json's (a test checks). */
export const WARTA_VERSION = '0.1.0';
