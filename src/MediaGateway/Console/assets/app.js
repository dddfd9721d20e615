// The console shell: sign-in state, navigation by role, and a hash router over the page modules.
import { api, token, setToken } from './api.js';
import { h, clear } from './dom.js';
import { t, pick, setLang, currentLang, translateStatic, word, levelName } from './i18n.js';
import { pages } from './pages/index.js';
import signIn from './pages/signin.js';
import { completeSignIn, signInAtProvider, signOutAtProvider, providerSettings, keepDraft, restoreDraft } from './oidc.js';
import { decorateNav, refreshNotices } from './badges.js';
import { keepTablesLabelled } from './ui.js';

const ctx = { me: null, go, hasRole };

function hasRole(...roles) {
  return !!ctx.me && roles.some((r) => ctx.me.roles.includes(r));
}

function go(path) {
  if (location.hash === '#/' + path) route(); else location.hash = '#/' + path;
}

function visible(page) {
  return !page.roles || hasRole(...page.roles);
}

function renderChrome() {
  translateStatic();
  document.getElementById('lang').textContent = t('language');
  const nav = clear(document.getElementById('nav'));
  const signedIn = !!ctx.me;
  document.getElementById('sign-out').hidden = !signedIn;
  document.getElementById('notices-link').hidden = !signedIn;
  document.getElementById('who-name').textContent = signedIn
    ? `${ctx.me.name} · ${ctx.me.departmentName || ctx.me.department} · ${ctx.me.roles.map((r) => (r === 'Reviewer' && ctx.me.reviewLevel ? (currentLang() === 'en' ? `${t('role_Reviewer')} (${levelName(ctx.me.reviewLevel)})` : `${levelName(ctx.me.reviewLevel)}人`) : word('role', r))).join(t('listSep'))}` : '';
  if (!signedIn) return;
  const current = location.hash.slice(2).split('/')[0];
  for (const page of pages.filter((p) => p.nav && visible(p))) {
    nav.append(h('a', { href: `#/${page.path}`, 'data-nav': page.path, class: current === page.path ? 'active' : null }, t(page.nav)));
  }
  decorateNav(nav);
  refreshNotices();
}

/** Administrators see, on every page, a year that starts within the warning days without its holiday notice (decision 29). */
async function renderBanner() {
  const box = clear(document.getElementById('banner'));
  if (!hasRole('Administrator')) return;
  try {
    const status = await api.get('/api/calendar/status');
    if (!status.warnings.length) return;
    box.append(h('div.banner#notice-banner', { role: 'status' }, status.warnings.map((w) =>
      h('p', { 'data-missing-year': w.year }, pick(w.message), ' ', h('a', { href: '#/holidays' }, t('navHolidays'))))));
  } catch { /* the banner is a reminder; the page itself still loads */ }
}

let routing = 0;
let shownRoute = null;

/**
 * a11y: on a move to another page, or when the new rendering took away the control that had focus (a form that sent
 * and reloaded), focus goes to the page's heading, so the keyboard and a screen reader carry on from the page's top
 * instead of the start of the document. A re-rendering that leaves focus where it was (the language button) keeps it.
 */
function focusHeading(view) {
  const moved = location.hash !== shownRoute;
  shownRoute = location.hash;
  const lost = !document.activeElement || document.activeElement === document.body;
  const heading = view.querySelector('h1');
  if (!heading || (!moved && !lost)) return;
  heading.tabIndex = -1;
  heading.focus({ preventScroll: !moved }); // the same page drawn again (a poll, a sent form) stays where it was scrolled
}

async function route() {
  const mine = ++routing; // a later navigation wins over a slower earlier one
  const view = document.getElementById('view');
  const [path, ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (!ctx.me && token()) {
    try { ctx.me = await api.get('/api/me'); } catch (e) {
      setToken(null);
      // Signed in at the provider, but the gateway knows neither the person nor any of their groups.
      if (ctx.justSignedIn && e.status === 401) ctx.signInError = 'not-enabled';
    }
    ctx.justSignedIn = false;
  }
  if (mine !== routing) return;
  renderChrome();
  clear(view);
  if (!ctx.me) {
    clear(document.getElementById('banner'));
    signIn.render(view, ctx);
    return;
  }
  renderBanner();
  const page = pages.find((p) => p.path === path && visible(p)) || pages.find((p) => p.path === 'items');
  view.append(h('p.muted', t('loading')));
  try {
    const content = await page.render(ctx, ...params);
    if (mine === routing) {
      clear(view).append(content);
      if (restoreDraft(view)) {
        view.prepend(h('p.draft-restored#draft-restored', { role: 'status' }, currentLang() === 'en'
          ? 'Your sign-in had expired; you are signed in again and what you had typed is back. Nothing was saved yet.'
          : '登录已过期，已重新登录；刚才填写的内容已恢复，尚未保存。'));
      }
      focusHeading(view);
    }
  } catch (e) {
    if (mine === routing) clear(view).append(h('p.error', { role: 'alert' }, e.message));
  }
}

ctx.signedIn = async (me) => {
  ctx.me = me;
  go('items');
};

document.getElementById('lang').addEventListener('click', () => {
  setLang(currentLang() === 'en' ? 'zh' : 'en');
  route();
});
document.getElementById('sign-out').addEventListener('click', async () => {
  ctx.me = null;
  // Signing out ends the provider's session too, so the next sign-in asks again (it comes back to the sign-in page).
  if (!(await signOutAtProvider())) go('signin');
});
// A sign-in that stops working (the token expired) keeps what is typed on the page, signs in again at the provider
// (at once, without a question, while the provider's own session lasts) and comes back to the same page.
window.addEventListener('mg:unauthorized', async () => {
  if (!ctx.me) return;
  keepDraft(document.getElementById('view'));
  setToken(null);
  ctx.me = null;
  const settings = await providerSettings().catch(() => null);
  if (settings?.enabled) signInAtProvider(location.hash || '#/items'); else route();
});
window.addEventListener('hashchange', route);
keepTablesLabelled(document.getElementById('view')); // phone: tables read as labelled cards

const answer = await completeSignIn().catch(() => ({ error: 'exchange' }));
ctx.signInError = answer?.error || null;
ctx.justSignedIn = !!answer?.returnHash;
route();
