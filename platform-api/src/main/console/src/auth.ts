import Keycloak from 'keycloak-js';

export interface ConsoleConfig {
  keycloakUrl: string;
  realm: string;
  clientId: string;
}

let keycloak: Keycloak | null = null;

/**
 * Logs the user in through Keycloak (authorization code + PKCE). Tokens live only in this module's memory: a
 * reload asks Keycloak again, which answers at once while its session cookie is valid. When the Keycloak
 * session has ended, the user goes to the login page and comes back to the page they were on.
 */
export async function startAuth(config: ConsoleConfig): Promise<Keycloak> {
  keycloak = new Keycloak({ url: config.keycloakUrl, realm: config.realm, clientId: config.clientId });
  keycloak.onTokenExpired = () => {
    void freshToken();
  };
  await keycloak.init({
    onLoad: 'login-required',
    pkceMethod: 'S256',
    checkLoginIframe: false,
    responseMode: 'query',
    redirectUri: window.location.href,
  });
  return keycloak;
}

function kc(): Keycloak {
  if (!keycloak) throw new Error('auth not started');
  return keycloak;
}

/** A token valid for at least 30 more seconds, refreshed silently when needed. */
export async function freshToken(): Promise<string> {
  try {
    await kc().updateToken(30);
    return kc().token!;
  } catch {
    await loginAgain();
    throw new SessionExpired();
  }
}

export class SessionExpired extends Error {
  constructor() {
    super('session expired');
  }
}

/** Back to Keycloak's login page; afterwards the user lands on the page they were on. */
export function loginAgain(): Promise<void> {
  return kc().login({ redirectUri: window.location.href });
}

export function logout(): Promise<void> {
  return kc().logout({ redirectUri: window.location.origin + '/console/' });
}

export function accountUrl(): string {
  return kc().createAccountUrl();
}

export interface CurrentUser {
  id: string;
  username: string;
  name: string;
  email: string;
  realmRoles: string[];
}

export function currentUser(): CurrentUser {
  const t = (kc().tokenParsed ?? {}) as Record<string, unknown>;
  const realmAccess = (t.realm_access as { roles?: string[] } | undefined)?.roles ?? [];
  return {
    id: String(t.sub ?? ''),
    username: String(t.preferred_username ?? ''),
    name: String(t.name ?? t.preferred_username ?? ''),
    email: String(t.email ?? ''),
    realmRoles: realmAccess,
  };
}
