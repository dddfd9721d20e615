// Pieces several pages share: status badges, problem messages, rule findings highlighted in place.
import { ApiError, api } from './api.js';
import { h, clear, formatTime, formatClock } from './dom.js';
import { t, pick, currentLang, fieldLabel, ruleSource } from './i18n.js';

export function statusBadge(status) {
  return h(`span.badge.st-${status}`, { 'data-status': status }, t(`st_${status}`));
}

/** A publication's status word (the API's `status`: scheduled, waiting, publishing, published, failed, retracted, needsDecision, cancelled). */
export function publicationBadge(status) {
  return h(`span.badge.ps-${status}`, { 'data-pub-status': status }, t(`ps_${status}`));
}

/**
 * The line that goes with a publication's status, in words and China time: why it waits and until when, when it
 * was published or taken down, why it failed, what a person must decide. A failure is shown only for a failed
 * publication: a published one carries no error of an earlier attempt.
 */
export function publicationDetail(p) {
  const time = (key, at) => (at ? `${t(key)} ${formatClock(at)}` : null);
  switch (p.status) {
    case 'waiting': {
      const w = p.waiting;
      if (!w) return null;
      const reason = w.kind === 'quota' && p.platform === 'Weibo' ? t('wait_quotaWeibo') : t(`wait_${w.kind}`);
      return w.until ? `${reason}${currentLang() === 'en' ? ', ' : '，'}${t('untilTime')} ${formatClock(w.until)}` : reason;
    }
    case 'retracted': return time('retractedAt', p.retractedAt);
    case 'published':
      return [time('publishedAt', p.publishedAt), p.retraction === 'queued' ? t('retracting') : p.retraction === 'failed' ? t('retractFailed') : null]
        .filter(Boolean).join(' · ');
    case 'scheduled': return time('scheduledAt', p.scheduledFor || p.dueAt);
    case 'failed': return p.error ? pick(p.error.explanation) : null;
    case 'needsDecision': return p.decision ? pick(p.decision.reason) : null;
    default: return null;
  }
}

/** An item's publications in one line (the API's `publicationStatus`): 已发布, or 部分发布（1/2）· 发布失败 1, never one word that hides a failure. */
export function rollupText(summary) {
  if (currentLang() !== 'en') return summary.label;
  const counts = summary.counts || {};
  const order = ['published', 'cancelled', 'retracted', 'failed', 'scheduled', 'waiting', 'publishing', 'needsDecision'];
  const lead = summary.status === 'partlyPublished'
    ? `${t('ps_partlyPublished')} (${counts.published}/${summary.total})`
    : `${t(`ps_${summary.status}`)}${counts[summary.status] < summary.total ? ` ${counts[summary.status]}/${summary.total}` : ''}`;
  const shown = summary.status === 'partlyPublished' ? 'published' : summary.status;
  const rest = order.filter((s) => s !== shown && counts[s])
    .map((s) => (s === 'published' ? `${t('ps_published')} ${counts[s]}/${summary.total}` : `${t(`ps_${s}`)} ${counts[s]}`));
  return [lead, ...rest].join(' · ');
}

export function rollupBadge(summary) {
  return h(`span.badge.ps-${summary.status}.rollup`, { 'data-rollup': summary.status }, rollupText(summary));
}

/** An item's state in a list: its publications' roll-up once it has publications, its review status before. */
export function itemStatus(item) {
  return item.publicationStatus && item.status !== 'withdrawn' ? rollupBadge(item.publicationStatus) : statusBadge(item.status);
}

/** An API refusal in words: the problem's detail (one language), and each named field's reasons. */
export function showProblem(box, err) {
  clear(box);
  box.hidden = false;
  if (!(err instanceof ApiError)) {
    box.append(err.message);
    return;
  }
  const lead = err.status === 400 ? t('invalid') : err.status === 403 ? t('forbidden') : err.status === 409 ? t('conflict') : `HTTP ${err.status}`;
  box.append(h('strong', lead), ' ', pick(err.problem.detail || ''));
  const fields = Object.entries(err.fields);
  if (fields.length) {
    box.append(h('ul', fields.map(([name, reasons]) => h('li', { 'data-field': name },
      h('strong.field-name', { title: name }, fieldLabel(name)), currentLang() === 'en' ? ': ' : '：', reasons.map(pick).join('; ')))));
  }
}

