import { api } from '../api.js';
import { h, formatTime } from '../dom.js';
import { t, pick, levelName, currentLang, word, eventName } from '../i18n.js';
import { loadNames, person, personName, accounts as accountList, accountName } from '../names.js';
import { diffWords } from '../diff.js';
import { slotTimesLine } from './schedule.js';
import { wechatPhone, weiboCard } from '../preview.js';
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
    const [item, preview] = await Promise.all([
      api.get(`/api/content/${encodeURIComponent(id)}`),
      api.get(`/api/content/${encodeURIComponent(id)}/preview`),
      loadNames(),
    ]);
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
        item.publishAt ? ` · ${t('publishAt')} ${formatTime(item.publishAt)}` : null,
        slotTimesLine(item)),
      rejected ? h('div.rejection#rejection', h('strong', `${t('rejectedWith')}（${rejected.reviewerName}，${levelName(rejected.level, item.requiredLevels)}）：`),
        h('span.comment', rejected.comment || '')) : null,
      actionBar(ctx, item, allowed, reload),
      h('div.columns',
        h('div',
          diffSection(item),
          publishedView(item, preview),
          h('h2', t('findings')),
          findingsInFrames(findingsTable(item.findings, {
            cleared,
            acknowledge: allowed.has('approve') ? (e) => { const i = Number(e.target.dataset.ack); if (e.target.checked) acks.add(i); else acks.delete(i); } : null,
          }))),
        h('div',
          allowed.has('approve') || allowed.has('reject') ? reviewPanel(item, allowed, acks, reload) : null,
          confirmations(item, allowed, reload),
          deadlineCard(item),
          publications(item, reload, ctx.hasRole('Operator', 'Administrator')),
          timeline(item),
          auditSection(item))),
      allowed.has('approve') || allowed.has('reject') ? thumbBar(allowed) : null);

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

/**
 * The reviewer's decision. Nothing is chosen beforehand: 同意 or 退回 is the reviewer's act, and sending without one
 * says so instead of posting. The sign-off sheet is one click away.
 */
function reviewPanel(item, allowed, acks, reload) {
  const decision = h('fieldset.decision#decision', h('legend', REVIEW_WORDS.decision[lang()]),
    allowed.has('approve') ? h('label.check', h('input', { type: 'radio', name: 'decision', value: 'approve', id: 'decision-approve' }), ` ${t('approve')}`) : null,
    allowed.has('reject') ? h('label.check', h('input', { type: 'radio', name: 'decision', value: 'reject', id: 'decision-reject' }), ` ${t('reject')}`) : null);
  const comment = h('textarea#review-comment', { rows: 3 });
  const attested = h('input#secrecy-attested', { type: 'checkbox' });
  return actionForm('review-form', `${t('reviewPanel')} · ${levelName(item.awaitingLevel, item.requiredLevels)}`,
    [h('p', h('a#review-signoff', { href: `#/signoff/${encodeURIComponent(item.id)}` }, REVIEW_WORDS.signoff[lang()])),
      decision, h('label', { for: 'review-comment' }, t('comment')), comment, h('label.check', attested, ' ', t('secrecyAttested'))],
    t('sendDecision'),
    () => {
      const chosen = decision.querySelector('input:checked');
      decision.classList.toggle('invalid', !chosen);
      if (!chosen) {
        decision.querySelector('input')?.focus();
        throw new Error(REVIEW_WORDS.choose[lang()]);
      }
      return api.post(`/api/content/${encodeURIComponent(item.id)}/reviews`, {
      decision: chosen.value,
      comment: comment.value || null,
      secrecyAttested: attested.checked,
      fingerprints: item.fingerprints, // refused if the item changed while it was on screen
      acknowledgedFindings: [...acks],
      });
    }, reload);
}

/**
 * phone: 同意 / 退回 at the bottom of the screen, within a thumb's reach (shown only on a narrow screen, console.css).
 * A tap chooses the decision in the review form and brings the form into view: the comment, the attestation and the
 * acknowledgements are still filled in there, and nothing is sent until 提交审核意见.
 */
