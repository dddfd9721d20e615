import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, pick, word, eventName } from '../i18n.js';
import { actionForm } from '../ui.js';
import { loadNames, person, personName, unitName } from '../names.js';

/**
 * Accounts the caller's department may see: ownership record, status, recorded changes, how long each has been silent
 * (the dormancy watch), and its publishing switch (GET /api/pauses): paused by a person, held by the gateway, or running.
 * Administrators also get the global switch.
 */
export default {
  path: 'accounts',
  nav: 'navAccounts',
  roles: null,
  async render(ctx) {
    const [accounts, pauses] = await Promise.all([api.get('/api/accounts'), api.get('/api/pauses'), loadNames()]);
    const reload = () => ctx.go('accounts');
    const mayPause = ctx.hasRole('Administrator', 'Department', 'Operator');
    return h('section',
      h('h1', t('navAccounts')),
      globalSwitch(ctx, pauses.global, reload),
      h('table.list#accounts',
        h('thead', h('tr', h('th', t('accountId')), h('th', t('platform')), h('th', t('status')), h('th', t('activity')), h('th', t('publishing')),
          h('th', t('reviewLevels')), h('th', t('ownership')), h('th', t('history')))),
        h('tbody', accounts.map((a) => {
          const o = a.ownership;
          const history = h('details', { 'data-history': a.id }, h('summary', t('history')));
          history.addEventListener('toggle', async () => {
            if (!history.open || history.dataset.loaded) return;
            history.dataset.loaded = '1';
            const changes = await api.get(`/api/accounts/${encodeURIComponent(a.id)}/history`);
            history.append(changes.length ? h('ul', changes.map((c) => h('li', `${formatTime(c.at)} · ${eventName(`account.${c.change}`)} · `, person(c.by), ` · ${pick(c.reason)}`))) : h('p.muted', t('none')));
          });
          return h('tr', { 'data-account': a.id },
            h('td', h('strong', { title: a.id }, a.name)),
            h('td', `${word('pf', a.platform)} · ${word('kind', a.kind)}${a.publishMode ? ` · ${word('mode', a.publishMode)}` : ''}`),
            h('td', h(`span.badge.acct-${a.status.toLowerCase()}`, { 'data-account-status': a.status }, word('acct', a.status)), a.notPublishableBecause ? h('div.warn', `${t('notPublishable')}: ${pick(a.notPublishableBecause)}`) : null),
            h('td', activityCell(a.activity)),
            h('td', pauseCell(a.id, pauses.accounts.find((x) => x.accountId === a.id), mayPause, reload)),
            h('td', a.reviewLevels),
            h('td', h('dl.ownership',
              h('dt', t('openingUnit')), h('dd', { title: o.openingUnit }, o.openingUnit ? unitName(o.openingUnit) : '—'),
              h('dt', t('supervising')), h('dd', { title: o.supervisingDepartment }, o.supervisingDepartment ? unitName(o.supervisingDepartment) : '—'),
              h('dt', t('operatingTeam')), h('dd', { title: o.operatingTeam }, o.operatingTeam ? unitName(o.operatingTeam) : '—'),
              h('dt', t('responsible')), h('dd', o.responsiblePerson ? `${o.responsiblePerson.name || '—'} ${o.responsiblePerson.contact || ''}` : '—'),
              h('dt', t('filing')), h('dd', o.filingNumber || '—'))),
            h('td', history));
        }))));
  },
};

export function activityCell(activity) {
  if (!activity) return h('span.muted', '—');
  return h('div.activity', { 'data-stage': activity.stage },
    h(`span.badge.stage-${activity.stage}`, t(`stage_${activity.stage}`)), ` ${activity.daysSilent.toFixed(1)} ${t('daysSilent')}`,
    h('div.muted', pick(activity.description)));
}

function pauseCell(id, state, mayPause, reload) {
  const pause = state?.pause;
  const hold = state?.hold;
  const status = pause ? h('div.pause-state.warn', { 'data-pause': 'paused' }, `${t('paused')} · ${personName(pause.by)} · ${pause.reason} · ${formatTime(pause.at)}`)
    : hold ? h('div.pause-state.warn', { 'data-pause': 'held' }, { title: hold.code }, `${t('held')} · ${pick(hold.reason)} ${t('until')} ${formatTime(hold.until)}`)
      : h('div.pause-state.ok', { 'data-pause': 'running' }, t('running'));
  if (!mayPause) return status;
  const action = pause || hold ? 'unpause' : 'pause';
  const reason = h('input.pause-reason', { type: 'text', required: true, placeholder: t('pauseReason'), 'aria-label': t('pauseReason') });
  return h('div', status, actionForm(`${action}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`, null, reason, t(action),
    () => api.post(`/api/accounts/${encodeURIComponent(id)}/${action}`, { reason: reason.value }), reload));
}

function globalSwitch(ctx, global, reload) {
  const state = global
    ? h('p.warn#global-pause-state', { 'data-pause': 'paused' }, `${t('globalPaused')} · ${personName(global.by)} · ${global.reason} · ${formatTime(global.at)}`)
    : h('p.ok#global-pause-state', { 'data-pause': 'running' }, t('globalRunning'));
  if (!ctx.hasRole('Administrator')) return global ? state : null;
  const reason = h('input#global-reason', { type: 'text', required: true, placeholder: t('pauseReason'), 'aria-label': t('pauseReason') });
  return h('div.card#global-pause', h('h3', t('globalPause')), state,
    actionForm('global-pause-form', null, reason, global ? t('resumeAll') : t('pauseAll'),
      () => api.post('/api/pauses/global', { paused: !global, reason: reason.value }), reload));
}
