/**
 * The article body editor: Tiptap (ProseMirror) with headings, lists,
 * quotes, links and figures (image by URL with alt text, caption and credit).
 * Pasted HTML from Word or Google Docs is parsed through the editor's schema,
 * so only the structure it knows survives (styles, classes, Office markup and
 * local image files are dropped); the server sanitizes again on save.
 */
import { Editor, Node } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';

/** Attributes of a figure in the body. */
export interface FigureAttrs {
  src: string;
  alt: string;
  caption: string;
  credit: string;
}

const isWebUrl = (v: string | null): v is string => v !== null && /^https?:\/\/\S+$/i.test(v);

const Figure = Node.create({
  name: 'figure',
  group: 'block',
  atom: true,
  draggable: true,
  addAttributes() {
    return { src: { default: null }, alt: { default: '' }, caption: { default: '' }, credit: { default: '' } };
  },
  parseHTML() {
    return [
      {
        tag: 'figure',
        getAttrs: (el: HTMLElement) => {
          const img = el.querySelector('img');
          const src = img?.getAttribute('src') ?? null;
          if (!isWebUrl(src)) return false;
          const credit = el.querySelector('figcaption small')?.textContent?.trim() ?? '';
          const captionEl = el.querySelector('figcaption')?.cloneNode(true) as HTMLElement | undefined;
          captionEl?.querySelector('small')?.remove();
          return { src, alt: img?.getAttribute('alt') ?? '', caption: captionEl?.textContent?.trim() ?? '', credit };
        },
      },
      {
        tag: 'img[src]',
        getAttrs: (el: HTMLElement) => (isWebUrl(el.getAttribute('src')) ? { src: el.getAttribute('src'), alt: el.getAttribute('alt') ?? '' } : false),
      },
    ];
  },
  renderHTML({ node }) {
    const { src, alt, caption, credit } = node.attrs as FigureAttrs;
    const parts: (string | [string, Record<string, string>, string])[] = [];
    if (caption) parts.push(caption);
    if (caption && credit) parts.push(' ');
    if (credit) parts.push(['small', {}, credit]);
    return parts.length ? ['figure', {}, ['img', { src, alt }], ['figcaption', {}, ...parts]] : ['figure', {}, ['img', { src, alt }]];
  },
});

const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** The marks an inline style stands for (Docs writes bold and italic as styled spans). */
function styleMarks(style: string): string[] {
  const s = style.toLowerCase().replace(/\s+/g, '');
  const weight = /(?:^|;)font-weight:([a-z0-9]+)/.exec(s)?.[1];
  const marks: string[] = [];
  if (weight === 'bold' || weight === 'bolder' || Number(weight) >= 600) marks.push('strong');
  if (/(?:^|;)font-style:(italic|oblique)/.test(s)) marks.push('em');
  if (/(?:^|;)text-decoration(?:-line)?:[^;]*underline/.test(s)) marks.push('u');
  return marks;
}

/**
 * Removes every style and event-handler attribute before the editor parses the paste (the
 * page's CSP forbids inline styles, so parsing them would be a violation), keeping what a
 * style meant as bold, italic or underline elements around the element's content.
 */
export function inlineStylesToMarks(html: string): string {
  const open: { name: string; marks: string[] }[] = [];
  return html.replace(/<(\/?)([a-zA-Z][\w:-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g, (tag, slash: string, rawName: string, attrs: string) => {
    const name = rawName.toLowerCase();
    if (slash) {
      const at = open.map((e) => e.name).lastIndexOf(name);
      if (at < 0) return tag;
      return open.splice(at).reverse().map((e) => `${[...e.marks].reverse().map((m) => `</${m}>`).join('')}</${e.name}>`).join('');
    }
    let marks: string[] = [];
    const cleaned = attrs.replace(/\s(style|on[a-z]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, (_, attr: string, value: string) => {
      if (attr.toLowerCase() === 'style') marks = styleMarks(value.replace(/^["']|["']$/g, ''));
      return '';
    });
    if (!VOID_TAGS.has(name) && !cleaned.trimEnd().endsWith('/')) open.push({ name, marks });
    return `<${rawName}${cleaned}>${marks.map((m) => `<${m}>`).join('')}`;
  });
}

/** Office and Docs markup that carries no content (conditional comments, XML islands, styles), and inline styles. */
export function cleanPastedHtml(html: string): string {
  return inlineStylesToMarks(cleanOfficeMarkup(html));
}

function cleanOfficeMarkup(html: string): string {
  return html
    .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|xml|script|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<(meta|link)\b[^>]*>/gi, '')
    // Google Docs wraps the whole clipboard in <b style="font-weight:normal" id="docs-internal-guid-...">.
    .replace(/<b\b[^>]*\bid="docs-internal-guid-[^"]*"[^>]*>([\s\S]*)<\/b>/i, '$1')
    .replace(/<\/?o:p>/gi, '')
    .replace(/<\/?(w|m|v|o):[^>]*>/gi, '');
}

/** Creates the editor inside `host`, labelled by `labelId` and described by `errorId`. */
export function createBodyEditor(host: HTMLElement, labelId: string, errorId: string): Editor {
  return new Editor({
    element: host,
    injectCSS: false,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        link: { openOnClick: false, autolink: true, HTMLAttributes: { rel: null, target: null } },
      }),
      Figure,
    ],
    editorProps: {
      attributes: { role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': labelId, 'aria-describedby': errorId, class: 'body-editor', spellcheck: 'true' },
      transformPastedHTML: cleanPastedHtml,
    },
  });
}

/** Inserts a figure at the selection. */
export function insertFigure(editor: Editor, attrs: FigureAttrs): void {
  editor.chain().focus().insertContent({ type: 'figure', attrs }).run();
}
