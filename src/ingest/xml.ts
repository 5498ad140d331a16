/**
 * XML of foreign sources (RSS, Atom, WXR), parsed with saxes: a streaming,
 * non-validating parser that never fetches anything. A DOCTYPE is refused
 * outright, so neither external entities (XXE) nor entity expansion
 * (billion laughs) can happen; undefined entities are errors. Items are
 * built one at a time as small trees (children of `<channel>` or `<feed>`),
 * so a 500 MB WXR export never sits in memory whole.
 */
import { SaxesParser } from 'saxes';
import { decodeText } from '../net/public-fetch.js';

/** An element with its attributes, element children and direct text (text and CDATA concatenated). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** The first child named `name` (qualified name as written, e.g. `content:encoded`). */
export const child = (el: XmlElement | undefined, name: string): XmlElement | undefined => el?.children.find((c) => c.name === name);
/** Every child named `name`. */
export const childrenNamed = (el: XmlElement | undefined, name: string): XmlElement[] => el?.children.filter((c) => c.name === name) ?? [];
/** The trimmed text of the first child named `name`; '' when absent. */
export const childText = (el: XmlElement | undefined, name: string): string => child(el, name)?.text.trim() ?? '';

/** XML that cannot be read: malformed, a DTD, or nesting beyond bounds. */
export class XmlSourceError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'XmlSourceError';
  }
}

const CONTAINERS = new Set(['channel', 'feed']);
const MAX_DEPTH = 64;

/** What the streaming reader reports: the root's name, and each child of the container (channel or feed) once closed. */
export interface XmlEvents {
  root?: (name: string, attrs: Record<string, string>) => void;
  element: (el: XmlElement) => void;
}

/** A push parser: `write` chunks of text, then `close`; events fire as elements complete. */
export function xmlStream(events: XmlEvents): { write(chunk: string): void; close(): void } {
  const parser = new SaxesParser({ position: true });
  let failure: Error | null = null;
  const stack: (XmlElement | null)[] = [];
  parser.on('doctype', () => {
    throw new XmlSourceError('ingest: the XML has a DOCTYPE; DTDs are refused (no external entities, no entity expansion)');
  });
  parser.on('error', (err) => {
    failure ??= new XmlSourceError(`ingest: malformed XML: ${err.message}`, { cause: err });
    throw failure;
  });
  const names: string[] = [];
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_DEPTH) throw new XmlSourceError(`ingest: XML nested deeper than ${MAX_DEPTH} elements`);
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[k] = typeof v === 'string' ? v : (v as { value: string }).value;
    if (stack.length === 0) events.root?.(tag.name, attrs);
    const parent = stack[stack.length - 1] ?? null;
    // Subtrees are built below a container (channel, feed); the root and the containers themselves are not kept.
    const startsSubtree = !parent && stack.length > 0 && CONTAINERS.has(names[names.length - 1]!) && !CONTAINERS.has(tag.name);
    const el: XmlElement | null = parent || startsSubtree ? { name: tag.name, attrs, children: [], text: '' } : null;
    if (el && parent) parent.children.push(el);
    stack.push(el);
    names.push(tag.name);
  });
  parser.on('text', (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on('cdata', (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on('closetag', () => {
    const el = stack.pop();
    names.pop();
    const parent = stack[stack.length - 1];
    if (el && !parent) events.element(el);
  });
  const guard = (f: () => void) => {
    try {
      f();
    } catch (err) {
      if (err instanceof XmlSourceError) throw err;
      throw failure ?? new XmlSourceError(`ingest: malformed XML: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    write: (chunk) => guard(() => void parser.write(chunk)),
    close: () => guard(() => void parser.close()),
  };
}

/** Parses a whole (bounded) document: its root name and the children of its container. */
export function parseXmlDocument(text: string): { root: string; attrs: Record<string, string>; elements: XmlElement[] } {
  let root = '';
  let rootAttrs: Record<string, string> = {};
  const elements: XmlElement[] = [];
  const s = xmlStream({ root: (n, a) => ((root = n), (rootAttrs = a)), element: (el) => elements.push(el) });
  s.write(text.replace(/^\uFEFF/, ''));
  s.close();
  return { root, attrs: rootAttrs, elements };
}

/** The encoding an XML document declares (`<?xml ... encoding="windows-1252"?>`), lowercased; null when none. */
export function declaredXmlEncoding(head: Uint8Array): string | null {
  const start = String.fromCharCode(...head.subarray(0, 200));
  const m = /^\uFEFF?<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(start.replace(/^\xEF\xBB\xBF/, ''));
  return m ? m[1]!.toLowerCase() : null;
}

/** Decodes an XML body: the Content-Type charset wins (RFC 7303), then the XML declaration, then UTF-8. */
export function decodeXml(bytes: Uint8Array, contentTypeCharset: string | null): string {
  return decodeText(bytes, contentTypeCharset ?? declaredXmlEncoding(bytes));
}
