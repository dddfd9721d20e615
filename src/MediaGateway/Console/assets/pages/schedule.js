// slots (issue 22): an account's posting slots and its queue, in China time. GET /api/accounts/{id}/queue and /slots.
import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, pick, levelName } from '../i18n.js';
import { statusBadge, publicationBadge, categoryName } from '../ui.js';
import { loadNames, accountLabel, accountName } from '../names.js';

/** An item's state on one account as the words table has it: 待初审 / 待审核 / 待审发, then the publication's word (已排期 …). */
export function scheduledState(entry) {
  if (entry.status === 'inReview' && entry.awaitingLevel) {
    return h('span.badge.st-inReview', { 'data-status': 'inReview' }, `${t('awaitingShort')}${levelName(entry.awaitingLevel)}`);
  }
  return entry.publicationStatus ? publicationBadge(entry.publicationStatus) : statusBadge(entry.status);
}

/** The per-account times an item got from "next free slot", for the item page: "排期：示例市发布 · 微博 3月6日 18:00". */
export function slotTimesLine(item) {
  const times = Object.entries(item.slotTimes || {});
  if (!times.length) return null;
  return h('span#slot-times', ` · ${t('slotTimes')}`, times.map(([id, at], i) =>
    h('span', { 'data-slot-account': id, title: id }, `${i ? t('listSep') : ''}${accountLabel(id)} ${formatTime(at)}`)));
}

export default {
  path: 'schedule',
  nav: 'navSchedule',
  roles: null,
  async render(ctx, accountId) {
    const [accounts] = await Promise.all([api.get('/api/accounts'), loadNames()]);
    if (!accounts.length) return h('section', h('h1', t('navSchedule')), h('p.muted', t('none')));
    const current = accounts.find((a) => a.id === accountId) || accounts[0];
    const [queue, slots] = await Promise.all([
      api.get(`/api/accounts/${encodeURIComponent(current.id)}/queue`),
      api.get(`/api/accounts/${encodeURIComponent(current.id)}/slots?count=14`),
    ]);
    const picker = h('select#schedule-account', { 'aria-label': t('scheduleAccount') }, accounts.map((a) =>
      h('option', { value: a.id, selected: a.id === current.id }, accountLabel(a.id))));
    picker.addEventListener('change', () => ctx.go(`schedule/${encodeURIComponent(picker.value)}`));
    const itemLink = (id, title) => h('a', { href: `#/item/${encodeURIComponent(id)}` }, title);

    return h('section.schedule-page',
      h('div.bar', h('h1', t('navSchedule')), h('label', t('scheduleAccount'), ' ', picker)),
      h('p.muted', t('chinaTime')),
      h('p#slot-settings', { 'data-account': current.id }, `${t('postingSlots')}：`,
        queue.settings ? pick(queue.settings.description) : t('noPostingSlots')),
      h('h2', `${t('scheduleQueue')} · ${accountName(current.id)}`),
      queue.entries.length === 0 ? h('p.muted#schedule-queue-empty', t('none')) : h('table.list#schedule-queue',
        h('thead', h('tr', h('th', t('at')), h('th', t('title')), h('th', t('category')), h('th', t('status')))),
        h('tbody', queue.entries.map((e) => h('tr', { 'data-item': e.itemId },
          h('td', formatTime(e.at), e.onSlot ? null : h('div.muted', t('offSlot'))),
          h('td', itemLink(e.itemId, e.title)),
          h('td', categoryName(e.category)),
          h('td', scheduledState(e)))))),
      queue.settings ? h('h2', t('nextSlots')) : null,
      queue.settings ? h('table.list#schedule-slots',
        h('thead', h('tr', h('th', t('at')), h('th', t('slotState')))),
        h('tbody', slots.slots.map((s) => h('tr', { 'data-slot': s.at, 'data-free': String(s.free) },
          h('td', formatTime(s.at), s.workingDay ? null : h('span.muted', ` · ${t('restDay')}`)),
          h('td', s.free ? h('span.ok', t('slotFree')) : h('span', `${t('slotTaken')}：`, itemLink(s.itemId, s.itemTitle))))))) : null);
  },
};