export function severityLabel(severity) {
  return h(`span.sev.sev-${severity}`, t(`sev_${severity}`));
}

/** The text with each finding on this field marked where it is (UTF-16 offsets, as JavaScript strings count). */
export function highlighted(text, field, findings) {
  const mine = findings.map((f, index) => ({ ...f, index })).filter((f) => f.field === field && f.length > 0);
  const cuts = new Set([0, text.length]);
  for (const f of mine) { cuts.add(Math.min(f.start, text.length)); cuts.add(Math.min(f.start + f.length, text.length)); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = h(`div.text.field-${field}`, { 'data-field': field });
  const rank = { block: 3, flag: 2, info: 1 };
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const piece = text.slice(from, to);
    const covering = mine.filter((f) => f.start <= from && f.start + f.length >= to);
    if (!covering.length) { out.append(piece); continue; }
    const worst = covering.reduce((a, b) => (rank[b.severity] > rank[a.severity] ? b : a));
    out.append(h(`mark.sev-${worst.severity}`, {
      id: `finding-${worst.index}`,
      'data-finding': covering.map((f) => f.index).join(' '),
      title: covering.map((f) => `${t(`sev_${f.severity}`)} · ${pick(f.message)} · ${ruleSource(f.source)}`).join('\n'),
    }, piece));
  }
  return out;
}

/** Every finding in a table: severity, where, what matched, why, and the list entry it came from. */
export function findingsTable(findings, { acknowledge = null, cleared = () => false } = {}) {
  if (!findings.length) return h('p.ok#no-findings', t('noFindings'));
  return h('table.findings', h('thead', h('tr', h('th', '#'), h('th', t('severity')), h('th', t('field')), h('th', t('matched')),
    h('th', t('reason')), h('th', t('source')), acknowledge ? h('th', t('acknowledge')) : null)),
  h('tbody', findings.map((f, i) => h(`tr.sev-row-${f.severity}`, { 'data-finding-row': i },
    h('td', i), h('td', severityLabel(f.severity), cleared(f) ? h('span.muted', ' ✓') : null), h('td', { title: f.field }, fieldLabel(f.field)),
    h('td', h('a', { href: `#finding-${i}`, onclick: (e) => { e.preventDefault(); document.getElementById(`finding-${i}`)?.scrollIntoView({ block: 'center' }); } }, f.matched)),
    h('td', pick(f.message)), h('td', { title: f.source }, ruleSource(f.source)),
    acknowledge ? h('td', f.severity === 'flag' ? h('input', { type: 'checkbox', 'data-ack': i, 'aria-label': t('acknowledge'), onchange: acknowledge }) : '') : null))));
}

export function categoryName(c) { return t(`cat_${c[0].toUpperCase()}${c.slice(1)}`); }

/** The time an item's clock runs against: its deadline (GET /api/content's `deadline.deadline`), or null. */
export function deadlineOf(item) {
  const d = item.deadline ?? null;
  if (d && typeof d === 'object') return d.deadline ?? null;
  return d;
}

/**
 * The deadline in a few words: time left (or its state once stopped), e.g. "剩余 2 天 3 小时 · P10"; marked 暂定 /
 * Provisional when it was counted through a year without the State Council notice (the note in full on hover).
 */
export function deadlineCell(item) {
  const d = item.deadline;
  if (!d) return h('span.muted', '—');
  const cls = d.state === 'missed' ? 'span.failure' : d.state === 'approaching' ? 'span.warn' : 'span';
  return h(`${cls}.deadline`, { 'data-deadline-state': d.state, title: `${d.ruleId} ${d.ruleName} · ${d.allowance}` },
    d.timeLeft ? pick(d.timeLeft) : t(`dl_${d.state}`), d.dueBy ? h('div.muted.due-by', pick(d.dueBy)) : null,
    d.provisional ? h('span.badge.warn.provisional', { title: pick(d.provisionalNote), 'data-provisional': 'true' }, t('dl_provisional')) : null);
}

