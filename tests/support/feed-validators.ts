/**
 * Independent checks for feed documents, for any test that has one in hand (renderer
 * unit tests here, HTTP-level feed tests elsewhere). None of them uses Warta's code:
 * - {@link assertWellFormedXml}: strict XML 1.0 + namespaces with `saxes`; fails on the first
 *   error and returns a small element tree for exact text/attribute assertions.
 * - {@link validateAtomRng}: the RFC 4287 RELAX NG schema through libxml2 (`xmllint-wasm`).
 * - {@link validateJsonFeed}: the JSON Feed 1.1 JSON Schema with Ajv (+ formats), plus the
 *   exact `version` string.
 * - {@link parseWithFeedsmith}: a third-party feed parser, for field values as readers see them.
 * - {@link assertValidFeed}: all of the above that apply to one format, in one call.
 */
import { readFileSync } from 'node:fs';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { validateXML } from 'xmllint-wasm';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseFeed, parseOpml, type AtomFeed, type JsonFeed, type Opml, type RssFeed } from 'feedsmith';

/** Namespace URIs used in Warta's feeds. */
export const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  sy: 'http://purl.org/rss/1.0/modules/syndication/',
  media: 'http://search.yahoo.com/mrss/',
  xml: 'http://www.w3.org/XML/1998/namespace',
  none: '',
} as const;

/** One element of a parsed XML document. */
export interface XmlElement {
  /** Qualified name as written, e.g. "atom:link". */
  name: string;
  uri: string;
  local: string;
  /** Attributes by qualified name ("xml:lang", "href"). Namespace declarations are left out. */
  attributes: Record<string, { value: string; uri: string; local: string }>;
  children: XmlElement[];
  /** The element's own character data (text and CDATA, not its descendants'), entity references resolved. */
  text: string;
}

/** Parses `xml` strictly (XML 1.0, namespaces, UTF-8 declaration); throws listing every error. Returns the root element. */
export function assertWellFormedXml(xml: string, fileName = 'document.xml'): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true, fileName });
  const errors: string[] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (e) => errors.push(e.message));
  parser.on('xmldecl', (d) => {
    if (d.version !== '1.0') errors.push(`XML version ${String(d.version)}`);
    if (d.encoding?.toLowerCase() !== 'utf-8') errors.push(`encoding ${String(d.encoding)}, expected utf-8`);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const attributes: XmlElement['attributes'] = {};
    for (const [name, a] of Object.entries(tag.attributes)) {
      if (a.prefix === 'xmlns' || name === 'xmlns') continue;
      attributes[name] = { value: a.value, uri: a.uri, local: a.local };
    }
    const el: XmlElement = { name: tag.name, uri: tag.uri, local: tag.local, attributes, children: [], text: '' };
    const parent = stack.at(-1);
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
  });
  const addText = (t: string) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  if (!xml.startsWith('<?xml ')) errors.push('no XML declaration');
  if (!root) errors.push('no root element');
  if (errors.length > 0 || !root) throw new Error(`not well-formed XML (${errors.length} errors):\n${errors.slice(0, 10).join('\n')}`);
  return root;
}

/** Direct children of `el` named `{uri}local`. */
export function children(el: XmlElement, uri: string, local: string): XmlElement[] {
  return el.children.filter((c) => c.uri === uri && c.local === local);
}

/** The only direct child of `el` named `{uri}local`; throws when there is none or several. */
export function child(el: XmlElement, uri: string, local: string): XmlElement {
  const found = children(el, uri, local);
  if (found.length !== 1) throw new Error(`<${el.name}> has ${found.length} children {${uri}}${local}, expected 1`);
  return found[0] as XmlElement;
}

/** The text of the only direct child `{uri}local` of `el`. */
export function childText(el: XmlElement, uri: string, local: string): string {
  return child(el, uri, local).text;
}

/** Attribute value by qualified name (`"href"`, `"xml:lang"`), or undefined. */
export function attr(el: XmlElement, name: string): string | undefined {
  return el.attributes[name]?.value;
}

const schemaPath = (name: string) => new URL(`../schemas/${name}`, import.meta.url);

let atomRng: string | undefined;

