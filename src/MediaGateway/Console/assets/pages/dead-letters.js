import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, pick, word } from '../i18n.js';
import { publicationBadge, redriveForm } from '../ui.js';
import { loadNames, accountName } from '../names.js';

/** A publication id is "{item}.r{revision}.{account}": the item it belongs to. */
const itemOf = (publicationId) => /^(.*)\.r\d+\.[^.]+$/.exec(publicationId)?.[1] ?? null;

/**
 * Publications that failed in a way a person can fix (retries exhausted, expired credentials, configuration),
 * newest first, with the failure in plain words and a re-drive (reason required) for each.
 */
export default {
  path: 'dead-letters',
  nav: 'navDeadLetters',
  roles: ['Operator', 'Department', 'Administrator'],
  async render(ctx) {
    const [list] = await Promise.all([api.get('/api/publications/dead-letters?take=200'), loadNames()]);
    const reload = () => ctx.go('dead-letters');
    return h('section',
      h('div.bar', h('h1', t('navDeadLetters'))),
      list.length === 0 ? h('p.muted#dead-letters-empty', t('deadLetterEmpty')) : h('table.list#dead-letters',
        h('thead', h('tr', h('th', t('accountId')), h('th', t('publication')), h('th', t('error')), h('th', t('at')), h('th', t('redrive')))),
        h('tbody', list.map((p) => {
          const item = itemOf(p.id);
          return h('tr', { 'data-publication-id': p.id, 'data-state': p.state, 'data-status': p.status },
            h('td', h('strong', { title: p.accountId }, accountName(p.accountId)), h('div.muted', word('pf', p.platform)), p.lane === 'emergency' ? h('span.badge.lane-emergency', t('lane_emergency')) : null),
            h('td', item ? h('a', { href: `#/item/${encodeURIComponent(item)}`, title: p.id }, t('openItem')) : h('span', { title: p.id }, t('publication')), ' ', publicationBadge(p.status),
              h('div.muted', `${t('attempts')}: ${p.attempts}`)),
            h('td', p.decision ? h('div.failure', pick(p.decision.reason))
              : p.error ? [h('div.failure', pick(p.error.explanation)), h('div.muted', { title: `${p.error.class} ${p.error.code}` }, `${word('ec', p.error.class)} · ${t('platformCode')} ${p.error.code}${p.error.platformMessage ? `：${p.error.platformMessage}` : ''}`)] : '—'),
            h('td', formatTime(p.deadLetteredAt)),
            h('td', p.canRedrive && ctx.hasRole('Operator', 'Administrator') ? redriveForm(p, reload) : '—'));
        }))));
  },
};
