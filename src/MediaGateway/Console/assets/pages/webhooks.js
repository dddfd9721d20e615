import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, word, eventName } from '../i18n.js';
import { actionForm, showProblem } from '../ui.js';
import { loadNames, accountName } from '../names.js';

const safe = (id) => id.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * A department's webhook subscriptions: create one (its signing secret shown once), enable/disable, rotate the
 * secret, delete; each one's delivery log (newest first) with the delivery's detail and a redeliver button.
 */
export default {
  path: 'webhooks',
  nav: 'navWebhooks',
  roles: ['Department', 'Administrator'],
  async render(ctx) {
    const [subscriptions, eventTypes, accounts] = await Promise.all([
      api.get('/api/webhooks/subscriptions'), api.get('/api/webhooks/event-types'), api.get('/api/accounts'), loadNames()]);
    const logs = await Promise.all(subscriptions.map((s) => api.get(`/api/webhooks/subscriptions/${encodeURIComponent(s.id)}/deliveries?take=50`)));
    const reload = () => ctx.go('webhooks');
    const secretBox = h('div.card.secret-once#secret-once', { hidden: true });
    const showSecret = (answer) => {
      secretBox.hidden = false;
      secretBox.replaceChildren(h('strong', t('secretOnce')), ' ', h('code#secret-value', answer.secret), h('div.muted', answer.id));
    };
    return h('section',
      h('h1', t('navWebhooks')),
      secretBox,
      createForm(eventTypes, accounts, async (answer) => { showSecret(answer); await refreshList(ctx); }),
      h('div#subscriptions', subscriptions.length === 0 ? h('p.muted', t('none')) : subscriptions.map((s, i) => subscriptionCard(s, logs[i], reload, showSecret))));
  },
};

async function refreshList(ctx) {
  // Keep the secret on screen: re-render only the list below it.
  const fresh = await api.get('/api/webhooks/subscriptions');
  const logs = await Promise.all(fresh.map((s) => api.get(`/api/webhooks/subscriptions/${encodeURIComponent(s.id)}/deliveries?take=50`)));
  const secretBox = document.getElementById('secret-once');
  const show = (answer) => { secretBox.hidden = false; secretBox.replaceChildren(h('strong', t('secretOnce')), ' ', h('code#secret-value', answer.secret)); };
  document.getElementById('subscriptions')?.replaceChildren(...fresh.map((s, i) => subscriptionCard(s, logs[i], () => ctx.go('webhooks'), show)));
}

function createForm(eventTypes, accounts, done) {
  const url = h('input#wh-url', { type: 'url', required: true, placeholder: 'https://…' });
  const description = h('input#wh-description', { type: 'text', placeholder: t('description') });
  const events = h('fieldset.field', h('legend', t('eventsHelp')),
    eventTypes.map((e) => h('label.check', h('input', { type: 'checkbox', 'data-event': e, value: e }), ' ', h('span', { title: e }, eventName(e)))));
  const targets = h('fieldset.field', h('legend', t('accountsHelp')),
    accounts.map((a) => h('label.check', h('input', { type: 'checkbox', 'data-account': a.id, value: a.id }), ' ', h('span', { title: a.id }, a.name))));
  const checked = (box) => [...box.querySelectorAll('input:checked')].map((x) => x.value);
  const form = actionForm('webhook-create', t('newSubscription'),
    [h('label', { for: 'wh-url' }, t('url')), url, description, h('details', h('summary', `${t('events')} / ${t('targets')}`), events, targets)],
    t('create'),
    () => api.post('/api/webhooks/subscriptions', { url: url.value, description: description.value || null, events: checked(events), accounts: checked(targets) }),
    done);
  return h('details.card#webhook-new', h('summary', t('newSubscription')), form);
}

