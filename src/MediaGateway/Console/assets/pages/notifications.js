import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, levelName, currentLang } from '../i18n.js';
import { showProblem } from '../ui.js';
import { loadNames, accounts as accountNames } from '../names.js';
import { refreshNotices } from '../badges.js';

// This page's own words ([中文, English]); the shared ones come from i18n.js.
const WORDS = {
  title: ['通知', 'Notifications'], empty: ['暂无通知', 'No notifications'], markAll: ['全部标为已读', 'Mark all read'],
  more: ['加载更早的', 'Load older'], unread: ['条未读', 'unread'], unreadMark: ['未读', 'Unread'],
  kept: ['保留最近 30 天内的最新 200 条', 'The newest 200 of the last 30 days are kept'], item: ['稿件', 'Item'],
  k_reviewRequested: ['等待你审核', 'Waiting for your review'], k_returned: ['稿件被退回', 'Your item came back'],
  k_approved: ['稿件已通过审核', 'Your item was approved'], k_published: ['稿件已发布', 'Your item was published'],
  k_failed: ['发布失败，需要处理', 'Publication failed'], k_needsDecision: ['待人工确认', 'Needs a decision'],
  k_missed: ['错过定时发布', 'Scheduled time missed'], k_deadlineApproaching: ['即将到期', 'Deadline approaching'],
  k_deadlineMissed: ['已超过发布时限', 'Deadline missed'],
};
const w = (key) => (WORDS[key] || [key, key])[currentLang() === 'en' ? 1 : 0];

/** What a notice says, in words: its kind (with the level for a review), never the kind's code. */
function kindText(n) {
  const text = WORDS[`k_${n.kind}`] ? w(`k_${n.kind}`) : w('item');
  return n.kind === 'reviewRequested' && n.level ? `${text}（${levelName(n.level)}）` : text;
}

function row(n, markRead) {
  const title = n.title ? `《${n.title}》` : w('item');
  return h(n.read ? 'li.notice' : 'li.notice.unread', { 'data-notice-id': n.id, 'data-kind': n.kind, 'data-read': n.read ? 'true' : 'false' },
    h('div.notice-head', n.read ? null : h('span.notice-dot', { title: w('unreadMark'), 'aria-label': w('unreadMark') }),
      h('strong.notice-kind', kindText(n)), h('time.muted', { datetime: n.at }, formatTime(n.at))),
    h('div.notice-body',
      n.contentId ? h('a.notice-link', { href: `#/item/${encodeURIComponent(n.contentId)}`, title: n.contentId, onclick: () => markRead(n.id) }, title) : title,
      n.accountIds?.length ? h('div.muted.notice-accounts', accountNames(n.accountIds)) : null));
}

/** The signed-in person's notices, newest first (GET /api/me/notifications), each linking to its item. */
export default {
  path: 'notifications',
  nav: null, // reached from the header's 通知 link, which carries the unread count
  roles: null,
  async render(ctx) {
    const [page] = await Promise.all([api.get('/api/me/notifications?take=50'), loadNames()]);
    const list = h('ul.notices#notices');
    const status = h('p.muted#notices-unread');
    const problem = h('div.error#notices-problem', { role: 'alert', hidden: true });
    const more = h('button.link#notices-more', { type: 'button', hidden: true }, w('more'));
    let next = null;
    const showUnread = (n) => { status.textContent = `${n} ${w('unread')} · ${t('chinaTime')} · ${w('kept')}`; };
    const markRead = (id) => api.post('/api/me/notifications/read', { upTo: id }).then(refreshNotices).catch(() => {});
    const add = (answer) => {
      list.append(...answer.items.map((n) => row(n, markRead)));
      next = answer.nextBefore;
      more.hidden = !next;
    };
    more.addEventListener('click', async () => {
      try { add(await api.get(`/api/me/notifications?take=50&before=${encodeURIComponent(next)}`)); } catch (e) { showProblem(problem, e); }
    });
    const markAll = h('button#notices-read-all', { type: 'button', disabled: page.unread === 0 }, w('markAll'));
    markAll.addEventListener('click', async () => {
      try {
        const answer = await api.post('/api/me/notifications/read', {});
        showUnread(answer.unread);
        for (const li of list.querySelectorAll('li.notice')) { li.classList.remove('unread'); li.dataset.read = 'true'; li.querySelector('.notice-dot')?.remove(); }
        markAll.disabled = true;
        refreshNotices();
      } catch (e) { showProblem(problem, e); }
    });
    showUnread(page.unread);
    add(page);
    return h('section.notices-page',
      h('div.bar', h('h1', w('title')), markAll),
      status, problem,
      page.items.length === 0 ? h('p.muted#notices-empty', w('empty')) : list,
      more);
  },
};
