// What waits for me: a count on the menu's tabs from GET /api/me/waiting (待审: items at my review level I may decide;
// 内容: failed publications and publications needing a decision, plus items I hold whose deadline is near or missed).
import { api } from './api.js';
import { h } from './dom.js';
import { currentLang } from './i18n.js';

const TABS = {
  queue: (w) => w.review,
  items: (w) => w.decisions + w.deadlines,
};

const TITLES = {
  queue: ['待我审核', 'waiting for my review'],
  items: ['发布失败或待人工确认，及即将到期或已超时', 'failed or needing a decision, and deadlines near or missed'],
};

/** Adds a badge to each tab of the menu that has something waiting; a failure leaves the menu as it is. */
export async function decorateNav(nav) {
  let waiting;
  try { waiting = await api.get('/api/me/waiting'); } catch { return; }
  for (const [path, count] of Object.entries(TABS)) {
    const n = count(waiting);
    const link = nav.querySelector(`[data-nav="${path}"]`);
    if (!link || !n) continue;
    link.querySelector('.nav-badge')?.remove();
    const title = TITLES[path][currentLang() === 'en' ? 1 : 0];
    link.append(h('span.nav-badge', { 'data-waiting': path, title, 'aria-label': `${n} ${title}` }, n > 99 ? '99+' : String(n)));
  }
}

// notify: the header's 通知 link carries the number of unread notices (GET /api/me/notifications); the notifications page
// calls this again after marking notices read.
export async function refreshNotices() {
  const link = document.getElementById('notices-link');
  if (!link) return;
  let unread;
  try { unread = (await api.get('/api/me/notifications?take=1')).unread; } catch { return; }
  link.querySelector('.nav-badge')?.remove();
  link.querySelector('.sr-only')?.remove();
  const title = currentLang() === 'en' ? 'unread notifications' : '条未读通知';
  // The link's name is what it shows ("通知" and the count) followed by words only a screen reader says: a name that
  // differs from the visible text is what speech control users cannot call (axe label-content-name-mismatch).
  if (unread) {
    link.append(h('span.nav-badge#notices-unread-count', { title, 'data-unread': unread }, unread > 99 ? '99+' : String(unread)),
      h('span.sr-only', ` ${title}`));
  }
}
