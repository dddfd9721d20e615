import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** The printable sign-off sheet (审签单), as the API renders it, framed with a print button. */
export default {
  path: 'signoff',
  nav: null,
  roles: null,
  async render(ctx, id) {
    const html = await api.html(`/api/content/${encodeURIComponent(id)}/signoff-sheet`);
    const frame = h('iframe.sheet#signoff-frame', { sandbox: 'allow-same-origin allow-modals', title: t('signoffSheet') });
    frame.srcdoc = html;
    return h('section',
      h('div.bar', h('a.button.secondary', { href: `#/item/${encodeURIComponent(id)}` }, t('back')),
        h('button#print', { type: 'button', onclick: () => frame.contentWindow.print() }, t('print'))),
      frame);
  },
};
