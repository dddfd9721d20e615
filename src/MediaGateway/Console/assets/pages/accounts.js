import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, pick } from '../i18n.js';

/** Accounts the caller's department may see, with their ownership record, status and recorded changes. */
export default {
  path: 'accounts',
  nav: 'navAccounts',
  roles: null,
  async render() {
    const accounts = await api.get('/api/accounts');
    return h('section',
      h('h1', t('navAccounts')),
      h('table.list#accounts',
        h('thead', h('tr', h('th', t('accountId')), h('th', t('platform')), h('th', t('status')), h('th', t('reviewLevels')), h('th', t('ownership')), h('th', t('history')))),
        h('tbody', accounts.map((a) => {
          const o = a.ownership;
          const history = h('details', { 'data-history': a.id }, h('summary', t('history')));
          history.addEventListener('toggle', async () => {
            if (!history.open || history.dataset.loaded) return;
            history.dataset.loaded = '1';
            const changes = await api.get(`/api/accounts/${encodeURIComponent(a.id)}/history`);
            history.append(changes.length ? h('ul', changes.map((c) => h('li', `${formatTime(c.at)} · ${c.change} · ${c.by} · ${c.reason}`))) : h('p.muted', t('none')));
          });
          return h('tr', { 'data-account': a.id },
            h('td', h('strong', a.name), h('div.muted', a.id)),
            h('td', `${a.platform} · ${a.kind}${a.publishMode ? ` · ${a.publishMode}` : ''}`),
            h('td', h(`span.badge.acct-${a.status.toLowerCase()}`, a.status), a.notPublishableBecause ? h('div.warn', `${t('notPublishable')}: ${pick(a.notPublishableBecause)}`) : null),
            h('td', a.reviewLevels),
            h('td', h('dl.ownership',
              h('dt', t('openingUnit')), h('dd', o.openingUnit || '—'),
              h('dt', t('supervising')), h('dd', o.supervisingDepartment || '—'),
              h('dt', t('operatingTeam')), h('dd', o.operatingTeam || '—'),
              h('dt', t('responsible')), h('dd', o.responsiblePerson ? `${o.responsiblePerson.name || '—'} ${o.responsiblePerson.contact || ''}` : '—'),
              h('dt', t('filing')), h('dd', o.filingNumber || '—'))),
            h('td', history));
        }))));
  },
};
