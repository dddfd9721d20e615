import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, word } from '../i18n.js';
import { deadlineCell, statusBadge, deadlineOf, publicationBadge } from '../ui.js';
import { activityCell } from './accounts.js';

/**
 * A simple publishing calendar: per account, the items that are scheduled, open or published, in time order, with
 * their deadlines; the accounts nearing two weeks of silence (the dormancy watch); this year's holidays.
 */
export default {
  path: 'calendar',
  nav: 'navCalendar',
  roles: null,
  async render() {
    const year = new Date().getFullYear();
    const [accounts, items, calendar] = await Promise.all([
      api.get('/api/accounts'), api.get('/api/content?take=500'), api.get(`/api/calendar/${year}`).catch(() => null)]);
    // Per account, the item's publication there (the list's publicationStatus.accounts): its word and its time
    // (published, taken down, due, waiting until); before approval, the review status and the item's own times.
    const on = (i, account) => i.publicationStatus?.accounts.find((a) => a.accountId === account) ?? null;
    const when = (i, account) => on(i, account)?.at || i.slotTimes?.[account] || i.publishAt || deadlineOf(i) || i.revisedAt || i.createdAt;
    const live = items.filter((i) => i.status !== 'withdrawn' && i.status !== 'rejected');
    const silent = accounts.filter((a) => a.activity && a.activity.stage !== 'active');
    return h('section',
      h('h1', t('navCalendar')),
      h('div.card#silence', h('h3', t('nearingSilence')),
        silent.length === 0 ? h('p.muted', t('none')) : h('ul', silent.map((a) => h('li', { 'data-account': a.id }, h('strong', { title: a.id }, a.name), ` · ${word('pf', a.platform)} `, activityCell(a.activity))))),
      h('p.muted', t('chinaTime')),
      h('div#calendar', accounts.map((a) => {
        const mine = live.filter((i) => i.targets.includes(a.id)).sort((x, y) => new Date(when(x, a.id)) - new Date(when(y, a.id)));
        return h('div.card', { 'data-calendar-account': a.id },
          h('h2', { title: a.id }, `${a.name} · ${word('pf', a.platform)}`),
          mine.length === 0 ? h('p.muted', t('none')) : h('table.list',
            h('thead', h('tr', h('th', t('at')), h('th', t('title')), h('th', t('status')), h('th', t('deadline')))),
            h('tbody', mine.map((i) => {
              const pub = on(i, a.id);
              return h('tr', { 'data-item': i.id, 'data-status': pub?.status ?? i.status },
                h('td', formatTime(when(i, a.id)), pub ? null : h('div.muted', i.publishAt || i.slotTimes?.[a.id] ? t('scheduled') : t('open'))),
                h('td', h('a', { href: `#/item/${encodeURIComponent(i.id)}` }, i.title)),
                h('td', pub ? publicationBadge(pub.status) : statusBadge(i.status)),
                h('td', deadlineCell(i)));
            }))));
      })),
      calendar ? h('details.card#holidays', h('summary', `${t('holidays')} · ${calendar.year} · ${calendar.workingDays} ${t('workingDays')}${calendar.provisional ? ` · ${t('provisionalYear')}` : ''}`),
        h('ul', calendar.holidays.map((x) => h('li', `${x.name}: ${x.offDays.join(', ')}${x.adjustedWorkingDays.length ? ` · ${x.adjustedWorkingDays.join(', ')}` : ''}`)))) : null);
  },
};
