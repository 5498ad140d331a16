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

/** Office and Docs markup that carries no content: conditional comments, XML islands, styles. */
export function cleanPastedHtml(html: string): string {
  return html
    .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(style|xml|meta|link|script)\b[\s\S]*?(<\/\1>|\/?>)/gi, '')
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
        link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'], HTMLAttributes: { rel: null, target: null } },
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
