// Sign-in at the organisation's OpenID provider: authorization code flow with PKCE, the console a public client
// (decision 38). The access token (a JWT for the gateway) and the ID token stay in this tab's sessionStorage, as the
// bearer credential always has; nothing here is a secret the browser could keep from its user.
import { setToken } from './api.js';

const PENDING = 'mg.console.oidc.pending';
const ID_TOKEN = 'mg.console.oidc.idToken';
const DRAFT = 'mg.console.draft';

let settings;
/** The gateway's sign-in settings (GET /console/sign-in.json) and the provider's discovery document. */
export async function providerSettings() {
  if (!settings) {
    settings = (async () => {
      const config = await (await fetch('/console/sign-in.json', { cache: 'no-store' })).json();
      if (!config.enabled) return config;
      const discovery = await (await fetch(`${config.authority}/.well-known/openid-configuration`)).json();
      return { ...config, discovery };
    })();
    settings.catch(() => { settings = null; });
  }
  return settings;
}

const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = () => base64url(crypto.getRandomValues(new Uint8Array(32)));
const redirectUri = () => `${location.origin}/console/`;

/** Off to the provider; back at /console/?code=… with the same tab's PKCE verifier, state and nonce. */
export async function signInAtProvider(returnHash = '#/items', { askAgain = false } = {}) {
  const s = await providerSettings();
  const verifier = random();
  const state = random();
  const nonce = random();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce, returnHash }));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const query = new URLSearchParams({
    response_type: 'code', client_id: s.clientId, redirect_uri: redirectUri(), scope: s.scope,
    state, nonce, code_challenge: challenge, code_challenge_method: 'S256',
  });
  if (s.resource) query.set('resource', s.resource);
  if (askAgain) query.set('prompt', 'login');
  location.assign(`${s.discovery.authorization_endpoint}?${query}`);
}

/**
 * The provider's answer, when this page load is one: the code exchanged for tokens (PKCE verifier, state and nonce
 * checked). Returns { returnHash } when signed in, { error } when the provider or the exchange refused, null otherwise.
 */
export async function completeSignIn() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `/console/${pending?.returnHash || '#/items'}`);
  if (!pending || params.get('state') !== pending.state) return { error: 'state' };
  if (params.has('error')) return { error: params.get('error') };
  const s = await providerSettings();
  const response = await fetch(s.discovery.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
      client_id: s.clientId, code_verifier: pending.verifier,
    }),
  });
  const tokens = await response.json();
  if (!response.ok || !tokens.access_token || !tokens.id_token) return { error: tokens.error || 'token' };
  // The ID token came straight from the token endpoint; its nonce ties it to this tab's request.
  const claims = JSON.parse(atob(tokens.id_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  if (claims.nonce !== pending.nonce) return { error: 'nonce' };
  setToken(tokens.access_token);
  sessionStorage.setItem(ID_TOKEN, tokens.id_token);
  return { returnHash: pending.returnHash };
}

/** Signs out here and at the provider (RP-initiated logout), which sends the browser back to the sign-in page. */
export async function signOutAtProvider() {
  const idToken = sessionStorage.getItem(ID_TOKEN);
  setToken(null);
  sessionStorage.removeItem(ID_TOKEN);
  const s = idToken ? await providerSettings().catch(() => null) : null;
  if (!s?.discovery?.end_session_endpoint) return false;
  const query = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: redirectUri(), client_id: s.clientId });
  location.assign(`${s.discovery.end_session_endpoint}?${query}`);
  return true;
}

/** Keeps what is typed on the page (not files) across a re-sign-in, keyed by the page's address. */
export function keepDraft(view) {
  const fields = [...view.querySelectorAll('input, textarea, select')].filter((f) => f.type !== 'file' && f.type !== 'password');
  if (!fields.some((f) => (f.type === 'checkbox' || f.type === 'radio' ? f.checked !== f.defaultChecked : f.value !== f.defaultValue))) return;
  sessionStorage.setItem(DRAFT, JSON.stringify({
    hash: location.hash,
    fields: fields.map((f) => ({ id: f.id || null, value: f.value, checked: f.checked })),
  }));
}

/** Puts a kept draft back into the page it was typed on; true when something was restored. */
export function restoreDraft(view) {
  const draft = JSON.parse(sessionStorage.getItem(DRAFT) || 'null');
  if (!draft || draft.hash !== location.hash) return false;
  sessionStorage.removeItem(DRAFT);
  const fields = [...view.querySelectorAll('input, textarea, select')].filter((f) => f.type !== 'file' && f.type !== 'password');
  draft.fields.forEach((kept, i) => {
    const field = (kept.id && view.querySelector(`#${CSS.escape(kept.id)}`)) || fields[i];
    if (!field) return;
    if (field.type === 'checkbox' || field.type === 'radio') field.checked = kept.checked; else field.value = kept.value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });
  return true;
}
