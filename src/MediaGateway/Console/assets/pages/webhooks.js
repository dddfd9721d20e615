import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t } from '../i18n.js';

/** A department's webhook subscriptions and each one's delivery log (newest first). */
export default {
  path: 'webhooks',
  nav: 'navWebhooks',
  roles: ['Department', 'Administrator'],
  async render() {
    const subscriptions = await api.get('/api/webhooks/subscriptions');
    const logs = await Promise.all(subscriptions.map((s) => api.get(`/api/webhooks/subscriptions/${encodeURIComponent(s.id)}/deliveries?take=50`)));
    return h('section',
      h('h1', t('navWebhooks')),
      subscriptions.length === 0 ? h('p.muted', t('none')) : subscriptions.map((s, i) => h('div.card', { 'data-subscription': s.id },
        h('h2', s.id), h('p', h('code', s.url)),
        h('p.muted', `${t('events')}: ${s.events.length ? s.events.join(', ') : t('allEvents')} · ${t('targets')}: ${s.accounts.length ? s.accounts.join(', ') : t('allAccounts')}`),
        h('h3', t('deliveries')),
        logs[i].length === 0 ? h('p.muted', t('none')) : h('table.list.deliveries',
          h('thead', h('tr', h('th', t('at')), h('th', t('events')), h('th', t('attempt')), h('th', 'HTTP'), h('th', t('latency')), h('th', t('outcome')))),
          h('tbody', logs[i].map((d) => h('tr', { 'data-outcome': d.outcome },
            h('td', formatTime(d.at)), h('td', h('code', d.eventType)), h('td', d.attempt), h('td', d.statusCode ?? '—'),
            h('td', `${d.latencyMilliseconds} ms`), h('td', d.outcome, d.error ? h('div.muted', d.error) : null))))))));
  },
};
