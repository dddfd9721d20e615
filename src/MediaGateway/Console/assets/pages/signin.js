import { api, setToken, ApiError } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** Sign-in: a bearer credential the API accepts (an API key, or a JWT from the configured OpenID Connect issuer). */
export default {
  render(view, ctx) {
    const input = h('textarea#token', { rows: 3, autocomplete: 'off', spellcheck: 'false', required: true });
    const error = h('p.error', { role: 'alert', hidden: true });
    const form = h('form.card.signin', {
      onsubmit: async (e) => {
        e.preventDefault();
        error.hidden = true;
        setToken(input.value.trim());
        try {
          ctx.signedIn(await api.get('/api/me'));
        } catch (err) {
          setToken(null);
          error.textContent = err instanceof ApiError && err.status === 401 ? t('signInFailed') : err.message;
          error.hidden = false;
        }
      },
    }, h('h1', t('signIn')), h('label', { for: 'token' }, t('tokenLabel')), input, h('p.muted', t('tokenHelp')), error,
    h('button#sign-in', { type: 'submit' }, t('signIn')));
    view.append(form);
    input.focus();
  },
};
