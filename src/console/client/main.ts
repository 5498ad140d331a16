/**
 * The console in the browser: sign-in, the article list, the editor form,
 * preview, save with If-Match, withdraw. Talks only to /console/api on this
 * origin; the session lives in an HttpOnly cookie, the token is sent once at
 * sign-in and never stored.
 */
import type { Editor } from '@tiptap/core';
import { MESSAGES, type ConsoleLang, type MessageKey } from '../i18n.js';
import { createBodyEditor, insertFigure } from './editor.js';

interface Me {
  kind: 'admin' | 'key';
  label: string;
  csrf: string;
  institutions: { slug: string; name: string; offsetMinutes: number }[];
  allInstitutions: { slug: string; name: string }[];
  categories: { slug: string; name: string }[];
}
interface Row { id: string; title: string; publishedAt: string; category: string; owner: string; status: string; editable: boolean }
interface Problem { status: number; detail?: string; errors?: { field: string; reason: string }[] }

const lang = (document.documentElement.lang === 'en' ? 'en' : 'id') as ConsoleLang;
const t = (k: MessageKey) => MESSAGES[lang][k];
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => $<HTMLInputElement>(id);
const select = (id: string) => $<HTMLSelectElement>(id);

let me: Me | null = null;
let editor: Editor | null = null;
let editing: { id: string; etag: string; language: string } | null = null;
let nextCursor: string | undefined;

function say(text: string): void {
  $('status').textContent = text;
}

