// Login with the OAuth 2.0 device authorization grant (RFC 8628) against the platform's Keycloak: the CLI shows a
// URL and a code, the person logs in on Keycloak's own pages in any browser, and the CLI polls the token endpoint.
// No password ever passes through the CLI. The refresh token renews the access token; logout revokes both.
import { CliError, EXIT } from './problem.js';
import { deleteCredentials, loadCredentials, saveCredentials } from './store.js';

export const DEVICE_CLIENT = 'platform-cli-device';
const RENEW_BEFORE_MS = 30_000;

/**
 * Where the API's Keycloak is: the console's public configuration names it, so one CLI works with any deployment.
 * @param {string} api
 */
export async function discoverIssuer(api) {
  const config = await fetchJson(`${api}/console/config.json`, {}, `the platform at ${api}`);
  if (!config.ok) {
    throw new CliError(EXIT.SERVER, `${api}/console/config.json answered ${config.status}; is ${api} the platform's URL?`);
  }
  return `${config.body.keycloakUrl}/realms/${config.body.realm}`;
}

/**
 * Runs the device grant to its end and stores the tokens.
 * @param {{api: string, clientId?: string, print: (line: string) => void, sleep?: (ms: number) => Promise<void>}} options
 */
export async function login({ api, clientId = DEVICE_CLIENT, print, sleep = delay }) {
  const issuer = await discoverIssuer(api);
  const device = await form(`${issuer}/protocol/openid-connect/auth/device`, { client_id: clientId, scope: 'openid' });
  if (!device.ok) {
    throw new CliError(EXIT.AUTH, `Keycloak refused the device login: ${device.body.error_description ?? device.body.error ?? device.status}`);
  }
  const { device_code: deviceCode, user_code: userCode, verification_uri: uri, verification_uri_complete: complete } = device.body;
  print(`To log in, open ${uri} in a browser and enter the code ${userCode}`);
  if (complete) {
    print(`(or open ${complete})`);
  }
  print('Waiting for the login to finish…');
  let interval = (device.body.interval ?? 5) * 1000;
  const deadline = Date.now() + (device.body.expires_in ?? 600) * 1000;
  while (Date.now() < deadline) {
    await sleep(interval);
    const token = await form(`${issuer}/protocol/openid-connect/token`, {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode, client_id: clientId,
    });
    if (token.ok) {
      const credentials = credentialsOf(api, issuer, clientId, token.body);
      await saveCredentials(credentials);
      return credentials;
    }
    const error = token.body.error;
    if (error === 'slow_down') {
      interval += 5000;
    } else if (error !== 'authorization_pending') {
      throw new CliError(EXIT.AUTH, error === 'access_denied' ? 'the login was denied in the browser'
        : error === 'expired_token' ? 'the code expired before the login finished; run `mpp login` again'
          : `the login failed: ${token.body.error_description ?? error ?? token.status}`);
    }
  }
  throw new CliError(EXIT.AUTH, 'the code expired before the login finished; run `mpp login` again');
}

/**
 * The stored login, renewed with its refresh token when the access token is (nearly) expired.
 * @param {{force?: boolean}} [options] force: renew even if the access token still looks valid (after a 401)
 */
export async function session({ force = false } = {}) {
  const credentials = await loadCredentials();
  if (!credentials) {
    throw new CliError(EXIT.AUTH, 'not logged in; run `mpp login`');
  }
  if (!force && credentials.expiresAt - RENEW_BEFORE_MS > Date.now()) {
    return credentials;
  }
  if (!credentials.refreshToken) {
    throw new CliError(EXIT.AUTH, 'the login has expired; run `mpp login`');
  }
  const token = await form(`${credentials.issuer}/protocol/openid-connect/token`, {
    grant_type: 'refresh_token', refresh_token: credentials.refreshToken, client_id: credentials.clientId,
  });
  if (!token.ok) {
    throw new CliError(EXIT.AUTH, `the login has ended (${token.body.error_description ?? token.body.error ?? token.status}); run \`mpp login\``);
  }
  const renewed = credentialsOf(credentials.api, credentials.issuer, credentials.clientId, token.body);
  await saveCredentials(renewed);
  return renewed;
}

/** Tokens of CI keys, per API and client, for this process only: a key's token is never written to disk. */
const keyTokens = new Map();

/**
 * A CI key (`<clientId>:<clientSecret>`, as the platform showed it once) as credentials: a client-credentials token
 * from the API's Keycloak, renewed before it expires (or at once after a 401, with `force`).
 * @param {{api: string, key: string, force?: boolean}} options
 */
export async function keySession({ api, key, force = false }) {
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) {
    throw new CliError(EXIT.USAGE, 'a CI key is `<clientId>:<clientSecret>`, as the platform showed it when it was created');
  }
  const clientId = key.slice(0, colon);
  const cacheKey = `${api} ${clientId}`;
  const cached = keyTokens.get(cacheKey);
  if (!force && cached && cached.expiresAt - RENEW_BEFORE_MS > Date.now()) {
    return cached;
  }
  const issuer = cached?.issuer ?? await discoverIssuer(api);
  const token = await form(`${issuer}/protocol/openid-connect/token`, {
    grant_type: 'client_credentials', client_id: clientId, client_secret: key.slice(colon + 1),
  });
  if (!token.ok) {
    throw new CliError(EXIT.AUTH, `Keycloak refused the CI key ${clientId} (${token.body.error_description ?? token.body.error ?? token.status}): `
      + 'it may have been revoked or rotated; ask an owner or master of the workspace');
  }
  const credentials = { ...credentialsOf(api, issuer, clientId, token.body), key: true };
  keyTokens.set(cacheKey, credentials);
  return credentials;
}

/** Revokes the refresh token (which ends the login at Keycloak) and the access token, then forgets both. */
export async function logout() {
  const credentials = await loadCredentials();
  if (!credentials) {
    return false;
  }
  const revoke = `${credentials.issuer}/protocol/openid-connect/revoke`;
  try {
    if (credentials.refreshToken) {
      await form(revoke, { client_id: credentials.clientId, token: credentials.refreshToken, token_type_hint: 'refresh_token' });
    }
    await form(revoke, { client_id: credentials.clientId, token: credentials.accessToken, token_type_hint: 'access_token' });
  } finally {
    // forgotten even when Keycloak cannot be reached: the tokens then expire on their own
    await deleteCredentials();
  }
  return true;
}

/** The claims of an access token, read without verifying it (the API verifies; this is only for display). @param {string} jwt */
export function claimsOf(jwt) {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}

/** @param {string} api @param {string} issuer @param {string} clientId @param {any} body */
function credentialsOf(api, issuer, clientId, body) {
  const now = Date.now();
  return {
    api, issuer, clientId,
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresAt: now + (body.expires_in ?? 60) * 1000,
    refreshExpiresAt: body.refresh_expires_in ? now + body.refresh_expires_in * 1000 : undefined,
  };
}

/** @param {string} url @param {Record<string, string>} fields */
async function form(url, fields) {
  return fetchJson(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
  }, 'Keycloak');
}

/**
 * @param {string} url @param {RequestInit} init @param {string} what named in the network error
 * @returns {Promise<{ok: boolean, status: number, body: any}>}
 */
export async function fetchJson(url, init, what) {
  let response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    throw new CliError(EXIT.SERVER, `cannot reach ${what} (${url}): ${/** @type {any} */ (e).cause?.code ?? /** @type {Error} */ (e).message}`);
  }
  const text = await response.text();
  let body = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { raw: text };
  }
  return { ok: response.ok, status: response.status, body };
}

/** @param {number} ms */
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
