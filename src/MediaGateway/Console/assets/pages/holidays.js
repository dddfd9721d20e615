import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, pick } from '../i18n.js';
import { actionForm } from '../ui.js';
import { loadNames, personName } from '../names.js';

/**
 * Administrators: each year's working-day calendar, official (正式, the State Council notice) or provisional (暂定,
 * statutory holidays only), and a form to enter or paste a year's notice (decision 29). The gateway checks the whole
 * notice; a refusal marks each named field (e.g. holidays[2].end) with the reason, and nothing is saved.
 */
export default {
  path: 'holidays',
  nav: 'navHolidays',
  roles: ['Administrator'],
  async render(ctx) {
    const [status] = await Promise.all([api.get('/api/calendar/status'), loadNames()]);
    const nextMissing = status.warnings.find((w) => w.daysUntil > 0);
    return h('section',
      h('h1', t('navHolidays')),
      h('div#calendar-state', stateOf(status)),
      noticeForm(nextMissing?.year ?? new Date().getFullYear() + 1, async () => {
        document.getElementById('calendar-state')?.replaceChildren(...stateOf(await api.get('/api/calendar/status')));
      }));
  },
};

/** The missing-notice warnings and each year's state. */
function stateOf(status) {
  return [
    status.warnings.length ? h('div.card.warn#notice-warnings', status.warnings.map((w) => h('p', { 'data-missing-year': w.year }, pick(w.message)))) : h('span'),
    h('table.list#calendar-years',
      h('thead', h('tr', h('th', t('year')), h('th', t('calendarState')), h('th', t('noticeSource')), h('th', t('loadedBy')))),
      h('tbody', status.years.map((y) => h('tr', { 'data-year': y.year, 'data-state': y.state },
        h('td', y.year),
        h('td', h(`span.badge.${y.state === 'official' ? 'ok' : 'warn'}`, t(`cal_${y.state}`))),
        h('td', y.state === 'official' ? y.source : pick(y.source)),
        h('td', y.loadedBy ? `${personName(y.loadedBy)} · ${formatTime(y.loadedAt)}` : y.origin === 'file' ? t('fromFile') : '—'))))),
  ];
}

/** One holiday row: name, first and last rest day, and the weekend days worked for it (comma-separated). */
function holidayRow(index, value = {}) {
  const field = (name, attrs) => h('input', { ...attrs, 'data-field': `holidays[${index}].${name}`, 'aria-label': t(`nf_${name}`) });
  return h('tr.holiday-row', { 'data-row': index },
    h('td', field('name', { type: 'text', class: 'h-name', value: value.name ?? '', placeholder: '春节' })),
    h('td', field('start', { type: 'text', class: 'h-start', value: value.start ?? '', placeholder: 'yyyy-mm-dd' })),
    h('td', field('end', { type: 'text', class: 'h-end', value: value.end ?? '', placeholder: 'yyyy-mm-dd' })),
    h('td', field('adjustedWorkingDays', { type: 'text', class: 'h-adjusted', value: (value.adjustedWorkingDays ?? []).join(', '), placeholder: 'yyyy-mm-dd, …' })));
}

function noticeForm(defaultYear, done) {
  const year = h('input#notice-year', { type: 'number', min: 2000, max: 2100, value: defaultYear, 'data-field': 'year' });
  const source = h('input#notice-source', { type: 'text', placeholder: '国办发明电〔2026〕…号', 'data-field': 'source' });
  const rows = h('tbody#notice-rows', [0, 1, 2, 3, 4, 5, 6].map((i) => holidayRow(i)));
  const pasted = h('textarea#notice-paste', { rows: 6, placeholder: t('pasteHelp') });
  const warnings = h('div.card.warn#notice-saved-warnings', { hidden: true });
  const saved = h('p.ok#notice-saved', { hidden: true });

  const fill = () => {
    const notice = JSON.parse(pasted.value);
    if (notice.year) year.value = notice.year;
    if (notice.source) source.value = notice.source;
    rows.replaceChildren(...(notice.holidays ?? []).map((x, i) => holidayRow(i, x)));
  };
  // The year as it stands (a notice already loaded, a file, or the statutory days), to correct and save again.
  const current = async () => {
    const y = await api.get(`/api/calendar/${encodeURIComponent(year.value)}`);
    if (!y.provisional) source.value = y.source;
    rows.replaceChildren(...y.holidays.map((x, i) => holidayRow(i, {
      name: x.name, start: x.offDays[0], end: x.offDays[x.offDays.length - 1], adjustedWorkingDays: x.adjustedWorkingDays })));
  };
  const read = () => ({
    year: Number(year.value) || null,
    source: source.value,
    holidays: [...rows.querySelectorAll('tr.holiday-row')]
      .map((r) => ({
        name: r.querySelector('.h-name').value, start: r.querySelector('.h-start').value, end: r.querySelector('.h-end').value,
        adjustedWorkingDays: r.querySelector('.h-adjusted').value.split(/[,，\s]+/).filter(Boolean),
      }))
      .filter((x) => x.name || x.start || x.end || x.adjustedWorkingDays.length),
  });
  const mark = (fields) => {
    for (const el of document.querySelectorAll('#notice-form [data-field]')) el.removeAttribute('aria-invalid');
    for (const name of Object.keys(fields)) {
      // holidays[1].adjustedWorkingDays[0] marks the row's adjusted-days box.
      const box = document.querySelector(`#notice-form [data-field="${CSS.escape(name.replace(/\[\d+\]$/, ''))}"]`);
      box?.setAttribute('aria-invalid', 'true');
    }
  };

  const form = actionForm('notice-form', t('loadNotice'), [
    h('p.muted', t('noticeHelp')),
    h('details#notice-paste-box', h('summary', t('pasteNotice')), pasted,
      h('button.secondary#notice-fill', { type: 'button', onclick: () => { try { fill(); } catch (e) { window.alert(e.message); } } }, t('fillFromPaste'))),
    h('label', { for: 'notice-year' }, t('year')), year,
    h('button.secondary#notice-current', { type: 'button', onclick: () => current().catch((e) => window.alert(e.message)) }, t('currentArrangement')),
    h('label', { for: 'notice-source' }, t('noticeSource')), source,
    h('table.list.notice-holidays', h('thead', h('tr', h('th', t('nf_name')), h('th', t('nf_start')), h('th', t('nf_end')), h('th', t('nf_adjustedWorkingDays')))), rows),
    h('button.secondary#notice-add-row', { type: 'button', onclick: () => rows.append(holidayRow(rows.children.length)) }, t('addHoliday')),
    warnings, saved,
  ], t('saveNotice'), async () => {
    saved.hidden = true;
    warnings.hidden = true;
    try {
      const answer = await api.post('/api/calendar/notices', read());
      mark({});
      return answer;
    } catch (err) {
      mark(err.fields ?? {});
      throw err;
    }
  }, async (answer) => {
    saved.hidden = false;
    saved.textContent = `${answer.year.year} ${answer.replaced ? t('noticeReplaced') : t('noticeSaved')}`;
    if (answer.warnings.length) {
      warnings.hidden = false;
      warnings.replaceChildren(h('strong', t('noticeWarnings')), h('ul', answer.warnings.map((w) => h('li', pick(w)))));
    }
    await done();
  });
  return form;
}