function subscriptionCard(s, log, reload, showSecret) {
  const id = encodeURIComponent(s.id);
  const problem = h('div.error', { role: 'alert', hidden: true });
  const act = (fn) => async (e) => {
    e.target.disabled = true;
    try { await fn(); } catch (err) { showProblem(problem, err); } finally { e.target.disabled = false; }
  };
  return h('div.card', { 'data-subscription': s.id, 'data-enabled': String(s.enabled) },
    h('div.bar', h('h2', { title: s.id }, s.description || s.url), h(`span.badge.${s.enabled ? 'acct-active' : 'acct-suspended'}`, s.enabled ? t('enabled') : t('disabled')),
      h('button.secondary', { type: 'button', 'data-action': 'toggle', onclick: act(async () => { await api.patch(`/api/webhooks/subscriptions/${id}`, { enabled: !s.enabled }); reload(); }) },
        s.enabled ? t('disable') : t('enable')),
      h('button.secondary', { type: 'button', 'data-action': 'rotate', onclick: act(async () => { showSecret(await api.post(`/api/webhooks/subscriptions/${id}/rotate-secret`, {})); }) }, t('rotateSecret')),
      h('button.secondary', { type: 'button', 'data-action': 'delete', onclick: act(async () => { if (!window.confirm(t('confirmDelete'))) return; await api.del(`/api/webhooks/subscriptions/${id}`); reload(); }) }, t('deleteSub'))),
    problem,
    h('p', h('code', s.url), s.description ? ` · ${s.description}` : null),
    h('p.muted', `${t('events')}: ${s.events.length ? s.events.map(eventName).join(t('listSep')) : t('allEvents')} · ${t('targets')}: ${s.accounts.length ? s.accounts.map(accountName).join(t('listSep')) : t('allAccounts')}`),
    s.disabledReason ? h('p.warn', `${t('disabled')}: ${s.disabledReason}`) : null,
    s.failingSince ? h('p.warn', `${t('failingSince')} ${formatTime(s.failingSince)}`) : null,
    s.previousSecretExpiresAt ? h('p.muted', `${t('oldSecretUntil')} ${formatTime(s.previousSecretExpiresAt)}`) : null,
    h('h3', t('deliveries')),
    log.length === 0 ? h('p.muted', t('none')) : h('table.list.deliveries',
      h('thead', h('tr', h('th', t('at')), h('th', t('events')), h('th', t('attempt')), h('th', 'HTTP'), h('th', t('latency')), h('th', t('outcome')), h('th', t('actions')))),
      h('tbody', log.map((d) => h('tr', { 'data-outcome': d.outcome, 'data-delivery': d.deliveryId },
        h('td', formatTime(d.at)), h('td', { title: d.eventType }, eventName(d.eventType)), h('td', d.attempt, d.manual ? ' ↻' : ''), h('td', d.statusCode ?? '—'),
        h('td', `${d.latencyMilliseconds} ms`), h('td', word('out', d.outcome), d.error ? h('div.muted', d.error) : null),
        h('td', deliveryDetail(s.id, d.deliveryId),
          actionForm(`redeliver-${safe(s.id)}-${safe(d.deliveryId)}-${d.attempt}`, null, null, t('redeliver'),
            () => api.post(`/api/webhooks/subscriptions/${id}/deliveries/${encodeURIComponent(d.deliveryId)}/redeliver`, {}), reload)))))));
}

function deliveryDetail(subscriptionId, deliveryId) {
  const box = h('details.delivery-detail', h('summary', t('detail')));
  box.addEventListener('toggle', async () => {
    if (!box.open || box.dataset.loaded) return;
    box.dataset.loaded = '1';
    try {
      const d = await api.get(`/api/webhooks/subscriptions/${encodeURIComponent(subscriptionId)}/deliveries/${encodeURIComponent(deliveryId)}`);
      box.append(
        h('p', `${word('out', d.state)} · ${t('attempts')}: ${d.attempts}${d.nextAttemptAt ? ` · ${formatTime(d.nextAttemptAt)}` : ''}`),
        h('h4', t('requestSent')),
        h('pre.request', Object.entries(d.requestHeaders).map(([k, v]) => `${k}: ${v}`).join('\n'), '\n\n', d.requestBody),
        h('ol', d.history.map((a) => h('li', `${formatTime(a.at)} · #${a.attempt}${a.manual ? ' ↻' : ''} · HTTP ${a.statusCode ?? '—'} · ${a.latencyMilliseconds} ms`,
          a.error ? h('div.muted', a.error) : null, a.response ? h('pre.response', a.response) : null))));
    } catch (err) {
      box.append(h('p.error', err.message));
    }
  });
  return box;
}
