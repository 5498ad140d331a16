/**
 * WordPress shortcodes in post bodies. REST `content.rendered` has them
 * expanded already, but WXR exports and some feeds carry them raw:
 * `[caption]…[/caption]` becomes `<figure>` with a `<figcaption>`, every
 * other shortcode is removed (its enclosed text kept), so no `[gallery]` or
 * `[embed]` leaks into an article as text.
 */

const CAPTION_RE = /\[(caption|wp_caption)\b([^\]]*)\]([\s\S]*?)\[\/\1\]/gi;
// A shortcode tag: `[name attrs]`, `[name/]` or `[/name]`; `[[name]]` is WordPress's escape for a literal.
// Names are lowercase, as WordPress registers them: bracketed prose such as "[Foto]" stays.
const SHORTCODE_RE = /\[\[([a-z][a-z0-9_-]*\b[^\]]*)\]\]|\[\/?([a-z][a-z0-9_-]*)(?:\s[^\]]*)?\/?\]/g;

function attribute(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s\\]]+))`, 'i').exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** `[caption ...]<img ...> text[/caption]` → `<figure><img ...><figcaption>text</figcaption></figure>`. */
function captionToFigure(_all: string, _tag: string, attrs: string, body: string): string {
  // The media is the leading <a><img></a> or <img>; the rest of the body is the caption text.
  const media = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)/i.exec(body);
  const captionText = (media ? body.slice(media[0].length) : body).trim() || attribute(attrs, 'caption') || '';
  const mediaHtml = media ? media[1]! : '';
  return `<figure>${mediaHtml}${captionText ? `<figcaption>${captionText}</figcaption>` : ''}</figure>`;
}

/** Expands `[caption]` into figure/figcaption and removes every other shortcode. */
export function expandShortcodes(html: string): string {
  let out = html.replace(CAPTION_RE, captionToFigure);
  // Shortcodes whose body is not prose (`[embed]url[/embed]`) go with their body.
  out = out.replace(/\[(gallery|embed|audio|video|playlist)\b[^\]]*\][\s\S]*?\[\/\1\]/gi, '');
  out = out.replace(SHORTCODE_RE, (_all, escaped: string | undefined) => (escaped !== undefined ? `[${escaped}]` : ''));
  return out;
}
