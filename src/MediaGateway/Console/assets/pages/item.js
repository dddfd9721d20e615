import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, pick, levelName, word, eventName } from '../i18n.js';
import { loadNames, person, personName, accounts as accountList, accountName } from '../names.js';
import { diffLines } from '../diff.js';
import { statusBadge, publicationBadge, publicationDetail, rollupBadge, showProblem, findingsTable, highlighted, categoryName, deadlineCell, redriveForm } from '../ui.js';

/** Statuses that change on their own soon: the page looks again while one is shown (scheduled and waiting ones wait for a time or a person). */
const MOVING = ['publishing'];

/**
 * One item: its text with every rule finding highlighted in place, the changes since the previous revision,
 * confirmations, what the caller may do next (the API's allowedActions), each publication's outcome and the timeline.
 */
export default {
  path: 'item',
  nav: null,
  roles: null,
  async render(ctx, id) {
    const [item] = await Promise.all([api.get(`/api/content/${encodeURIComponent(id)}`), loadNames()]);
    const allowed = new Set(item.allowedActions || []);
    const reload = () => ctx.go(`item/${encodeURIComponent(id)}`);
    const cleared = (f) => !!item.secrecyClearance && item.secrecyClearance.matches.includes(`${f.field}:${f.start}:${f.matched}`);
    const acks = new Set();
    const rejected = item.status === 'rejected' ? [...item.reviews].reverse().find((r) => r.decision === 'reject') : null;

    const page = h('section.item', { 'data-item': item.id, 'data-status': item.status },
      h('div.bar', h('h1#item-title', item.title), statusBadge(item.status),
        item.publicationStatus ? h('span#publication-status', rollupBadge(item.publicationStatus)) : null,
        item.awaitingLevel ? h('span.muted#awaiting', `${t('awaiting')} ${levelName(item.awaitingLevel, item.requiredLevels)}`) : null),
      h('p.meta', `${categoryName(item.category)} · ${t('revision')} ${item.revision} · ${t('createdBy')} `, person(item.createdBy), ` · ${formatTime(item.createdAt)} · `,
        accountList(item.targets),
        item.documentNumber ? ` · ${t('documentNumber')} ${item.documentNumber}` : null,
        item.issuedOn ? ` · ${t('issuedOn')} ${item.issuedOn}` : null,
        item.activityEndsAt ? ` · ${t('activityEndsAt')} ${formatTime(item.activityEndsAt)}` : null,
        item.publishAt ? ` · ${t('publishAt')} ${formatTime(item.publishAt)}` : null),
      rejected ? h('div.rejection#rejection', h('strong', `${t('rejectedWith')}（${rejected.reviewerName}，${levelName(rejected.level, item.requiredLevels)}）：`),
        h('span.comment', rejected.comment || '')) : null,
      actionBar(ctx, item, allowed, reload),
      h('div.columns',
        h('div',
          h('h2', t('findings')),
          h('div.highlights#content-text',
            h('div.label', t('title')), highlighted(item.title, 'title', item.findings),
            item.summary ? [h('div.label', t('summary')), highlighted(item.summary, 'summary', item.findings)] : null,
            h('div.label', t('body')), highlighted(item.body, 'body', item.findings)),
          findingsTable(item.findings, {
            cleared,
            acknowledge: allowed.has('approve') ? (e) => { const i = Number(e.target.dataset.ack); if (e.target.checked) acks.add(i); else acks.delete(i); } : null,
          }),
          diffSection(item)),
        h('div',
          allowed.has('approve') || allowed.has('reject') ? reviewPanel(item, allowed, acks, reload) : null,
          confirmations(item, allowed, reload),
          deadlineCard(item),
          publications(item, reload, ctx.hasRole('Operator', 'Administrator')),
          timeline(item),
          auditSection(item))));

    // While a publication is on its way, look again shortly (only while this page is shown).
    if (item.status === 'approved' && item.publications.some((p) => MOVING.includes(p.status) || p.retraction === 'queued'
        || (p.status === 'waiting' && p.waiting?.kind === 'checkingPlatform'))) {
      const hash = location.hash;
      setTimeout(() => { if (location.hash === hash && document.body.contains(page)) reload(); }, 1500);
    }
    return page;
  },
};

