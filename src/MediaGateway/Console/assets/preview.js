// What will be published, as the follower sees it: the WeChat article in a 375 px phone frame (cover, title, digest,
// author, the body from the same sanitised HTML the gateway sends) and the Weibo post as a card with its picture and the
// length Weibo counts. Counts come from the API (ArticleText / WeiboText on the server), never from the page.
import { token } from './api.js';
import { h } from './dom.js';
import { currentLang, pick, fieldLabel } from './i18n.js';

const WORDS = {
  wechat: ['公众号文章', 'WeChat article'],
  weibo: ['微博', 'Weibo post'],
  readerLength: ['正文 {n} 字', 'Body: {n} characters'],
  readerHint: ['读者看到的字数（不含排版标记）', 'Characters a follower reads (markup not counted)'],
  htmlLength: ['排版后 {n} / {max} 字符（公众号按 HTML 计）', 'Rendered {n} / {max} characters (WeChat counts the HTML)'],
  weiboLength: ['{n} / {max} 字（按微博计）', '{n} / {max} characters (as Weibo counts)'],
  weiboHint: ['微博接口规定：正文不超过 140 字', 'Weibo: a post has at most 140 characters'],
  cover: ['封面', 'Cover'],
  noCover: ['未设置封面', 'No cover'],
  picture: ['配图', 'Picture'],
  justNow: ['刚刚', 'just now'],
  from: ['来自 政务发布', 'via the gateway'],
  author: ['作者', 'Author'],
  listCard: ['订阅消息中的样子', 'As in the followers\' message list'],
  image: ['图片', 'Image'],
  // variants (issue 22, decision 45)
  original: ['阅读原文', 'Read the original'],
  comments: ['留言', 'Comments'],
  comments_closed: ['关闭', 'closed'],
  comments_open: ['开启', 'open to all'],
  comments_fansOnly: ['仅粉丝可留言', 'followers only'],
  weiboOwnText: ['微博专用文字', 'Weibo\'s own text'],
  weiboOwnTextHint: ['本条微博用的是单独撰写的文字，不是“【标题】摘要 链接”', 'This post uses a text written for Weibo, not "【title】summary link"'],
};

export function w(key, values = {}) {
  const text = WORDS[key][currentLang() === 'en' ? 1 : 0];
  return text.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ''));
}

/**
 * An image the item shows, fetched with the signed-in user's token from GET /api/content/{id}/media/{mediaId} (an <img>
 * cannot send a bearer token) and handed to the page as a blob: URL, which the strict CSP allows. Null without an item.
 */
const images = new Map();
export function mediaUrl(itemId, mediaId) {
  if (chosen.has(mediaId)) return Promise.resolve(chosen.get(mediaId)); // phone: a picture just chosen on the compose page
  if (!itemId || !mediaId) return Promise.resolve(null);
  const key = `${itemId}/${mediaId}`;
  if (!images.has(key)) {
    const headers = {};
    const bearer = token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    images.set(key, fetch(`/api/content/${encodeURIComponent(itemId)}/media/${encodeURIComponent(mediaId)}`, { headers, credentials: 'omit' })
      .then((r) => (r.ok ? r.blob() : null))
      .then((b) => (b ? URL.createObjectURL(b) : null))
      .catch(() => null));
  }
  return images.get(key);
}

function image(cls, itemId, mediaId, alt) {
  const img = h(`img.${cls}`, { alt, 'data-media': mediaId });
  mediaUrl(itemId, mediaId).then((url) => { if (url) img.src = url; else img.classList.add('missing'); });
  return img;
}

// The article's own look inside its frame: WeChat's reading column, and the marks for findings.
const FRAME_STYLE = 'html,body{margin:0}body{font:16px/1.75 -apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;color:#333;padding:0 16px 16px;word-wrap:break-word}'
  + 'img{max-width:100%!important;height:auto!important}img:not([src]){display:block;min-height:60px;background:#eee}'
  + 'mark{color:inherit}mark.sev-block{background:#ffd6de;border-bottom:2px solid #c01048}mark.sev-flag{background:#ffe8c2;border-bottom:2px solid #b54708}mark.sev-info{background:#dbe8ff}';

/**
 * The n-th occurrence in the rendered text of what a finding matched, n counted in the source before the finding's
 * position: so the mark sits where the finding is, even when the same words appear twice. Marks inside one text node.
 */
function markFindings(doc, source, findings) {
  findings.forEach((f, index) => {
    if (f.field !== 'body' || !f.matched || f.length <= 0) return;
    let nth = 0;
    for (let at = source.indexOf(f.matched); at >= 0 && at < f.start; at = source.indexOf(f.matched, at + 1)) nth++;
    const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    const hits = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('mark')) continue;
      for (let at = node.data.indexOf(f.matched); at >= 0; at = node.data.indexOf(f.matched, at + 1)) hits.push({ node, at });
    }
    const hit = hits[nth] ?? hits[0];
    if (!hit) return;
    const range = doc.createRange();
    range.setStart(hit.node, hit.at);
    range.setEnd(hit.node, hit.at + f.matched.length);
    const mark = doc.createElement('mark');
    mark.className = `sev-${f.severity}`;
    mark.id = `finding-${index}`;
    mark.dataset.finding = String(index);
    mark.title = pick(f.message);
    range.surroundContents(mark);
  });
}

/**
 * The article body in a frame that cannot run anything (sandbox without allow-scripts; the console's CSP applies to
 * srcdoc too). The HTML is the gateway's own sanitised rendering; images become the item's media, findings are marked.
 */