/** Validates an Atom document against the RFC 4287 RELAX NG schema (libxml2). */
export async function validateAtomRng(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  atomRng ??= readFileSync(schemaPath('atom-rfc4287.rng'), 'utf8');
  const result = await validateXML({
    xml: [{ fileName: 'feed.atom', contents: xml }],
    schema: [{ fileName: 'atom-rfc4287.rng', contents: atomRng }],
    extension: 'relaxng',
    initialMemoryPages: 16 * 64, // 64 MiB: room for multi-megabyte documents
    maxMemoryPages: 16 * 1024,
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}

/** Throws unless `xml` is valid against the RFC 4287 RELAX NG schema. */
export async function assertValidAtomRng(xml: string): Promise<void> {
  const { valid, errors } = await validateAtomRng(xml);
  if (!valid) throw new Error(`Atom document fails RFC 4287 RELAX NG:\n${errors.slice(0, 10).join('\n')}`);
}

/**
 * The JSON Feed schemas are draft-04 (`id`, not `$id`); Ajv 8 speaks draft-06 and later, and
 * `ajv-draft-04` is not a dependency. They use no other draft-04-only construct, so renaming
 * the root `id` to `$id` and dropping `$schema` gives the same schema in draft-07 terms.
 */
function loadDraft04AsDraft07(name: string): Record<string, unknown> {
  const { $schema: _ignored, id, ...rest } = JSON.parse(readFileSync(schemaPath(name), 'utf8')) as Record<string, unknown>;
  return { $id: id, ...rest };
}

let jsonFeedValidator: ValidateFunction | undefined;

/** Exact value of `version` in a JSON Feed 1.1 document. */
export const JSON_FEED_1_1 = 'https://jsonfeed.org/version/1.1';

/** Validates a parsed JSON Feed against the JSON Feed 1.1 schema and requires version 1.1 exactly. */
export function validateJsonFeed(doc: unknown): { valid: boolean; errors: string[] } {
  if (!jsonFeedValidator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addSchema(loadDraft04AsDraft07('jsonfeed-1.0.schema.json'));
    jsonFeedValidator = ajv.compile(loadDraft04AsDraft07('jsonfeed-1.1.schema.json'));
  }
  const errors: string[] = [];
  const version = (doc as { version?: unknown } | null)?.version;
  if (version !== JSON_FEED_1_1) errors.push(`/version is ${JSON.stringify(version)}, not ${JSON_FEED_1_1}`);
  if (!jsonFeedValidator(doc)) {
    for (const e of jsonFeedValidator.errors ?? []) errors.push(`${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
  return { valid: errors.length === 0, errors };
}

/** Throws unless `doc` (parsed JSON) is a valid JSON Feed 1.1 document. */
export function assertValidJsonFeed(doc: unknown): void {
  const { valid, errors } = validateJsonFeed(doc);
  if (!valid) throw new Error(`not a valid JSON Feed 1.1 document:\n${errors.slice(0, 10).join('\n')}`);
}

/** A feed format Warta serves. */
export type FeedFormatName = 'rss' | 'atom' | 'json';

/** Parses a feed with feedsmith, requiring it to detect the expected format. */
export function parseWithFeedsmith(text: string, format: 'rss'): RssFeed.Feed<string>;
export function parseWithFeedsmith(text: string, format: 'atom'): AtomFeed.Feed<string>;
export function parseWithFeedsmith(text: string, format: 'json'): JsonFeed.Feed<string>;
export function parseWithFeedsmith(
  text: string,
  format: FeedFormatName,
): RssFeed.Feed<string> | AtomFeed.Feed<string> | JsonFeed.Feed<string>;
export function parseWithFeedsmith(text: string, format: FeedFormatName) {
  const parsed = parseFeed(format === 'json' ? JSON.parse(text) : text);
  if (parsed.format !== format) throw new Error(`feedsmith detected ${parsed.format}, expected ${format}`);
  return parsed.feed;
}

/** Parses an OPML document with feedsmith. */
export function parseOpmlWithFeedsmith(text: string): Opml.Document<string> {
  return parseOpml(text);
}

/**
 * Runs every applicable independent check on a rendered feed: well-formed XML (RSS, Atom),
 * RFC 4287 RELAX NG (Atom), JSON Feed 1.1 schema (JSON), and a feedsmith parse in the right
 * format. Throws on the first failure.
 */
export async function assertValidFeed(text: string, format: FeedFormatName): Promise<void> {
  if (format === 'json') {
    assertValidJsonFeed(JSON.parse(text));
  } else {
    const root = assertWellFormedXml(text, `feed.${format}`);
    const expected = format === 'rss' ? `{}rss` : `{${NS.atom}}feed`;
    if (`{${root.uri}}${root.local}` !== expected) throw new Error(`root element {${root.uri}}${root.local}, expected ${expected}`);
    if (format === 'atom') await assertValidAtomRng(text);
  }
  parseWithFeedsmith(text, format);
}
