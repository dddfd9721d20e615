import { api } from '../api.js';
import { h, clear, debounce } from '../dom.js';
import { t, pick, word } from '../i18n.js';
import { showProblem, findingsTable, highlighted, categoryName } from '../ui.js';
import { wechatPhone, weiboCard, mediaUrl, showChosenImage } from '../preview.js';
import { scheduleBlock } from './compose-schedule.js';

const CATEGORIES = ['News', 'NormativeDocument', 'PolicyInterpretation', 'LivelihoodActivity', 'Emergency', 'ClosureNotice', 'Other'];
const DATES_OF = {
  NormativeDocument: ['documentNumber', 'issuedOn'],
  PolicyInterpretation: ['interpretedDocument', 'issuedOn'],
  LivelihoodActivity: ['activityEndsAt'],
};

function localInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function field(name, labelKey, control) {
  control.id = `f-${name}`;
  control.name = name;
  return h('div.field', { 'data-for': name }, h('label', { for: control.id }, t(labelKey)), control);
}

/**
 * Compose or revise an item: the form, the WeChat article and Weibo post as they will render, and the rule
 * findings as the operator types (POST /api/drafts/render, debounced; nothing is stored until submitted).
 */
export default {
  path: 'compose',
  nav: 'navCompose',
  roles: ['Operator', 'Administrator'],
  async render(ctx, editId) {
    const [accounts, existing] = await Promise.all([
      api.get('/api/accounts'),
      editId ? api.get(`/api/content/${encodeURIComponent(editId)}`) : null,
    ]);
    const mine = accounts.filter((a) => ctx.hasRole('Administrator') || a.ownership.operatingTeam === ctx.me.department);
    const v = existing || {};
    let coverMediaId = v.coverMediaId || null;

    const title = h('input', { type: 'text', value: v.title || '', maxlength: 200, required: true });
    const summary = h('textarea', { rows: 2, maxlength: 300 }, v.summary || '');
    const author = h('input', { type: 'text', value: v.author || '' });
    const body = h('textarea', { rows: 14, required: true }, v.body || '');
    const link = h('input', { type: 'url', value: v.link || '', placeholder: 'https://www.example.gov.cn/…' });
    const category = h('select', CATEGORIES.map((c) => h('option', { value: c, selected: v.category && v.category.toLowerCase() === c.toLowerCase() }, categoryName(c))));
    const documentNumber = h('input', { type: 'text', value: v.documentNumber || '' });
    const issuedOn = h('input', { type: 'date', value: v.issuedOn || '' });
    const interpretedDocument = h('input', { type: 'text', value: v.interpretedDocument || '' });
    const activityEndsAt = h('input', { type: 'datetime-local', value: localInput(v.activityEndsAt) });
    const publishAt = h('input', { type: 'datetime-local', value: localInput(v.publishAt) });
    const schedule = scheduleBlock(publishAt, () => draft(), existing);
    const agencies = h('textarea', { rows: 2 }, (v.agencies || []).join('\n'));
    const sensitive = h('input', { type: 'checkbox', id: 'f-sensitive', checked: v.sensitive });
    const coverFile = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/gif' });
    const coverInfo = h('span#cover-id', coverMediaId ? chosenPicture(editId, coverMediaId) : null);
    const imageFile = h('input#f-body-image', { type: 'file', accept: 'image/png,image/jpeg,image/gif' });
    const targetBoxes = mine.map((a) => h('label.check', h('input', {
      type: 'checkbox', name: 'targets', value: a.id, checked: (v.targets || []).includes(a.id), 'data-target': a.id,
    }), ' ', h('span', { title: a.id }, `${a.name} · ${word('pf', a.platform)}`), a.notPublishableBecause ? h('span.warn', ` — ${pick(a.notPublishableBecause)}`) : null));

    const variants = variantFields(v, mine, () => refreshPreview()); // issue 22: Weibo text and picture, WeChat options
    const problem = h('div.error#compose-problem', { role: 'alert', hidden: true });
    const previewBox = h('div.preview#preview');
    const findingsBox = h('div#findings');

    const draft = () => {
      const cat = category.value;
      const needs = DATES_OF[cat] || [];
      const iso = (input) => (input.value ? new Date(input.value).toISOString() : null);
      return {
        title: title.value, summary: summary.value || null, author: author.value || null, body: body.value,
        link: link.value || null, coverMediaId, category: cat,
        documentNumber: needs.includes('documentNumber') ? documentNumber.value || null : null,
        issuedOn: needs.includes('issuedOn') ? issuedOn.value || null : null,
        interpretedDocument: needs.includes('interpretedDocument') ? interpretedDocument.value || null : null,
        activityEndsAt: needs.includes('activityEndsAt') ? iso(activityEndsAt) : null,
        publishAt: iso(publishAt),
        ...schedule.request(),
        agencies: agencies.value.split('\n').map((s) => s.trim()).filter(Boolean),
        sensitive: sensitive.checked,
        targets: targetBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
        ...variants.read(),
      };
    };

    const dateFields = {
      documentNumber: field('documentNumber', 'documentNumber', documentNumber),
      issuedOn: field('issuedOn', 'issuedOn', issuedOn),
      interpretedDocument: field('interpretedDocument', 'interpretedDocument', interpretedDocument),
      activityEndsAt: field('activityEndsAt', 'activityEndsAt', activityEndsAt),
    };
    const showDates = () => {
      const needs = DATES_OF[category.value] || [];
      for (const [name, el] of Object.entries(dateFields)) el.hidden = !needs.includes(name);
    };

    let sequence = 0;
    const refreshPreview = debounce(async () => {
      const mineSeq = ++sequence;
      try {
        const result = await api.post('/api/drafts/render', draft());
        if (mineSeq !== sequence) return; // an older answer arriving late
        renderPreview(result);
      } catch (err) {
        if (mineSeq === sequence) showProblem(clear(findingsBox).appendChild(h('div.error')), err);
      }
    }, 350);

    function renderPreview(result) {
      clear(previewBox);
      // The same phone frame and card as the review page (preview.js); images show once the item is saved.
      for (const w of result.weChat) previewBox.append(wechatPhone(w, { itemId: editId || null }));
      for (const p of result.weibo) previewBox.append(weiboCard(p, { itemId: editId || null }));
      // Element.append writes null as the text "null": build with h(), which skips it.
      clear(findingsBox).append(h('div',
        h('h2', { title: result.rulesVersion }, t('findings')),
        findingsTable(result.findings),
        result.findings.length ? h('div.highlights',
          highlighted(title.value, 'title', result.findings),
          summary.value ? highlighted(summary.value, 'summary', result.findings) : null,
          highlighted(body.value, 'body', result.findings)) : null));
    }

    async function upload(input) {
      const file = input.files[0];
      if (!file) return null;
      const form = new FormData();
      form.append('file', file);
      try {
        return rememberChosen(await api.post('/api/media', form), file);
      } catch (err) {
        showProblem(problem, err);
        return null;
      } finally {
        input.value = '';
      }
    }

    coverFile.addEventListener('change', async () => {
      const media = await upload(coverFile);
      if (media) { coverMediaId = media.id; clear(coverInfo).append(chosenPicture(null, media.id, media.fileName)); refreshPreview(); }
    });
    imageFile.addEventListener('change', async () => {
      const media = await upload(imageFile);
      if (!media) return;
      const at = body.selectionStart ?? body.value.length;
      body.value = `${body.value.slice(0, at)}\n\n![${media.fileName}](${media.reference})\n\n${body.value.slice(at)}`;
      refreshPreview();
    });
    category.addEventListener('change', showDates);

    const markInvalid = (err) => {
      for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
      for (const name of Object.keys(err.fields || {})) {
        form.querySelector(`[data-for="${name.replace(/\[\d+\]$/, '')}"]`)?.classList.add('invalid');
      }
    };

    const submit = h('button#submit', { type: 'submit' }, t(existing ? 'saveRevision' : 'submit'));
    const form = h('form.compose', {
      oninput: refreshPreview,
      onchange: refreshPreview,
      onsubmit: async (e) => {
        e.preventDefault();
        problem.hidden = true;
        submit.disabled = true;
        try {
          const saved = existing
            ? await api.put(`/api/content/${encodeURIComponent(existing.id)}`, draft())
            : await api.post('/api/content', draft());
          ctx.go(`item/${encodeURIComponent(saved.id)}`);
        } catch (err) {
          showProblem(problem, err);
          markInvalid(err);
          problem.scrollIntoView({ block: 'nearest' });
        } finally {
          submit.disabled = false;
        }
      },
    },
    field('title', 'title', title), field('summary', 'summary', summary), field('author', 'author', author),
    field('body', 'body', body),
    h('div.field', h('label', { for: 'f-body-image' }, t('uploadImage')), imageFile),
    field('link', 'link', link),
    h('div.field', { 'data-for': 'coverMediaId' }, h('label', { for: 'f-cover' }, t('cover')), Object.assign(coverFile, { id: 'f-cover' }), ' ', coverInfo),
    field('category', 'category', category),
    Object.values(dateFields),
    h('fieldset.field', { 'data-for': 'targets' }, h('legend', t('targets')), targetBoxes.length ? targetBoxes : h('p.muted', t('noTargets'))),
    variants.elements,
    field('agencies', 'agencies', agencies),
    h('div.field', h('label.check', sensitive, ' ', t('sensitive'))),
    field('publishAt', 'publishAt', publishAt),
    schedule.element,
    problem, submit);
    schedule.watch(form);
    showDates();
    refreshPreview();

    return h('section.compose-page',
      h('h1', existing ? `${t('revise')} · ${existing.title}` : t('navCompose')),
      h('div.columns', form, h('aside', h('h2', t('preview')), previewBox, findingsBox)));
  },
};

