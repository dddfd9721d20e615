// The console shell: sign-in state, navigation by role, and a hash router over the page modules.
import { api, token, setToken } from './api.js';
import { h, clear } from './dom.js';
import { t, pick, setLang, currentLang, translateStatic } from './i18n.js';
import { pages } from './pages/index.js';
import signIn from './pages/signin.js';
import { decorateNav } from './badges.js';

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
  document.getElementById('who-name').textContent = signedIn
    ? `${ctx.me.name} · ${ctx.me.department}${ctx.me.reviewLevel ? ` · L${ctx.me.reviewLevel}` : ''}` : '';
  if (!signedIn) return;
  const current = location.hash.slice(2).split('/')[0];
  for (const page of pages.filter((p) => p.nav && visible(p))) {
    nav.append(h('a', { href: `#/${page.path}`, 'data-nav': page.path, class: current === page.path ? 'active' : null }, t(page.nav)));
  }
  decorateNav(nav);
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

async function route() {
  const mine = ++routing; // a later navigation wins over a slower earlier one
  const view = document.getElementById('view');
  const [path, ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (!ctx.me && token()) {
    try { ctx.me = await api.get('/api/me'); } catch { setToken(null); }
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
    if (mine === routing) clear(view).append(content);
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
document.getElementById('sign-out').addEventListener('click', () => {
  setToken(null);
  ctx.me = null;
  go('signin');
});
// A token that stops working (expired JWT) signs the user out; a refused sign-in attempt is the sign-in page's to show.
window.addEventListener('mg:unauthorized', () => { if (ctx.me) { setToken(null); ctx.me = null; route(); } });
window.addEventListener('hashchange', route);
route();
