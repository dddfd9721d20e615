import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, levelName } from '../i18n.js';
import { itemStatus, categoryName } from '../ui.js';
import { loadNames, accounts, person } from '../names.js';

/** Items the caller may see (GET /api/content), newest first; operators start with their own. */
export default {
  path: 'items',
  nav: 'navItems',
  roles: null,
  async render(ctx, filter) {
    const [all] = await Promise.all([api.get('/api/content?take=200'), loadNames()]);
    const mineOnly = filter !== 'all' && ctx.hasRole('Operator');
    const items = mineOnly ? all.filter((i) => i.createdBy === ctx.me.id) : all;
    return h('section',
      h('div.bar', h('h1', t('navItems')),
        ctx.hasRole('Operator') ? h('div.tabs',
          h('a', { href: '#/items/mine', class: mineOnly ? 'active' : null }, t('mine')),
          h('a', { href: '#/items/all', class: mineOnly ? null : 'active' }, t('all'))) : null,
        ctx.hasRole('Operator', 'Administrator') ? h('a.button', { href: '#/compose' }, t('navCompose')) : null),
      h('p.muted', t('chinaTime')),
      items.length === 0 ? h('p.muted', t('none')) : h('table.list#items',
        h('thead', h('tr', h('th', t('title')), h('th', t('category')), h('th', t('targets')), h('th', t('status')), h('th', t('createdBy')), h('th', t('createdAt')))),
        h('tbody', items.map((i) => h('tr', { 'data-item': i.id },
          h('td', h('a', { href: `#/item/${encodeURIComponent(i.id)}` }, i.title)),
          h('td', categoryName(i.category)),
          h('td', accounts(i.targets)),
          h('td.item-status', itemStatus(i), i.awaitingLevel ? h('span.muted', ` ${t('awaiting')} ${levelName(i.awaitingLevel, i.requiredLevels)}`) : null),
          h('td', person(i.createdBy)),
          h('td', formatTime(i.revisedAt || i.createdAt)))))));
  },
};