/** A small form that posts one thing and reloads the item; the API's refusal is shown in words. */
function actionForm(idName, title, fields, button, send, reload) {
  const problem = h('div.error', { role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', 'data-action': idName }, button);
  return h(`form.card.action#${idName}`, {
    onsubmit: async (e) => {
      e.preventDefault();
      submit.disabled = true;
      problem.hidden = true;
      try { await send(); reload(); } catch (err) { showProblem(problem, err); } finally { submit.disabled = false; }
    },
  }, title ? h('h3', title) : null, fields, problem, submit);
}

function actionBar(ctx, item, allowed, reload) {
  const id = encodeURIComponent(item.id);
  const bar = h('div.actions',
    allowed.has('revise') ? h('a.button#revise', { href: `#/compose/${id}` }, t('revise')) : null,
    h('a.button.secondary#signoff-link', { href: `#/signoff/${id}` }, t('signoffSheet')));
  const forms = [];
  if (allowed.has('withdraw')) {
    const reason = h('input#withdraw-reason', { type: 'text', required: true, placeholder: t('withdrawReason') });
    forms.push(actionForm('withdraw-form', t('withdraw'), reason, t('withdraw'),
      () => api.post(`/api/content/${id}/withdraw`, { reason: reason.value }), reload));
  }
  if (allowed.has('request-retraction')) {
    const reason = h('input#retraction-reason', { type: 'text', required: true, placeholder: t('retractionReason') });
    forms.push(actionForm('retraction-form', t('requestRetraction'), reason, t('requestRetraction'),
      () => api.post(`/api/content/${id}/retraction`, { reason: reason.value }), reload));
  }
  if (allowed.has('decide-retraction')) {
    const decision = h('select#retraction-decision', h('option', { value: 'approve' }, t('approve')), h('option', { value: 'reject' }, t('reject')));
    const comment = h('input', { type: 'text', placeholder: t('comment') });
    forms.push(actionForm('retraction-decision-form', `${t('decideRetraction')}: ${item.retraction.reason}`, [decision, comment], t('sendDecision'),
      () => api.post(`/api/content/${id}/retraction/decision`, { decision: decision.value, comment: comment.value || null }), reload));
  }
  if (allowed.has('clear-secrecy')) {
    const comment = h('textarea#clearance-comment', { rows: 2, required: true });
    forms.push(actionForm('clearance-form', t('clearSecrecy'), comment, t('clearSecrecy'),
      () => api.post(`/api/content/${id}/secrecy-clearance`, { comment: comment.value }), reload));
  }
  return h('div', bar, forms);
}

function reviewPanel(item, allowed, acks, reload) {
  const decision = h('div.decision',
    allowed.has('approve') ? h('label.check', h('input', { type: 'radio', name: 'decision', value: 'approve', id: 'decision-approve', checked: true }), ` ${t('approve')}`) : null,
    h('label.check', h('input', { type: 'radio', name: 'decision', value: 'reject', id: 'decision-reject', checked: !allowed.has('approve') }), ` ${t('reject')}`));
  const comment = h('textarea#review-comment', { rows: 3 });
  const attested = h('input#secrecy-attested', { type: 'checkbox' });
  return actionForm('review-form', `${t('reviewPanel')} · ${levelName(item.awaitingLevel, item.requiredLevels)}`,
    [decision, h('label', { for: 'review-comment' }, t('comment')), comment, h('label.check', attested, ' ', t('secrecyAttested'))],
    t('sendDecision'),
    () => api.post(`/api/content/${encodeURIComponent(item.id)}/reviews`, {
      decision: decision.querySelector('input:checked').value,
      comment: comment.value || null,
      secrecyAttested: attested.checked,
      fingerprints: item.fingerprints, // refused if the item changed while it was on screen
      acknowledgedFindings: [...acks],
    }), reload);
}

function confirmations(item, allowed, reload) {
  if (!item.agencies.length && !item.sensitive && !item.secrecyClearance) return null;
  const id = encodeURIComponent(item.id);
  const box = h('div.card#confirmations', h('h3', t('agencyConfirmations')),
    item.agencies.length ? h('ul', item.agencies.map((a) => {
      const c = item.agencyConfirmations.find((x) => x.agency === a);
      return h('li', { 'data-agency': a }, a, ' — ', c ? h('span.ok', `${t('confirmed')} (${personName(c.confirmedBy)}, ${formatTime(c.at)}${c.note ? `, ${c.note}` : ''})`) : h('span.warn', t('pending')));
    })) : null,
    item.sensitive ? h('p', `${t('consultation')}: `, item.consultation ? h('span.ok', `${item.consultation.units} — ${item.consultation.summary}`) : h('span.warn', t('pending'))) : null,
    item.secrecyClearance ? h('p', `${t('ev_clearance')}: ${personName(item.secrecyClearance.clearedBy)} — ${item.secrecyClearance.comment}`) : null);
  if (allowed.has('confirm-agency')) {
    const agency = h('select#agency', item.agencies.filter((a) => !item.agencyConfirmations.some((c) => c.agency === a)).map((a) => h('option', { value: a }, a)));
    const note = h('input', { type: 'text', placeholder: t('note') });
    box.append(actionForm('agency-form', t('confirmAgency'), [agency, note], t('confirmAgency'),
      () => api.post(`/api/content/${id}/agency-confirmations`, { agency: agency.value, note: note.value || null }), reload));
  }
  if (allowed.has('record-consultation')) {
    const units = h('input', { type: 'text', required: true, placeholder: t('units') });
    const summary = h('textarea', { rows: 2, required: true });
    box.append(actionForm('consultation-form', t('recordConsultation'), [units, summary], t('recordConsultation'),
      () => api.post(`/api/content/${id}/consultation`, { units: units.value, summary: summary.value }), reload));
  }
  return box;
}

function publications(item, reload, mayRedrive) {
  if (!item.publications.length) return null;
  // The status word and its line (why it waits and until when, when it went up or was taken down, why it failed);
  // the platform link only while the post is live; an error only for a failed publication, never a stale one.
  return h('div.card#publications', h('h3', t('publications')), h('p.muted', t('chinaTime')),
    h('table.list', h('tbody', item.publications.map((p) => h('tr', { 'data-publication': p.accountId, 'data-publication-id': p.id, 'data-state': p.state, 'data-status': p.status },
      h('td', h('strong', { title: p.accountId }, accountName(p.accountId)), h('div.muted', word('pf', p.platform))),
      h('td', publicationBadge(p.status),
        p.lane && p.lane !== 'routine' ? h(`span.badge.lane-${p.lane}`, { 'data-lane': p.lane }, t(`lane_${p.lane}`)) : null,
        publicationDetail(p) ? h(`div.status-detail${p.status === 'failed' ? '.failure' : '.muted'}`, publicationDetail(p)) : null,
        p.deadLetteredAt && p.status === 'failed' ? h('div.failure.dead-lettered', `${t('deadLettered')} · ${formatTime(p.deadLetteredAt)}`) : null),
      h('td',
        p.live && p.url ? h('a.platform-link', { href: p.url, target: '_blank', rel: 'noopener noreferrer' }, t('openOnPlatform')) : null,
        p.platformId ? h('div.muted', p.platformId) : null,
        p.error && p.status === 'failed' ? h('div.muted.error-code', { title: p.error.class }, `${word('ec', p.error.class)} · ${t('platformCode')} ${p.error.code}${p.error.platformMessage ? `：${p.error.platformMessage}` : ''}`) : null,
        h('div.muted', `${t('attempts')}: ${p.attempts}`),
        p.history.length ? h('details', h('summary', t('retries')), h('ul', p.history.map((e) => h('li', `${formatTime(e.at)} — ${pick(e.note)}`)))) : null,
        p.canRedrive && mayRedrive ? redriveForm(p, reload) : null))))));
}

/** The item's deadline (P10–P13): time left or how it ended, the rule, and who holds the item now. */
function deadlineCard(item) {
  const d = item.deadline;
  if (!d) return null;
  const held = d.heldBy;
  return h('div.card#deadline', { 'data-deadline-state': d.state }, h('h3', t('deadline')),
    h('dl.ownership',
      h('dt', t('timeLeft')), h('dd', deadlineCell(item)),
      h('dt', t('deadlineRule')), h('dd', `${d.ruleId} · ${d.ruleName} · ${d.allowance}`),
      d.clockStartsAt ? [h('dt', t('clockStarts')), h('dd', formatTime(d.clockStartsAt))] : null,
      h('dt', t('heldBy')), h('dd.held-by', pick(held.description),
        held.people?.length ? h('div.muted', held.people.map((x) => `${x.name}${x.level ? `（${levelName(x.level, item.requiredLevels)}）` : ''}`).join(t('listSep'))) : null)),
    d.provisional ? h('p.warn.provisional', pick(d.provisionalNote)) : null,
    d.problem ? h('p.warn', pick(d.problem)) : null);
}

function timeline(item) {
  const events = [{ at: item.createdAt, text: `${t('ev_created')} — ${personName(item.createdBy)}` }];
  if (item.revisedAt) events.push({ at: item.revisedAt, text: `${t('ev_revised')} — ${t('revision')} ${item.revision}` });
  for (const r of item.reviews) {
    events.push({ at: r.at, cls: r.decision, text: `${levelName(r.level, item.requiredLevels)} · ${r.reviewerName} · ${t(r.decision)}${r.comment ? `：${r.comment}` : ''}` });
  }
  for (const c of item.agencyConfirmations) events.push({ at: c.at, text: `${t('ev_agency')} — ${c.agency} (${personName(c.confirmedBy)})` });
  if (item.consultation) events.push({ at: item.consultation.at, text: `${t('ev_consultation')} — ${item.consultation.units}` });
  if (item.secrecyClearance) events.push({ at: item.secrecyClearance.at, text: `${t('ev_clearance')} — ${personName(item.secrecyClearance.clearedBy)}` });
  if (item.retraction) {
    const r = item.retraction;
    events.push({ at: r.requestedAt, text: `${t('ev_retraction')} — ${personName(r.requestedBy)} · ${r.reason} (${t(`rs_${r.status}`)})` });
    if (r.decidedAt) events.push({ at: r.decidedAt, cls: r.status === 'approved' ? 'approve' : 'reject', text: `${t('decideRetraction')} — ${personName(r.decidedBy)} · ${t(`rs_${r.status}`)}${r.comment ? `：${r.comment}` : ''}` });
  }
  if (item.withdrawReason) events.push({ at: null, text: `${t('ev_withdrawn')} — ${item.withdrawReason}` });
  for (const p of item.publications) {
    if (p.publishedAt) events.push({ at: p.publishedAt, cls: 'approve', text: `${accountName(p.accountId)} · ${t('ps_published')}` });
    if (p.status === 'retracted') events.push({ at: p.retractedAt, text: `${accountName(p.accountId)} · ${t('ps_retracted')}` });
    if (p.status === 'failed' && p.error) events.push({ at: p.history.at(-1)?.at, cls: 'reject', text: `${accountName(p.accountId)} · ${t('ps_failed')}: ${pick(p.error.explanation)}` });
  }
  events.sort((a, b) => (a.at && b.at ? new Date(a.at) - new Date(b.at) : a.at ? -1 : 1));
  return h('div.card#timeline', h('h3', t('timeline')),
    h('ol.timeline', events.map((e) => h(`li${e.cls ? `.${e.cls}` : ''}`, h('span.muted', formatTime(e.at)), ' ', e.text))));
}

function diffSection(item) {
  const box = h('details.card#diff', h('summary', t('diff')));
  if (item.revision <= 1) {
    box.append(h('p.muted', t('noPrevious')));
    return box;
  }
  box.addEventListener('toggle', async () => {
    if (!box.open || box.dataset.loaded) return;
    box.dataset.loaded = '1';
    try {
      const previous = await api.get(`/api/content/${encodeURIComponent(item.id)}/revisions/${item.revision - 1}`);
      const text = (v) => [`# ${v.title}`, v.summary ? `> ${v.summary}` : null, '', v.body, '', `link: ${v.link || ''}`, `targets: ${v.targets.join(', ')}`]
        .filter((x) => x !== null).join('\n');
      box.append(h('pre.diff', diffLines(text(previous), text(item)).map((d) => h(`span.d${d.op === '+' ? 'add' : d.op === '-' ? 'del' : 'same'}`, `${d.op} ${d.text}\n`))));
    } catch (err) {
      box.append(h('p.muted', err.status === 404 ? t('previousNotKept') : err.message));
    }
  });
  return box;
}

function auditSection(item) {
  const box = h('details.card#audit', h('summary', t('audit')));
  box.addEventListener('toggle', async () => {
    if (!box.open || box.dataset.loaded) return;
    box.dataset.loaded = '1';
    const entries = await api.get(`/api/content/${encodeURIComponent(item.id)}/audit`);
    box.append(h('table.list', h('tbody', entries.map((e) => h('tr', h('td', e.seq), h('td', formatTime(e.at)), h('td', { title: e.type }, eventName(e.type)), h('td', { title: e.actor }, personName(e.actor)), h('td.hash', e.hash.slice(0, 12)))))));
  });
  return box;
}

