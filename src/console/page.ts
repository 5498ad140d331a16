/**
 * The console's page: one HTML shell in the chosen language, every section
 * present (sign-in, list, editor, preview) and shown by the script. No
 * inline script or style: both come from /console/assets on this origin.
 */
import { html, type RawHtml } from '../pages/html.js';
import { MESSAGES, type ConsoleLang, type MessageKey } from './i18n.js';
import { ZONES } from './region-offset.js';

/** Where the page finds its script and stylesheet (content-hashed paths). */
export interface AssetPaths {
  script: string;
  style: string;
  icon: string;
}

const field = (id: string, label: string, control: RawHtml, hint?: string) =>
  html`<div class="field"><label for="${id}" id="l-${id}">${label}</label>${hint ? html`<p class="hint" id="h-${id}">${hint}</p>` : ''}${control}<p class="field-error" id="e-${id}" role="alert"></p></div>`;

/** Renders the console page (pure). */
export function renderConsolePage(lang: ConsoleLang, assets: AssetPaths): string {
  const t = (k: MessageKey) => MESSAGES[lang][k];
  const tool = (cmd: string, key: MessageKey, text: string) => html`<button type="button" data-cmd="${cmd}" aria-label="${t(key)}" title="${t(key)}">${text}</button>`;
  const other: ConsoleLang = lang === 'id' ? 'en' : 'id';
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${t('title')}</title>
<link rel="icon" href="${assets.icon}" type="image/svg+xml">
<link rel="stylesheet" href="${assets.style}">
<script type="module" src="${assets.script}"></script>
</head>
<body>
<header class="bar"><span class="brand">Warta</span> <span class="muted">${t('heading')}</span>
<nav class="lang" aria-label="${t('language')}"><a href="/console/?lang=id" lang="id"${lang === 'id' ? html` aria-current="true"` : ''}>Bahasa Indonesia</a> · <a href="/console/?lang=en" lang="en"${lang === 'en' ? html` aria-current="true"` : ''}>English</a></nav>
<span id="who" class="who" hidden></span> <button type="button" id="sign-out" hidden>${t('signOut')}</button></header>
<main>
<noscript><p>${t('noscript')}</p></noscript>
<p id="status" class="status" role="status" aria-live="polite"></p>
<section id="signin" hidden aria-labelledby="signin-h">
<h1 id="signin-h">${t('heading')}</h1>
<p>${t('intro')}</p>
<form id="signin-form" autocomplete="off">
${field('token', t('token'), html`<input id="token" name="token" type="password" required autocomplete="off" spellcheck="false">`)}
<button type="submit">${t('signIn')}</button>
</form>
</section>
<section id="list" hidden aria-labelledby="list-h">
<div class="row"><h1 id="list-h">${t('listHeading')}</h1><button type="button" id="write" class="primary">${t('write')}</button></div>
<div class="filters">
${field('filter-institution', t('filterInstitution'), html`<select id="filter-institution"></select>`)}
${field('filter-category', t('filterCategory'), html`<select id="filter-category"><option value="">${t('allCategories')}</option></select>`)}
${field('filter-status', t('filterStatus'), html`<select id="filter-status"><option value="published">${t('published')}</option><option value="scheduled">${t('scheduled')}</option><option value="withdrawn">${t('withdrawn')}</option></select>`)}
</div>
<table class="articles"><thead><tr><th scope="col">${t('colTitle')}</th><th scope="col">${t('colTime')}</th><th scope="col">${t('colStatus')}</th><th scope="col"><span class="sr">${t('edit')}</span></th></tr></thead><tbody id="rows"></tbody></table>
<p id="empty" class="muted" hidden>${t('empty')}</p>
<button type="button" id="more" hidden>${t('loadMore')}</button>
</section>
<section id="editor" hidden aria-labelledby="editor-h">
<div class="row"><h1 id="editor-h">${t('newArticle')}</h1><button type="button" id="back">${t('back')}</button></div>
<div id="conflict" class="conflict" role="alert" hidden><p>${t('msgConflict')}</p><button type="button" id="reload-latest">${t('reloadLatest')}</button></div>
<form id="article-form" novalidate>
<p class="field-error" id="e-form" role="alert"></p>
${field('f-title', t('fTitle'), html`<input id="f-title" name="title" type="text" required maxlength="500" aria-describedby="e-f-title">`)}
<div class="field"><span class="label" id="l-f-content">${t('fContent')}</span>
<div class="toolbar" role="toolbar" aria-label="${t('toolbar')}" aria-controls="f-content">${tool('bold', 'tBold', 'B')}${tool('italic', 'tItalic', 'I')}${tool('h2', 'tH2', 'H2')}${tool('h3', 'tH3', 'H3')}${tool('bullet', 'tBullet', '•')}${tool('ordered', 'tOrdered', '1.')}${tool('quote', 'tQuote', '“”')}${tool('link', 'tLink', t('tLink'))}${tool('image', 'tImage', t('tImage'))}${tool('undo', 'tUndo', '↶')}</div>
<div id="f-content" class="editor-host"></div><p class="field-error" id="e-f-content" role="alert"></p></div>
${field('f-summary', t('fSummary'), html`<textarea id="f-summary" name="summary" rows="3" maxlength="2000" aria-describedby="e-f-summary"></textarea>`)}
${field('f-category', t('fCategory'), html`<select id="f-category" name="category" required aria-describedby="e-f-category"></select>`)}
${field('f-institution', t('fInstitution'), html`<select id="f-institution" name="owner" required aria-describedby="e-f-institution"></select>`)}
${field('f-others', t('fOtherInstitutions'), html`<input id="f-others" name="others" type="text" list="all-institutions" aria-describedby="e-f-others"><datalist id="all-institutions"></datalist>`)}
${field('f-tags', t('fTags'), html`<input id="f-tags" name="tags" type="text" aria-describedby="h-f-tags e-f-tags">`, t('fTagsHint'))}
${field('f-author', t('fAuthor'), html`<input id="f-author" name="author" type="text" required maxlength="200" aria-describedby="e-f-author">`)}
<div class="row2">
${field('f-published', t('fPublishedAt'), html`<input id="f-published" name="publishedAt" type="datetime-local" step="60" required aria-describedby="h-f-published e-f-published">`, t('fPublishedHint'))}
${field('f-zone', t('fZone'), html`<select id="f-zone" name="zone">${ZONES.map((z) => html`<option value="${z.offsetMinutes}">${z.name} (UTC+${z.offsetMinutes / 60})</option>`)}</select>`)}
</div>
${field('f-image', t('fImageUrl'), html`<input id="f-image" name="image" type="url" aria-describedby="e-f-image">`)}
${field('f-image-alt', t('fImageAlt'), html`<input id="f-image-alt" name="imageAlt" type="text" maxlength="500" aria-describedby="e-f-image-alt">`)}
${field('f-url', t('fUrl'), html`<input id="f-url" name="url" type="url" aria-describedby="e-f-url">`)}
<div class="actions"><button type="button" id="do-preview">${t('preview')}</button> <button type="submit" id="do-publish" class="primary">${t('publish')}</button> <button type="submit" id="do-save" class="primary" hidden>${t('save')}</button> <button type="button" id="do-withdraw" class="danger" hidden>${t('withdraw')}</button></div>
</form>
<section id="preview" hidden aria-labelledby="preview-h">
<h2 id="preview-h">${t('previewHeading')}</h2>
<h3>${t('previewPage')}</h3><iframe id="preview-page" title="${t('previewPage')}" sandbox=""></iframe>
<h3>${t('previewRss')}</h3><pre id="preview-rss" tabindex="0"></pre>
<h3>${t('previewAtom')}</h3><pre id="preview-atom" tabindex="0"></pre>
<h3>${t('previewJson')}</h3><pre id="preview-json" tabindex="0"></pre>
</section>
</section>
<dialog id="link-dialog" aria-labelledby="link-h"><form method="dialog" id="link-form"><h2 id="link-h">${t('tLink')}</h2>
${field('d-link-url', t('linkUrl'), html`<input id="d-link-url" type="url">`)}
<div class="actions"><button value="ok" class="primary">${t('insert')}</button> <button value="cancel" formnovalidate>${t('cancel')}</button></div></form></dialog>
<dialog id="image-dialog" aria-labelledby="image-h"><form method="dialog" id="image-form"><h2 id="image-h">${t('tImage')}</h2>
${field('d-image-url', t('imageUrl'), html`<input id="d-image-url" type="url">`)}
${field('d-image-alt', t('imageAlt'), html`<input id="d-image-alt" type="text">`)}
${field('d-image-caption', t('imageCaption'), html`<input id="d-image-caption" type="text">`)}
${field('d-image-credit', t('imageCredit'), html`<input id="d-image-credit" type="text">`)}
<div class="actions"><button value="ok" class="primary">${t('insert')}</button> <button value="cancel" formnovalidate>${t('cancel')}</button></div></form></dialog>
</main>
<span hidden id="other-lang" data-lang="${other}"></span>
</body>
</html>
`.value;
}