// ---- variants (issue 22, decision 45): the Weibo post's own text and picture, the WeChat article's options ----------

/**
 * The variant block of the form: its elements and read(), which gives the request's `weibo` and `weChat` (null when the
 * operator left them as they are: the post is then "【title】summary link" with the cover, the article uses the link and
 * keeps comments closed). Which Weibo accounts may post #话题# is said beside the text (Accounts:{id}:AllowTopics).
 */
function variantFields(v, accounts, changed) {
  const weiboText = h('textarea#f-weiboText', { rows: 3, name: 'weiboText' }, v.weibo?.text || '');
  const pictures = v.weibo?.pictures;
  let ownPicture = pictures?.length ? pictures[0] : null;
  const pictureMode = h('select#f-weiboPicture', { name: 'weiboPicture' },
    h('option', { value: 'cover', selected: !pictures }, t('vr_pictureCover')),
    h('option', { value: 'none', selected: pictures && !pictures.length }, t('vr_pictureNone')),
    h('option', { value: 'own', selected: !!pictures?.length }, t('vr_pictureOwn')));
  const pictureFile = h('input#f-weiboPictureFile', { type: 'file', accept: 'image/png,image/jpeg,image/gif', 'aria-label': t('vr_pictureOwn') });
  const pictureInfo = h('span#weibo-picture-id', ownPicture ? chosenPicture(v.id || null, ownPicture) : null);
  const pictureOwn = h('span', pictureFile, ' ', pictureInfo);
  const showPicture = () => { pictureOwn.hidden = pictureMode.value !== 'own'; };
  pictureMode.addEventListener('change', showPicture);
  pictureFile.addEventListener('change', async () => {
    const file = pictureFile.files[0];
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    try {
      const media = rememberChosen(await api.post('/api/media', form), file); // shown in the card before the item is saved
      ownPicture = media.id;
      clear(pictureInfo).append(chosenPicture(null, media.id, media.fileName));
      changed();
    } catch (err) {
      pictureInfo.textContent = err.message;
    } finally {
      pictureFile.value = '';
    }
  });
  showPicture();

  const topics = accounts.filter((a) => a.platform === 'Weibo' && a.allowsTopics).map((a) => a.name);
  const originalLink = h('input#f-originalLink', { type: 'url', name: 'originalLink', value: v.weChat?.originalLink || '', placeholder: t('vr_originalLinkHint') });
  const comments = h('select#f-comments', { name: 'comments' },
    [['closed', 'vr_commentsClosed'], ['open', 'vr_commentsOpen'], ['fansOnly', 'vr_commentsFansOnly']].map(([value, key]) =>
      h('option', { value, selected: (v.weChat?.comments || 'closed').toLowerCase() === value.toLowerCase() }, t(key))));
  const labelled = (name, key, control, ...after) => h('div.field', { 'data-for': name }, h('label', { for: control.id }, t(key)), control, ...after);

  const elements = [
    h('fieldset.field.variants#weibo-variant', h('legend', t('vr_weibo')),
      labelled('weibo.text', 'vr_weiboText', weiboText,
        h('p.muted', t('vr_weiboTextHint')),
        h('p.muted', topics.length ? t('vr_topicsAllowed').replace('{0}', topics.join('、')) : t('vr_topicsNone'))),
      labelled('weibo.pictures', 'vr_picture', pictureMode, ' ', pictureOwn, h('p.muted', t('vr_pictureOne')))),
    h('fieldset.field.variants#wechat-options', h('legend', t('vr_weChat')),
      labelled('weChat.originalLink', 'vr_originalLink', originalLink),
      labelled('weChat.comments', 'vr_comments', comments)),
  ];

  const read = () => {
    const text = weiboText.value.trim();
    const mode = pictureMode.value;
    const weibo = text || mode !== 'cover'
      ? { text: text || null, pictures: mode === 'cover' ? null : mode === 'none' || !ownPicture ? [] : [ownPicture] }
      : null;
    const link = originalLink.value.trim();
    const weChat = link || comments.value !== 'closed' ? { originalLink: link || null, comments: comments.value } : null;
    return { weibo, weChat };
  };
  return { elements, read };
}

/* phone (issue 21): pictures for a draft not saved yet. A chosen picture is uploaded at once and shown from the chosen
   file in the preview (preview.js showChosenImage) and beside its field; the item holds it once saved or submitted. */
function rememberChosen(media, file) {
  showChosenImage(media.id, file);
  return media;
}

/** The picture beside its field: a thumbnail and the file's name, the media id only as a tooltip. */
function chosenPicture(itemId, mediaId, fileName = null) {
  const img = h('img.chosen-thumb', { alt: fileName || t('cover'), 'data-media': mediaId });
  mediaUrl(itemId, mediaId).then((url) => { if (url) img.src = url; else img.hidden = true; });
  return h('span.chosen-picture', { title: `media:${mediaId}` }, img, fileName ? ` ${fileName}` : null);
}
