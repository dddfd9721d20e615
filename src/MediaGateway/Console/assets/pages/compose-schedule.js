// slots (issue 22): the compose page's schedule block — "next free slot" and the conflict and gap warnings
// (POST /api/scheduling/check, debounced, nothing stored). compose.js only places it and merges request() into its draft.
import { api } from '../api.js';
import { h, clear, debounce, formatTime } from '../dom.js';
import { t, pick } from '../i18n.js';
import { showProblem } from '../ui.js';
import { loadNames, accountLabel } from '../names.js';

/**
 * @param publishAt the compose page's time input (disabled while the next free slot is asked for)
 * @param draft     the compose page's draft() (targets, publishAt, category and dates are read from it)
 * @param existing  the item being revised, or null
 */
export function scheduleBlock(publishAt, draft, existing) {
  const useSlot = h('input#f-slot', { type: 'checkbox', checked: !!existing?.slotTimes });
  const times = h('ul#slot-plan');
  const warnings = h('div#schedule-warnings', { role: 'status', 'aria-live': 'polite' });
  const element = h('div.field.schedule', { 'data-for': 'slot' },
    h('label.check', useSlot, ' ', t('useNextFreeSlot')), times, warnings);
  const sync = () => { publishAt.disabled = useSlot.checked; };
  useSlot.addEventListener('change', sync);
  sync();

  let sequence = 0;
  const refresh = debounce(async () => {
    const mine = ++sequence;
    const d = draft();
    if (!d.targets.length) { clear(times); clear(warnings); return; }
    try {
      const [check] = await Promise.all([api.post('/api/scheduling/check', {
        targets: d.targets, publishAt: d.publishAt, slot: d.slot || null, category: d.category,
        issuedOn: d.issuedOn, activityEndsAt: d.activityEndsAt, itemId: existing?.id || null,
      }), loadNames()]);
      if (mine === sequence) render(check);
    } catch (err) {
      if (mine === sequence) showProblem(clear(warnings).appendChild(h('div.error')), err);
    }
  }, 400);

  function render(check) {
    clear(times).append(...check.times.filter((p) => p.fromSlot).map((p) =>
      h('li', { 'data-account': p.accountId, title: p.accountId }, `${accountLabel(p.accountId)}：${formatTime(p.at)}（${t('nextFreeSlot')}）`)));
    clear(warnings).append(check.warnings.length === 0 ? h('p.muted#schedule-ok', t('scheduleNoWarnings')) : h('ul.schedule-warnings',
      check.warnings.map((w) => h('li.warn', { 'data-warning': w.kind, 'data-account': w.accountId || null },
        pick(w.message), w.itemId ? h('span', ' ', h('a', { href: `#/item/${encodeURIComponent(w.itemId)}` }, t('openItem'))) : null))));
  }

  return {
    element,
    /** What the draft sends for the schedule when the next free slot is asked for (it replaces publishAt). */
    request: () => (useSlot.checked ? { slot: 'nextFree', publishAt: null } : {}),
    /** Rechecks whenever the form changes, and once now. */
    watch(form) {
      form.addEventListener('input', refresh);
      form.addEventListener('change', refresh);
      refresh();
    },
  };
}
