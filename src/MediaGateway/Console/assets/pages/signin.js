import { h } from '../dom.js';
import { currentLang } from '../i18n.js';
import { providerSettings, signInAtProvider } from '../oidc.js';

const say = (zh, en) => (currentLang() === 'en' ? en : zh);

/**
 * Sign-in: through the organisation's identity provider (decision 38). People never see or paste a token; API keys
 * are for machines calling the API.
 */
export default {
  render(view, ctx) {
    const error = h('p.error#sign-in-error', { role: 'alert', hidden: !ctx.signInError });
    if (ctx.signInError === 'not-enabled') {
      error.textContent = say('你的账号尚未开通本系统，请联系管理员。', 'Your account has no access to this console yet; ask an administrator.');
    } else if (ctx.signInError) {
      error.textContent = say('登录未完成，请重试。如仍不能登录，请联系管理员。', 'Sign-in did not complete; please try again, or ask an administrator.');
    }
    const button = h('button#sign-in', { type: 'button', disabled: true }, say('通过统一身份认证登录', 'Sign in with your organisation account'));
    const note = h('p.muted', say('使用本单位统一身份认证账号登录，无需输入密钥。', 'Use your organisation account; no key to type.'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      // After a failed sign-in the provider asks again, so another account can be used.
      try { await signInAtProvider('#/items', { askAgain: !!ctx.signInError }); } catch {
        button.disabled = false;
        error.textContent = say('暂时无法连接统一身份认证，请稍后再试。', 'The identity provider cannot be reached; please try again shortly.');
        error.hidden = false;
      }
    });
    view.append(h('div.card.signin', h('h1', say('登录', 'Sign in')), note, error, button));
    providerSettings().then((s) => {
      if (s.enabled) { button.disabled = false; button.focus(); return; }
      button.remove();
      note.textContent = say('本网关未配置统一身份认证登录，请联系管理员。', 'This gateway has no organisation sign-in configured; ask an administrator.');
    }, () => { button.disabled = false; });
  },
};
