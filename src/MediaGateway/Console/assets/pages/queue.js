import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, levelName } from '../i18n.js';
import { categoryName, deadlineOf, deadlineCell } from '../ui.js';
import { loadNames, accounts, person } from '../names.js';

/**
 * The reviewer's queue: items in review waiting at the reviewer's level, oldest deadline first (items without a
 * deadline rule after them, oldest submission first), with the time left in the 时限 column. Decisions are made one item at a time on the item's page.
 */
export default {
  path: 'queue',
  nav: 'navQueue',
  roles: ['Reviewer'],
  async render(ctx) {
    const [items] = await Promise.all([api.get('/api/content?take=500'), loadNames()]);
    // Items with a deadline first, oldest deadline first; then those without one, oldest submission first.
    const clock = (i) => (deadlineOf(i) ? 0 : 1e15) + new Date(deadlineOf(i) || i.revisedAt || i.createdAt).getTime();
    const waiting = items
      .filter((i) => i.status === 'inReview' && i.awaitingLevel === ctx.me.reviewLevel && !i.reviews.some((r) => r.reviewerId === ctx.me.id))
      .sort((a, b) => clock(a) - clock(b));
    return h('section',
      h('div.bar', h('h1', `${t('navQueue')} · ${levelName(ctx.me.reviewLevel)}`)),
      waiting.length === 0 ? h('p.muted#queue-empty', t('queueEmpty')) : h('table.list#queue',
        h('thead', h('tr', h('th', t('title')), h('th', t('category')), h('th', t('targets')), h('th', t('findings')),
          h('th', t('deadline')), h('th', t('waitingSince')), h('th', t('createdBy')))),
        h('tbody', waiting.map((i) => h('tr', { 'data-item': i.id },
          h('td', h('a', { href: `#/item/${encodeURIComponent(i.id)}` }, i.title)),
          h('td', categoryName(i.category)),
          h('td', accounts(i.targets)),
          h('td', ['block', 'flag', 'info'].map((s) => {
            const n = i.findings.filter((f) => f.severity === s).length;
            return n ? h(`span.sev.sev-${s}`, `${t(`sev_${s}`)} ${n} `) : null;
          })),
          h('td', deadlineCell(i)),
          h('td', formatTime(i.revisedAt || i.createdAt)),
          h('td', i.createdBy === ctx.me.id ? h('span.warn', person(i.createdBy), ` (${t('ownRefused')})`) : person(i.createdBy)))))));
  },
};
