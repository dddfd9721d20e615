// Names for the ids the API carries (GET /api/names, decision 39): people, units and accounts appear by name, the id
// only in a tooltip. Loaded once per signed-in token; a page awaits loadNames() before it renders.
import { api, token } from './api.js';
import { h } from './dom.js';
import { t, word } from './i18n.js';

let loaded = { for: null, names: { people: {}, units: {}, accounts: {} }, pending: null };

export async function loadNames() {
  const current = token();
  if (loaded.for === current && !loaded.pending) return loaded.names;
  if (loaded.for !== current || !loaded.pending) {
    loaded = { ...loaded, for: current, pending: api.get('/api/names').catch(() => ({ people: {}, units: {}, accounts: {} })) };
  }
  const names = await loaded.pending;
  if (loaded.for === current) loaded = { for: current, names, pending: null };
  return names;
}

/** A person's name (the id when unknown, e.g. a service key or a user removed from the configuration). */
export function personName(id) { return id === 'gateway' ? t('systemActor') : id === 'configuration' ? t('fromFile') : (id && loaded.names.people[id]) || id || '—'; }
export function unitName(id) { return (id && loaded.names.units[id]) || id || '—'; }
export function accountName(id) { return (id && loaded.names.accounts[id]?.name) || id || '—'; }

/** "示例市发布 · 微博": an account by name and platform. */
export function accountLabel(id) {
  const a = id ? loaded.names.accounts[id] : null;
  return a ? `${a.name} · ${word('pf', a.platform)}` : id || '—';
}

/** Elements with the id in the tooltip. */
export const person = (id) => h('span.person', { title: id }, personName(id));
export const unit = (id) => h('span.unit', { title: id }, unitName(id));
export const account = (id) => h('span.account', { title: id, 'data-account-name': id }, accountLabel(id));
export const accounts = (ids) => (ids || []).flatMap((id, i) => (i ? [t('listSep'), account(id)] : [account(id)]));
