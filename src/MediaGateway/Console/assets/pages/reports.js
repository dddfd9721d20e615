import { api, openAsBlob } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, word, currentLang } from '../i18n.js';
import { loadNames, unitName } from '../names.js';
import { showProblem } from '../ui.js';

/** The API's level name is "审核 (department review)": the Chinese word alone in Chinese. */
const levelWord = (name) => (currentLang() === 'en' ? name : String(name).replace(/\s*\(.*\)$/, ''));
const day = (d) => d.toISOString().slice(0, 10);
const pct = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

/**
 * The assessment (P17) for a period: the JSON figures per unit and per account in a table, and the CSV and HTML
 * reports fetched with the bearer token and opened as blobs (a plain link cannot carry the token).
 */
export default {
  path: 'reports',
  nav: 'navReports',
  roles: ['Department', 'Administrator'],
  async render(ctx, fromParam, toParam) {
    const to = toParam || day(new Date());
    const from = fromParam || day(new Date(Date.now() - 29 * 86_400_000));
    const query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const fromInput = h('input#report-from', { type: 'date', value: from, required: true });
    const toInput = h('input#report-to', { type: 'date', value: to, required: true });
    const problem = h('div.error', { role: 'alert', hidden: true });
    const form = h('form.bar#report-form', { onsubmit: (e) => { e.preventDefault(); ctx.go(`reports/${fromInput.value}/${toInput.value}`); } },
      h('label', t('from'), ' ', fromInput), h('label', t('to'), ' ', toInput), h('button', { type: 'submit', id: 'report-show' }, t('show')),
      h('button.secondary#report-csv', { type: 'button', onclick: () => openAsBlob(`/api/reports/assessment?${query}&format=csv`, { download: `assessment-${from}-${to}.csv` }).catch((err) => showProblem(problem, err)) }, t('openCsv')),
      h('button.secondary#report-html', { type: 'button', onclick: () => openAsBlob(`/api/reports/assessment?${query}&format=html`).catch((err) => showProblem(problem, err)) }, t('openHtml')));
    let report = null;
    try { [report] = await Promise.all([api.get(`/api/reports/assessment?${query}&format=json`), loadNames()]); } catch (err) { showProblem(problem, err); }
    return h('section',
      h('h1', t('navReports')), form, problem,
      report ? [
        h('p.muted', `${report.from} – ${report.to} · ${t('chinaTime')} · ${report.scope === 'all' ? t('allUnits') : unitName(report.scope)} · ${formatTime(report.generatedAt)}`),
        h('h2', t('departmentsRows')), table('report-departments', report.departments, report.rules),
        h('h2', t('accountsRows')), table('report-accounts', report.accounts, report.rules),
      ] : null);
  },
};

function table(id, rows, rules) {
  if (!rows.length) return h('p.muted', t('none'));
  return h(`table.list#${id}`,
    h('thead', h('tr', h('th', t('unit')), h('th', t('published')), rules.map((r) => h('th', { title: `${r.name} · ${r.allowance}` }, `${t('onTime')} ${r.id}`)),
      h('th', t('turnaround')), h('th', t('rejections')), h('th', t('failures')), h('th', t('lastUpdate')))),
    h('tbody', rows.map((r) => h('tr', { 'data-row': r.id },
      h('td', h('strong', { title: r.id }, r.name)),
      h('td.num', r.publications, r.retracted ? h('div.muted', `${t('ps_retracted')} ${r.retracted}`) : null),
      rules.map((rule) => {
        const f = r.onTime.find((x) => x.ruleId === rule.id);
        return h('td.num', f ? [pct(f.rate), h('div.muted', `${f.met}/${f.due}`)] : '—');
      }),
      h('td', r.reviewTurnaround.map((x) => h('div', { title: x.levelName }, `${levelWord(x.levelName)}: ${x.medianHours?.toFixed(1) ?? '—'} / ${x.p90Hours?.toFixed(1) ?? '—'} (${x.decisions})`))),
      h('td.num', r.rejections),
      h('td', Object.entries(r.failuresByClass).map(([k, v]) => h('div', { title: k }, `${word('ec', k)}：${v}`))),
      h('td', r.lastPublishedAt ? formatTime(r.lastPublishedAt) : '—', r.daysSinceLastUpdate !== null && r.daysSinceLastUpdate !== undefined ? h('div.muted', `${r.daysSinceLastUpdate.toFixed(1)} ${t('daysSilent')}`) : null)))));
}