function articleFrame(article, { itemId, findings, source }) {
  const doc = new DOMParser().parseFromString(`<!doctype html><html><head></head><body>${article.html}</body></html>`, 'text/html');
  for (const s of doc.querySelectorAll('script')) s.remove(); // never there (sanitised), and inert here anyway
  if (findings && source !== undefined) markFindings(doc, source, findings);
  const pending = [...doc.querySelectorAll('img[src^="media:"]')].map(async (img) => {
    const id = img.getAttribute('src').slice('media:'.length);
    img.removeAttribute('src');
    img.setAttribute('data-media', id);
    const url = await mediaUrl(itemId, id);
    if (url) img.setAttribute('src', url); else img.setAttribute('alt', img.getAttribute('alt') || w('image'));
  });
  const frame = h('iframe.wechat-body', {
    sandbox: 'allow-same-origin', title: `${w('wechat')} · ${article.accountName}`, 'data-preview': article.accountId, scrolling: 'no',
  });
  const fit = () => {
    const d = frame.contentDocument;
    if (d?.documentElement) frame.style.height = `${d.documentElement.scrollHeight + 4}px`;
  };
  frame.addEventListener('load', () => {
    fit();
    for (const img of frame.contentDocument?.images ?? []) img.addEventListener('load', fit);
  });
  Promise.all(pending).then(() => {
    frame.srcdoc = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>${FRAME_STYLE}</style></head><body>${doc.body.innerHTML}</body></html>`;
  });
  return frame;
}

/**
 * The WeChat article in a 375 px phone: first as it appears in the followers' list (cover, title, digest), then opened
 * (title, author and account, body). Under it the length a follower reads and the length WeChat's limit counts.
 */
export function wechatPhone(article, { itemId = null, findings = null, title = null, digest = null, source } = {}) {
  const issues = issuesList(article.issues);
  return h('div.phone.wechat-phone', { 'data-preview': article.accountId },
    h('div.phone-head', `${w('wechat')} · ${article.accountName}`),
    h('div.phone-screen',
      h('div.wx-card', { 'aria-label': w('listCard') },
        article.coverMediaId ? image('wx-cover', itemId, article.coverMediaId, w('cover')) : h('div.wx-cover.none', w('noCover')),
        h('div.wx-card-title', article.title),
        article.digest ? h('div.wx-digest', digest ?? article.digest) : null),
      h('article.wx-article',
        h('h1.wx-title', title ?? article.title),
        h('p.wx-byline', article.author ? h('span.wx-author', article.author) : null, h('span.wx-account', article.accountName)),
        articleFrame(article, { itemId, findings, source }),
        wechatOptions(article))),
    h('div.counts',
      h('span.wx-count', { 'data-reader-length': article.readerLength, title: w('readerHint') }, w('readerLength', { n: article.readerLength })),
      ' · ',
      h(article.estimatedLength > article.contentMax ? 'span.warn.wx-html-count' : 'span.muted.wx-html-count', { 'data-html-length': article.estimatedLength },
        w('htmlLength', { n: article.estimatedLength, max: article.contentMax }))),
    issues);
}

/** The Weibo post as a card: account, text, picture, and the length as Weibo counts it (weibo.md: at most 140). */
export function weiboCard(post, { itemId = null, text = null } = {}) {
  const over = post.length > post.maxLength;
  return h('div.phone.weibo-card', { 'data-preview': post.accountId },
    h('div.phone-head', `${w('weibo')} · ${post.accountName}`),
    h('div.wb-head', h('span.wb-avatar', { 'aria-hidden': 'true' }, post.accountName.slice(0, 1)),
      h('div', h('strong', post.accountName), h('div.muted', `${w('justNow')} ${w('from')}`))),
    post.fromVariant ? h('div.wb-variant', { title: w('weiboOwnTextHint') }, w('weiboOwnText')) : null,
    h('div.weibo-post', { 'data-preview': post.accountId }, text ?? post.status),
    post.pictureMediaId ? image('wb-pic', itemId, post.pictureMediaId, w('picture')) : null,
    h(over ? 'div.warn.wb-count' : 'div.muted.wb-count', { 'data-weibo-length': post.length, title: w('weiboHint') },
      w('weiboLength', { n: post.length, max: post.maxLength })),
    issuesList(post.issues));
}

function issuesList(issues) {
  if (!issues?.length) return null;
  return h('ul.issues', issues.map((i) => h(i.blocking ? 'li.warn' : 'li', { 'data-issue': i.code },
    h('strong', { title: i.field }, fieldLabel(i.field)), ' ', pick(i.message))));
}

// ---- variants (issue 22, decision 45) --------------------------------------------------------------------------------

/** Under the article, as WeChat shows them: the "阅读原文" link (content_source_url) and who may leave a comment (留言). */
function wechatOptions(article) {
  const comments = article.comments || 'closed';
  return h('div.wx-options',
    article.contentSourceUrl ? h('p.wx-source', h('span.wx-source-label', w('original')), ' ', h('span.wx-source-url', article.contentSourceUrl)) : null,
    h('p.wx-comments', { 'data-comments': comments }, `${w('comments')}：`, h('strong', w(`comments_${comments}`))));
}

/* phone (compose): a picture the operator has just chosen is shown from the chosen file itself. The upload is stored at
   once (POST /api/media needs no item), but images are served through the item that shows them, which a new draft does
   not have yet (and a revision's new picture is not the saved item's). The bytes are the uploaded ones. */
const chosen = new Map();
export function showChosenImage(mediaId, file) {
  if (mediaId && file && !chosen.has(mediaId)) chosen.set(mediaId, URL.createObjectURL(file));
}