function thumbBar(allowed) {
  const choose = (value) => () => {
    const radio = document.getElementById(`decision-${value}`);
    radio.checked = true;
    document.getElementById('decision').classList.remove('invalid');
    document.querySelector('#review-form button[type=submit]').scrollIntoView({ block: 'center' });
    radio.focus({ preventScroll: true });
  };
  return h('div.thumb-bar#thumb-bar', { role: 'group', 'aria-label': REVIEW_WORDS.decision[lang()] },
    allowed.has('approve') ? h('button#thumb-approve', { type: 'button', onclick: choose('approve') }, t('approve')) : null,
    allowed.has('reject') ? h('button.secondary#thumb-reject', { type: 'button', onclick: choose('reject') }, t('reject')) : null);
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
    h('table.list', h('thead', h('tr', h('th', t('accountId')), h('th', t('status')), h('th', t('onPlatform')))), h('tbody', item.publications.map((p) => h('tr', { 'data-publication': p.accountId, 'data-publication-id': p.id, 'data-state': p.state, 'data-status': p.status },
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

/** Changes since the previous revision, word by word, in the text as it will be published (title, digest, body, link). */
function diffSection(item) {
  if (item.revision <= 1) return null;
  const box = h('section.card#diff', h('h3', REVIEW_WORDS.changes[lang()].replace('{n}', item.revision - 1)));
  const id = encodeURIComponent(item.id);
  Promise.all([
    api.get(`/api/content/${id}/revisions/${item.revision - 1}`),
    api.get(`/api/content/${id}/preview?revision=${item.revision - 1}`),
    api.get(`/api/content/${id}/preview`),
  ]).then(([previous, before, after]) => {
    const bodyOf = (p) => p.weChat[0]?.readerText ?? p.weibo[0]?.status ?? '';
    const fields = [
      ['title', t('title'), previous.title, item.title],
      ['summary', t('summary'), previous.summary || '', item.summary || ''],
      ['body', REVIEW_WORDS.body[lang()], bodyOf(before), bodyOf(after)],
      ['link', t('link'), previous.link || '', item.link || ''],
      ...variantDiffFields(previous, item), // issue 22: the per-platform variants are part of what is approved
    ];
    const unchanged = [];
    for (const [field, label, a, b] of fields) {
      if (a === b) { unchanged.push(label); continue; }
      box.append(h('div.diff-field', { 'data-diff-field': field }, h('div.label', label),
        h('div.text', diffWords(a, b).map((d) => (d.op === '+' ? h('ins', d.text) : d.op === '-' ? h('del', d.text) : d.text)))));
    }
    if (unchanged.length) box.append(h('p.muted', `${REVIEW_WORDS.unchanged[lang()]}${unchanged.join('、')}`));
  }).catch((err) => {
    box.append(h('p.muted', err.status === 404 ? t('previousNotKept') : err.message));
  });
  return box;
}

/**
 * What will be published: each WeChat article in its phone frame (findings marked where they are) and each Weibo post
 * as its card. An item with no WeChat account shows its body as written, findings marked, since no article renders it.
 */
function publishedView(item, preview) {
  const articles = preview.weChat.map((a, i) => wechatPhone(a, {
    itemId: item.id,
    // Findings are marked on the first article only: one anchor per finding.
    findings: i === 0 ? item.findings : null,
    source: item.body,
    title: i === 0 ? highlighted(item.title, 'title', item.findings) : null,
    digest: i === 0 && item.summary ? highlighted(item.summary, 'summary', item.findings) : null,
  }));
  const posts = preview.weibo.map((p) => weiboCard(p, { itemId: item.id }));
  return h('section#published-view',
    h('h2', REVIEW_WORDS.published[lang()]),
    h('div.previews', articles, posts),
    articles.length ? null : h('div.highlights#content-text',
      h('div.label', t('title')), highlighted(item.title, 'title', item.findings),
      item.summary ? [h('div.label', t('summary')), highlighted(item.summary, 'summary', item.findings)] : null,
      h('div.label', t('body')), highlighted(item.body, 'body', item.findings)));
}

/** A finding's link in the table also finds its mark inside the article's frame. */
function findingsInFrames(table) {
  table.addEventListener('click', (e) => {
    const link = e.target.closest?.('a[href^="#finding-"]');
    if (!link) return;
    const anchor = link.getAttribute('href').slice(1);
    if (document.getElementById(anchor)) return; // in the page: the table's own handler scrolls to it
    e.preventDefault();
    e.stopPropagation();
    for (const frame of document.querySelectorAll('iframe.wechat-body')) {
      const mark = frame.contentDocument?.getElementById(anchor);
      if (mark) { frame.scrollIntoView({ block: 'start' }); window.scrollBy(0, mark.getBoundingClientRect().top - 120); break; }
    }
  }, true);
  return table;
}

const lang = () => (currentLang() === 'en' ? 1 : 0);

/** The review part's own words (Chinese, English). */
const REVIEW_WORDS = {
  decision: ['审核意见', 'Decision'],
  choose: ['请先选择“同意”或“退回”', 'Choose approve or reject first'],
  signoff: ['查看审签单', 'Open the sign-off sheet'],
  changes: ['与第 {n} 版相比的改动', 'Changes since revision {n}'],
  unchanged: ['未改动：', 'Unchanged: '],
  published: ['将发布的内容', 'What will be published'],
  body: ['正文', 'Body'],
};

function auditSection(item) {
  const box = h('details.card#audit', h('summary', t('audit')));
  box.addEventListener('toggle', async () => {
    if (!box.open || box.dataset.loaded) return;
    box.dataset.loaded = '1';
    const entries = await api.get(`/api/content/${encodeURIComponent(item.id)}/audit`);
    box.append(h('table.list', h('thead', h('tr', h('th', '#'), h('th', t('at')), h('th', t('auditEvent')), h('th', t('auditActor')), h('th', t('auditHash')))), h('tbody', entries.map((e) => h('tr', h('td', e.seq), h('td', formatTime(e.at)), h('td', { title: e.type }, eventName(e.type)), h('td', { title: e.actor }, personName(e.actor)), h('td.hash', e.hash.slice(0, 12)))))));
  });
  return box;
}


/** The per-platform variants (decision 45) as diff rows: the Weibo text, the 阅读原文 link, who may comment. */
function variantDiffFields(previous, item) {
  const comments = (c) => t(`vr_comments${(c || 'closed')[0].toUpperCase()}${(c || 'closed').slice(1)}`);
  return [
    ['weibo.text', t('vr_weiboText'), previous.weibo?.text || '', item.weibo?.text || ''],
    ['weChat.originalLink', t('vr_originalLink'), previous.weChat?.originalLink || '', item.weChat?.originalLink || ''],
    ['weChat.comments', t('vr_comments'), comments(previous.weChat?.comments), comments(item.weChat?.comments)],
  ];
}
