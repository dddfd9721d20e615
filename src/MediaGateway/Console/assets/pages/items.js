import { api } from '../api.js';
import { h, clear, formatTime } from '../dom.js';
import { t, levelName } from '../i18n.js';
import { itemStatus, categoryName, deadlineCell, showProblem } from '../ui.js';
import { loadNames, accounts as accountNames, person, unitName } from '../names.js';

const STATES = ['inReview', 'changesRequired', 'rejected', 'approved', 'withdrawn',
  'scheduled', 'waiting', 'publishing', 'published', 'partlyPublished', 'failed', 'retracted', 'needsDecision', 'cancelled'];
const CATEGORIES = ['normativeDocument', 'livelihoodActivity', 'policyInterpretation', 'news', 'emergency', 'closureNotice', 'other'];
const DEADLINES = ['open', 'approaching', 'missed', 'running', 'met', 'late', 'none'];

function stateName(s) {
  return ['inReview', 'changesRequired', 'rejected', 'approved', 'withdrawn'].includes(s) ? t(`st_${s}`) : t(`ps_${s}`);
}

function deadlineName(d) {
  return d === 'open' ? t('dlFilterOpen') : d === 'none' ? t('dlFilterNone') : t(`dl_${d}`);
}

function select(name, any, options) {
  return h('select', { name, 'aria-label': any }, h('option', { value: '' }, any),
    options.map(([value, label]) => h('option', { value }, label)));
}

/**
 * Items the caller may see, newest first, through GET /api/content/search: a search box (Chinese substring of title or
 * text) and filters (status, account, unit, category, deadline, creation days); operators start with their own items.
 * Each page holds 50; "load older" follows the API's cursor.
 */
export default {
  path: 'items',
  nav: 'navItems',
  roles: null,
  async render(ctx, filter) {
    const mineOnly = filter !== 'all' && ctx.hasRole('Operator');
    const [accounts] = await Promise.all([api.get('/api/accounts').catch(() => []), loadNames()]);
    const units = [...new Set([ctx.me.department, ...accounts.map((a) => a.ownership?.operatingTeam).filter(Boolean)])];
    const form = h('form.filters#item-filters', { role: 'search' },
      h('input', { type: 'search', name: 'q', placeholder: t('searchPlaceholder'), 'aria-label': t('search'), maxlength: 100 }),
      select('state', t('anyState'), STATES.map((s) => [s, stateName(s)])),
      select('account', t('anyAccount'), accounts.map((a) => [a.id, a.name])),
      select('unit', t('allUnits'), units.map((u) => [u, unitName(u)])),
      select('category', t('anyCategory'), CATEGORIES.map((c) => [c, categoryName(c)])),
      select('deadline', t('anyDeadline'), DEADLINES.map((d) => [d, deadlineName(d)])),
      h('label', t('fromDay'), ' ', h('input', { type: 'date', name: 'from' })),
      h('label', t('toDay'), ' ', h('input', { type: 'date', name: 'to' })),
      h('button', { type: 'submit' }, t('search')),
      h('button.secondary', { type: 'reset' }, t('clearFilters')));
    const results = h('div#item-results');
    const problem = h('div.problem', { role: 'alert' });

    const query = (cursor) => {
      const params = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (String(v).trim()) params.set(k, String(v).trim());
      if (mineOnly) params.set('createdBy', ctx.me.id);
      if (cursor) params.set('cursor', cursor);
      params.set('take', '100');
      return `/api/content/search?${params}`;
    };

    let body = null;
    const load = async (cursor) => {
      clear(problem);
      let page;
      try { page = await api.get(query(cursor)); } catch (e) { showProblem(problem, e); return; }
      if (!cursor) {
        clear(results);
        body = h('tbody');
        results.append(page.items.length === 0 && !page.nextCursor ? h('p.muted#items-none', t('noMatch')) : h('table.list#items',
          h('thead', h('tr', h('th', t('title')), h('th', t('category')), h('th', t('targets')), h('th', t('status')),
            h('th', t('deadline')), h('th', t('createdBy')), h('th', t('createdAt')))), body));
      }
      body?.append(...page.items.map((i) => h('tr', { 'data-item': i.id },
        h('td', h('a', { href: `#/item/${encodeURIComponent(i.id)}` }, i.title)),
        h('td', categoryName(i.category)),
        h('td', accountNames(i.targets)),
        h('td.item-status', itemStatus(i), i.awaitingLevel ? h('span.muted', ` ${t('awaiting')} ${levelName(i.awaitingLevel, i.requiredLevels)}`) : null),
        h('td.item-deadline', deadlineCell(i)),
        h('td', person(i.createdBy)),
        h('td', formatTime(i.revisedAt || i.createdAt)))));
      results.querySelector('#items-more')?.remove();
      results.querySelector('#items-partial')?.remove();
      if (page.partial) results.append(h('p.muted#items-partial', t('searchPartial')));
      if (page.nextCursor) {
        results.append(h('button.secondary#items-more', { type: 'button', onclick: () => load(page.nextCursor) }, t('loadOlder')));
      }
    };
    form.addEventListener('submit', (e) => { e.preventDefault(); load(null); });
    form.addEventListener('reset', () => setTimeout(() => load(null), 0));
    await load(null);

    return h('section',
      h('div.bar', h('h1', t('navItems')),
        ctx.hasRole('Operator') ? h('div.tabs',
          h('a', { href: '#/items/mine', class: mineOnly ? 'active' : null }, t('mine')),
          h('a', { href: '#/items/all', class: mineOnly ? null : 'active' }, t('all'))) : null,
        ctx.hasRole('Operator', 'Administrator') ? h('a.button', { href: '#/compose' }, t('navCompose'))  : null),
      form, problem,
      h('p.muted', t('chinaTime')),
      results);
  },
};
