// An independent OpenID provider (oidc-provider) for the console's sign-in: browser tests and scripts/run.sh.
// Usage: node server.js <port> <console redirect URI> [audience]   (or OIDC_PORT, OIDC_REDIRECT_URI, OIDC_AUDIENCE)
// Loopback only. Demo users only: a person signs in by choosing a login name; there are no passwords.
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? process.env.OIDC_PORT ?? 5395);
const redirectUri = process.argv[3] ?? process.env.OIDC_REDIRECT_URI ?? 'http://127.0.0.1:5380/console/';
const audience = process.argv[4] ?? process.env.OIDC_AUDIENCE ?? 'media-gateway';
const resource = 'urn:media-gateway'; // the resource indicator the console's grant covers; tokens for it carry the audience
const accessTokenSeconds = Number(process.env.OIDC_ACCESS_TOKEN_SECONDS ?? 900);
const issuer = `http://127.0.0.1:${port}`;

// sub → claims. The gateway maps a sub (section Users) or a group (Auth:Oidc:Groups) to roles and a department.
const users = {
  'op-li': { name: '李娜', groups: ['city-news-editors'] },
  'rv1-zhao': { name: '赵磊', groups: ['city-news-reviewers'] },
  'rv2-qian': { name: '钱芳', groups: [] },
  'rv3-sun': { name: '孙伟', groups: [] },
  'admin-zhou': { name: '周静', groups: [] },
  'dept-info': { name: '信息公开办', groups: [] },
  'liaison-wu': { name: '吴涛', groups: [] },
  'sec-feng': { name: '冯洁', groups: [] },
  'op-health': { name: '刘洋', groups: [] },
  'ed-chen': { name: '陈晨', groups: ['city-news-editors'] },      // in no Users entry: a group gives the role
  'rv-he': { name: '何静', groups: ['city-news-first-review'] },  // likewise, a first-level reviewer by group
};

const html = (title, body) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'media-gateway-console', token_endpoint_auth_method: 'none', application_type: 'web',
    redirect_uris: [redirectUri], post_logout_redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'],
  }],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'groups'], // OpenID scopes; 'gateway' is the resource server's (below)
  claims: { openid: ['sub'], profile: ['name'], groups: ['groups'] },
  findAccount: (ctx, sub) => users[sub] && { accountId: sub, claims: () => ({ sub, ...users[sub] }) },
  // A first-party console: no consent screen; the grant covers what the console asks for.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile groups');
    grant.addResourceScope(resource, 'gateway');
    await grant.save();
    return grant;
  },
  // The gateway's access token: a signed JWT for its audience, carrying the name and groups the gateway maps.
  extraTokenClaims: (ctx, token) => token.kind === 'AccessToken' && users[token.accountId]
    ? { name: users[token.accountId].name, groups: users[token.accountId].groups } : undefined,
  features: {
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true, defaultResource: () => resource, useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: 'gateway', audience, accessTokenFormat: 'jwt', accessTokenTTL: accessTokenSeconds, jwt: { sign: { alg: 'RS256' } } }),
    },
    rpInitiatedLogout: {
      enabled: true,
      // The console sends id_token_hint; the provider ends its session without asking again.
      logoutSource: (ctx, form) => { ctx.body = html('退出登录', form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>') + '<script>document.forms[0].submit()</script>'); },
      postLogoutSuccessSource: (ctx) => { ctx.body = html('已退出', '<p>已退出登录。</p>'); },
    },
  },
  ttl: { Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600, IdToken: 3600, AuthorizationCode: 60 },
});

const form = (uid, error) => html('统一身份认证', `<form method="post" action="/interaction/${uid}/login"><h1>统一身份认证</h1>
  ${error ? `<p role="alert">${error}</p>` : ''}<label>账号 <input name="login" id="login" autocomplete="username" autofocus></label>
  <button type="submit" id="login-submit">登录</button></form>`);

const server = createServer(async (req, res) => {
  const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url);
  if (!match) return provider.callback()(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (process.env.OIDC_DEBUG) console.error(JSON.stringify(details.prompt));
    if (req.method === 'GET') { res.setHeader('Content-Type', 'text/html; charset=utf-8'); return res.end(form(details.uid)); }
    let body = '';
    for await (const chunk of req) body += chunk;
    const login = new URLSearchParams(body).get('login')?.trim();
    if (!users[login]) { res.setHeader('Content-Type', 'text/html; charset=utf-8'); return res.end(form(details.uid, '账号不存在')); }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  } catch (e) {
    res.statusCode = 400;
    res.end(String(e.message));
  }
});
server.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening ${issuer}`));