/** A small form that posts one thing, then calls done(); the API's refusal is shown in words. */
export function actionForm(idName, title, fields, button, send, done) {
  const problem = h('div.error', { role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', 'data-action': idName }, button);
  return h(`form.card.action#${idName}`, {
    onsubmit: async (e) => {
      e.preventDefault();
      submit.disabled = true;
      problem.hidden = true;
      try { const answer = await send(); await done(answer); } catch (err) { showProblem(problem, err); } finally { submit.disabled = false; }
    },
  }, title ? h('h3', title) : null, fields, problem, submit);
}

/** The choices a person has for each question the gateway asks (decision 22); thisPost needs a post. */
const DECISIONS = {
  severalCandidates: ['thisPost', 'abandon'],
  outcomeStillUnknown: ['thisPost', 'sendAgain', 'abandon'],
  repeatRefused: ['earlierPostStands', 'abandon'],
};

/**
 * Re-drive a dead-lettered or missed publication (a reason is required and audited), or, for one that stopped to ask a
 * person, show why with the posts the gateway saw (time in China, who holds each) and take the decision.
 */
export function redriveForm(p, done) {
  const formId = `redrive-${p.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const url = `/api/publications/${encodeURIComponent(p.id)}/redrive`;
  if (p.state !== 'needsDecision' || !p.decision) {
    const reason = h('input.redrive-reason', { type: 'text', required: true, placeholder: t('redriveReason'), 'aria-label': t('redriveReason') });
    return actionForm(formId, null, reason, t('redrive'), () => api.post(url, { reason: reason.value }), done);
  }

  const d = p.decision;
  const free = d.candidates.filter((c) => !c.heldBy);
  const choices = (DECISIONS[d.kind] ?? ['abandon']).filter((c) => c !== 'thisPost' || d.kind === 'outcomeStillUnknown' || free.length > 0);
  const name = `${formId}-choice`;
  const choice = h('fieldset.decision-choice', h('legend', t('decide')), choices.map((c, i) =>
    h('label.check', h('input', { type: 'radio', name, value: c, checked: i === 0, 'data-decision': c }), ` ${t(`dec_${c}`)}`)));
  const post = free.length > 0
    ? h('select.decision-post', { 'aria-label': t('dec_thisPost') }, free.map((c) => h('option', { value: c.platformId }, `${c.platformId}${c.createdAt ? ` · ${formatTime(c.createdAt)}` : ''}`)))
    : h('input.decision-post', { type: 'text', placeholder: t('dec_thisPostId'), 'aria-label': t('dec_thisPostId') });
  const reason = h('input.redrive-reason', { type: 'text', required: true, placeholder: t('decisionReason'), 'aria-label': t('decisionReason') });
  const evidence = d.candidates.length === 0 ? null : h('div.candidates', h('h4', t('candidates')), h('ul', d.candidates.map((c) =>
    h('li', { 'data-candidate': c.platformId },
      c.url && !c.heldBy ? h('a', { href: c.url, target: '_blank', rel: 'noopener noreferrer' }, c.platformId) : c.platformId,
      c.createdAt ? ` · ${formatTime(c.createdAt)}` : '', c.text ? ` · ${c.text}` : '',
      h(c.heldBy ? 'span.muted' : 'span', ` · ${c.heldBy ? t('candidateHeld') : t('candidateFree')}`)))));
  return actionForm(formId, null, [h('p.decision-reason', pick(d.reason)), evidence, choice, choices.includes('thisPost') ? post : null, reason], t('decide'),
    () => {
      const decision = choice.querySelector('input:checked').value;
      return api.post(url, { reason: reason.value, decision, platformId: decision === 'thisPost' ? post.value.trim() : null });
    }, done);
}


/* phone: tables become labelled cards below 600 px (console.css, the "phone" block). Each body cell carries its
   column's header as data-label, which the CSS shows before the value; app.js keeps every table in the view labelled,
   rows added later included (the items list's "load older", a page that refreshes), so every page gets it. */

/** Sets each body cell's data-label to its column's header text (a cell that has one keeps it). */
export function labelTableCells(root) {
  for (const table of root.querySelectorAll('table')) {
    const heads = [...(table.tHead?.rows[0]?.cells ?? [])].flatMap((th) => Array(th.colSpan || 1).fill(th.textContent.trim()));
    if (!heads.length) continue;
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          if (heads[column] && !cell.dataset.label) cell.dataset.label = heads[column];
          column += cell.colSpan || 1;
        }
      }
    }
  }
}

/** Labels the tables under root now and whenever rows or tables are added there. */
export function keepTablesLabelled(root) {
  labelTableCells(root);
  new MutationObserver(() => labelTableCells(root)).observe(root, { childList: true, subtree: true });
}