function show(section: 'signin' | 'list' | 'editor'): void {
  for (const s of ['signin', 'list', 'editor']) $(s).hidden = s !== section;
  $('sign-out').hidden = section === 'signin';
  $('who').hidden = section === 'signin';
}

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  if (me && method !== 'GET') h['X-Warta-Csrf'] = me.csrf;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(`/console/api${path}`, { method, headers: h, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (res.status === 401 && path !== '/session') {
    me = null;
    show('signin');
    say(t('msgSessionEnded'));
  }
  return res;
}

const problemOf = async (res: Response): Promise<Problem> => ({ status: res.status, ...((await res.json().catch(() => ({}))) as object) });

function option(value: string, text: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

function enter(m: Me): void {
  me = m;
  $('who').textContent = `${t('signedInAs')} ${m.label}`;
  const fi = select('filter-institution');
  fi.replaceChildren(...m.institutions.map((i) => option(i.slug, i.name)));
  const fc = select('filter-category');
  fc.replaceChildren(option('', t('allCategories')), ...m.categories.map((c) => option(c.slug, c.name)));
  select('f-category').replaceChildren(...m.categories.map((c) => option(c.slug, c.name)));
  select('f-institution').replaceChildren(...m.institutions.map((i) => option(i.slug, i.name)));
  $('all-institutions').replaceChildren(...m.allInstitutions.map((i) => option(i.slug, i.name)));
  show('list');
  void loadList(false);
}

// ---- list

function formatTime(rfc3339: string): string {
  return rfc3339.slice(0, 16).replace('T', ' ') + ' ' + zoneName(offsetOf(rfc3339));
}

async function loadList(more: boolean): Promise<void> {
  const q = new URLSearchParams({ institution: select('filter-institution').value, status: select('filter-status').value });
  if (select('filter-category').value) q.set('category', select('filter-category').value);
  if (more && nextCursor) q.set('cursor', nextCursor);
  const res = await api('GET', `/articles?${q}`);
  if (!res.ok) return say(`${t('msgError')}: ${(await problemOf(res)).detail ?? res.status}`);
  const body = (await res.json()) as { articles: Row[]; next?: string };
  nextCursor = body.next;
  const rows = body.articles.map((a) => {
    const tr = document.createElement('tr');
    const title = document.createElement('td');
    title.textContent = a.title;
    const time = document.createElement('td');
    time.textContent = formatTime(a.publishedAt);
    const status = document.createElement('td');
    status.textContent = t(a.status as MessageKey);
    const action = document.createElement('td');
    if (a.editable) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = t('edit');
      b.setAttribute('aria-label', `${t('edit')}: ${a.title}`);
      b.addEventListener('click', () => void openArticle(a.id));
      action.append(b);
    }
    tr.append(title, time, status, action);
    return tr;
  });
  if (more) $('rows').append(...rows);
  else $('rows').replaceChildren(...rows);
  $('empty').hidden = $('rows').childElementCount > 0;
  $('more').hidden = !nextCursor;
}

// ---- form

const zoneName = (offset: number) => ({ 420: 'WIB', 480: 'WITA', 540: 'WIT' })[offset] ?? `UTC${offset >= 0 ? '+' : '-'}${Math.abs(offset) / 60}`;
function offsetOf(rfc3339: string): number {
  const m = /([+-])(\d\d):(\d\d)$/.exec(rfc3339);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}
const pad = (n: number) => String(n).padStart(2, '0');
function localInput(epochMs: number, offset: number): string {
  const d = new Date(epochMs + offset * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
function setZone(offset: number): void {
  const z = select('f-zone');
  if (![...z.options].some((o) => o.value === String(offset))) z.append(option(String(offset), zoneName(offset)));
  z.value = String(offset);
}
const institutionOffset = (slug: string) => me?.institutions.find((i) => i.slug === slug)?.offsetMinutes ?? 420;

const FIELD_OF: [RegExp, string][] = [
  [/^title/, 'f-title'], [/^contentHtml/, 'f-content'], [/^summary/, 'f-summary'], [/^category/, 'f-category'],
  [/^(owner|institutions(\[0\])?$)/, 'f-institution'], [/^institutions/, 'f-others'], [/^tags/, 'f-tags'], [/^author/, 'f-author'],
  [/^publishedAt/, 'f-published'], [/^image\.alt/, 'f-image-alt'], [/^image/, 'f-image'], [/^url/, 'f-url'],
];

function clearErrors(): void {
  for (const el of document.querySelectorAll('#article-form .field-error')) el.textContent = '';
  for (const el of document.querySelectorAll('#article-form [aria-invalid]')) el.removeAttribute('aria-invalid');
  $('conflict').hidden = true;
}

function showProblem(p: Problem): void {
  if (p.status === 412) {
    $('conflict').hidden = false;
    $('reload-latest').focus();
    return;
  }
  let first: HTMLElement | null = null;
  for (const e of p.errors ?? []) {
    const id = FIELD_OF.find(([re]) => re.test(e.field))?.[1];
    const out = $(id ? `e-${id}` : 'e-form');
    out.textContent = out.textContent ? `${out.textContent}; ${e.reason}` : e.reason;
    const control = id === 'f-content' ? (document.querySelector('#f-content .body-editor') as HTMLElement | null) : id ? $(id) : null;
    control?.setAttribute('aria-invalid', 'true');
    first ??= control;
  }
  if (!p.errors?.length) $('e-form').textContent = `${t('msgError')}: ${p.detail ?? p.status}`;
  say(t('msgInvalid'));
  first?.focus();
}

function slugList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

function imageType(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  return ({ png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', svg: 'image/svg+xml' } as Record<string, string>)[ext ?? ''] ?? 'image/jpeg';
}

function formInput(): Record<string, unknown> {
  const owner = select('f-institution').value;
  const others = slugList(input('f-others').value).filter((s) => s !== owner);
  const summary = $<HTMLTextAreaElement>('f-summary').value.trim();
  const offset = Number(select('f-zone').value);
  const sign = offset < 0 ? '-' : '+';
  const published = input('f-published').value;
  const imageUrl = input('f-image').value.trim();
  const imageAlt = input('f-image-alt').value.trim();
  const url = input('f-url').value.trim();
  return {
    title: input('f-title').value,
    // Empty paragraphs (left by Enter, pastes and figures) carry nothing.
    contentHtml: editor && !editor.isEmpty ? editor.getHTML().replace(/<p><\/p>/g, '') : '',
    ...(summary ? { summary } : {}),
    category: select('f-category').value,
    institutions: [owner, ...others],
    owner,
    tags: slugList(input('f-tags').value),
    author: { name: input('f-author').value },
    publishedAt: published ? `${published.length === 16 ? `${published}:00` : published}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}` : '',
    ...(imageUrl ? { image: { url: imageUrl, type: imageType(imageUrl), ...(imageAlt ? { alt: imageAlt } : {}) } } : {}),
    ...(url ? { url } : {}),
    language: editing?.language ?? 'id',
  };
}

function ensureEditor(): Editor {
  editor ??= createBodyEditor($('f-content'), 'l-f-content', 'e-f-content');
  return editor;
}

function openForm(article?: { id: string; etag: string; a: Record<string, any> }): void {
  clearErrors();
  $('preview').hidden = true;
  const form = $<HTMLFormElement>('article-form');
  form.reset();
  const ed = ensureEditor();
  const a = article?.a;
  editing = article ? { id: article.id, etag: article.etag, language: String(a!.language) } : null;
  $('editor-h').textContent = t(article ? 'editArticle' : 'newArticle');
  $('do-publish').hidden = Boolean(article);
  $('do-save').hidden = !article;
  $('do-withdraw').hidden = !article;
  const owner = a ? String(a.owner) : (me?.institutions[0]?.slug ?? '');
  if (a && ![...select('f-institution').options].some((o) => o.value === owner)) select('f-institution').append(option(owner, owner));
  select('f-institution').value = owner;
  if (a) {
    input('f-title').value = a.title;
    ed.commands.setContent(a.contentHtml, { emitUpdate: false });
    $<HTMLTextAreaElement>('f-summary').value = a.summary;
    select('f-category').value = a.category;
    input('f-others').value = (a.institutions as string[]).filter((s) => s !== owner).join(', ');
    input('f-tags').value = (a.tags as string[]).join(', ');
    input('f-author').value = a.author.name;
    const offset = offsetOf(a.publishedAt);
    setZone(offset);
    input('f-published').value = String(a.publishedAt).slice(0, 16);
    input('f-image').value = a.image?.url ?? '';
    input('f-image-alt').value = a.image?.alt ?? '';
    input('f-url').value = a.url ?? '';
  } else {
    ed.commands.clearContent(false);
    const offset = institutionOffset(owner);
    setZone(offset);
    input('f-published').value = localInput(Date.now(), offset);
  }
  show('editor');
  input('f-title').focus();
}

async function openArticle(id: string): Promise<void> {
  const res = await api('GET', `/articles/${encodeURIComponent(id)}`);
  if (!res.ok) return say(`${t('msgError')}: ${(await problemOf(res)).detail ?? res.status}`);
  const body = (await res.json()) as { article: Record<string, unknown> };
  openForm({ id, etag: res.headers.get('ETag') ?? '', a: body.article });
}

async function submit(): Promise<void> {
  clearErrors();
  const body = formInput();
  const res = editing
    ? await api('PUT', `/articles/${encodeURIComponent(editing.id)}`, body, { 'If-Match': editing.etag })
    : await api('POST', '/articles', body);
  if (res.status === 401) return;
  if (!res.ok) return showProblem(await problemOf(res));
  const out = (await res.json()) as { article: { id: string }; status: string };
  say(editing ? t('msgSaved') : t(out.status === 'scheduled' ? 'msgScheduled' : 'msgPublished'));
  editing = { id: out.article.id, etag: res.headers.get('ETag') ?? '', language: String(body.language) };
  $('do-publish').hidden = true;
  $('do-save').hidden = false;
  $('do-withdraw').hidden = false;
  $('editor-h').textContent = t('editArticle');
}

async function preview(): Promise<void> {
  clearErrors();
  const res = await api('POST', '/preview', { ...formInput(), ...(editing ? { id: editing.id } : {}) });
  if (res.status === 401) return;
  if (!res.ok) return showProblem(await problemOf(res));
  const p = (await res.json()) as { html: string; rss: string; atom: string; json: string };
  $<HTMLIFrameElement>('preview-page').srcdoc = p.html;
  $('preview-rss').textContent = p.rss;
  $('preview-atom').textContent = p.atom;
  $('preview-json').textContent = p.json;
  $('preview').hidden = false;
  $('preview-h').scrollIntoView();
}

async function withdraw(): Promise<void> {
  if (!editing || !confirm(t('confirmWithdraw'))) return;
  const res = await api('DELETE', `/articles/${encodeURIComponent(editing.id)}`, undefined, { 'If-Match': editing.etag });
  if (res.status === 401) return;
  if (!res.ok) return showProblem(await problemOf(res));
  editing = null;
  say(t('msgWithdrawn'));
  show('list');
  await loadList(false);
}

// ---- editor toolbar and dialogs

function dialogValue(dialogId: string): Promise<boolean> {
  const d = $<HTMLDialogElement>(dialogId);
  d.returnValue = '';
  d.showModal();
  return new Promise((resolve) => d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true }));
}

async function toolbar(cmd: string): Promise<void> {
  const ed = ensureEditor();
  const c = ed.chain().focus();
  switch (cmd) {
    case 'bold': return void c.toggleBold().run();
    case 'italic': return void c.toggleItalic().run();
    case 'h2': return void c.toggleHeading({ level: 2 }).run();
    case 'h3': return void c.toggleHeading({ level: 3 }).run();
    case 'bullet': return void c.toggleBulletList().run();
    case 'ordered': return void c.toggleOrderedList().run();
    case 'quote': return void c.toggleBlockquote().run();
    case 'undo': return void c.undo().run();
    case 'link': {
      input('d-link-url').value = (ed.getAttributes('link').href as string | undefined) ?? '';
      if (!(await dialogValue('link-dialog'))) return void ed.commands.focus();
      const href = input('d-link-url').value.trim();
      if (!href) return void ed.chain().focus().extendMarkRange('link').unsetLink().run();
      return void ed.chain().focus().extendMarkRange('link').setLink({ href }).run();
    }
    case 'image': {
      for (const id of ['d-image-url', 'd-image-alt', 'd-image-caption', 'd-image-credit']) input(id).value = '';
      if (!(await dialogValue('image-dialog'))) return void ed.commands.focus();
      const src = input('d-image-url').value.trim();
      if (!/^https?:\/\/\S+$/i.test(src)) return void ed.commands.focus();
      insertFigure(ed, { src, alt: input('d-image-alt').value.trim(), caption: input('d-image-caption').value.trim(), credit: input('d-image-credit').value.trim() });
    }
  }
}

// ---- wiring

async function signIn(ev: SubmitEvent): Promise<void> {
  ev.preventDefault();
  const field = input('token');
  const token = field.value.trim();
  field.value = '';
  $('e-token').textContent = '';
  const res = await fetch('/console/api/session', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' }, body: '{}', credentials: 'same-origin' });
  if (res.status === 201) {
    say('');
    return enter((await res.json()) as Me);
  }
  $('e-token').textContent = t(res.status === 429 ? 'msgThrottled' : res.status === 403 ? 'msgReaderKey' : 'msgBadToken');
  field.focus();
}

async function start(): Promise<void> {
  $('signin-form').addEventListener('submit', (ev) => void signIn(ev as SubmitEvent));
  $('sign-out').addEventListener('click', async () => {
    await api('DELETE', '/session');
    me = null;
    editing = null;
    show('signin');
    input('token').focus();
  });
  $('write').addEventListener('click', () => openForm());
  $('back').addEventListener('click', () => {
    show('list');
    void loadList(false);
  });
  for (const id of ['filter-institution', 'filter-category', 'filter-status']) select(id).addEventListener('change', () => void loadList(false));
  $('more').addEventListener('click', () => void loadList(true));
  $('article-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void submit();
  });
  $('do-preview').addEventListener('click', () => void preview());
  $('do-withdraw').addEventListener('click', () => void withdraw());
  $('reload-latest').addEventListener('click', () => editing && void openArticle(editing.id));
  select('f-institution').addEventListener('change', () => {
    if (!editing) setZone(institutionOffset(select('f-institution').value));
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>('.toolbar button')) b.addEventListener('click', () => void toolbar(b.dataset.cmd ?? ''));
  const res = await fetch('/console/api/session', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  const body = (await res.json()) as { signedIn: boolean } & Partial<Me>;
  if (body.signedIn) enter(body as Me);
  else {
    show('signin');
    input('token').focus();
  }
}

void start();
