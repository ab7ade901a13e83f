// The server domain rules of tenant-model (ServerDomain, ServerDomains), mirrored so a merchant sees a problem on the
// entry while typing. The server checks everything again. One rule is the server's alone: whether a name is a public
// suffix (com, co.uk, github.io) needs the public suffix list, which ships with the server, not the console; that
// error comes back from the server on its entry. Unicode names are shown in punycode as the browser's URL parser
// writes them; for the few names where it and Java's IDN differ (ß, ς) the server's form is what is saved.

export const DOMAIN_LISTS = ['request', 'upload', 'download', 'socket', 'webView'] as const;
export type DomainListName = (typeof DOMAIN_LISTS)[number];
export type DomainLists = Record<DomainListName, string[]>;

export interface SavedDomains extends DomainLists {
  appId: string;
  revision: number;
  updatedAt?: string | null;
}

export const MAX_ENTRIES = 20;
export const MAX_LENGTH = 300;
const MAX_HOST = 253;
const MAX_LABEL = 63;

export type DomainProblem =
  | 'required' | 'length' | 'scheme' | 'scheme-socket' | 'path' | 'userinfo' | 'ip-literal' | 'port' | 'wildcard'
  | 'format' | 'duplicate';

export function schemeOf(list: DomainListName): string {
  return list === 'socket' ? 'wss://' : 'https://';
}

/** The normalized entry, or the rule it breaks (the server's error code; 'scheme-socket' is 'scheme' in sockets). */
export function normalizeDomain(list: DomainListName, entry: string): { value: string } | { problem: DomainProblem } {
  const scheme = schemeOf(list);
  if (entry.trim() === '') return { problem: 'required' };
  if (entry.length > MAX_LENGTH) return { problem: 'length' };
  if (entry.slice(0, scheme.length).toLowerCase() !== scheme) {
    return { problem: list === 'socket' ? 'scheme-socket' : 'scheme' };
  }
  let authority = entry.slice(scheme.length);
  if (authority.endsWith('/')) authority = authority.slice(0, -1);
  if (/[/?#\\]/.test(authority)) return { problem: 'path' };
  if (authority.includes('@')) return { problem: 'userinfo' };
  if (authority.startsWith('[')) return { problem: 'ip-literal' };
  let host = authority;
  const colon = authority.lastIndexOf(':');
  if (colon >= 0) {
    if (authority.slice(colon + 1) !== '443') return { problem: 'port' };
    host = authority.slice(0, colon);
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  const wildcard = host.startsWith('*.');
  const base = wildcard ? host.slice(2) : host;
  if (base.includes('*')) return { problem: 'wildcard' };
  const ascii = toAscii(base);
  if (ascii === null) return { problem: 'format' };
  if (ascii.length + (wildcard ? 2 : 0) > MAX_HOST) return { problem: 'length' };
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length > MAX_LABEL) return { problem: 'length' };
    if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(label)) return { problem: 'format' };
  }
  if (!/^[a-z]/.test(labels[labels.length - 1])) return { problem: 'ip-literal' };
  if (labels.length < 2) return { problem: 'format' };
  return { value: scheme + (wildcard ? '*.' : '') + ascii };
}

/** Lower-cased ASCII; a Unicode name in punycode; null when it cannot be one. */
function toAscii(host: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(host)) return host.toLowerCase();
  try {
    const parsed = new URL(`https://${host}`).hostname;
    return /^[a-z0-9.-]+$/.test(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Every entry's problem, by index, as the server would name it ({@code request[2]}), duplicates included. */
export function listProblems(list: DomainListName, entries: string[]): Map<number, DomainProblem> {
  const problems = new Map<number, DomainProblem>();
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const result = normalizeDomain(list, entry ?? '');
    if ('problem' in result) {
      problems.set(index, result.problem);
    } else if (seen.has(result.value)) {
      problems.set(index, 'duplicate');
    } else {
      seen.add(result.value);
    }
  });
  return problems;
}

/** A server error's field ({@code webView[3]}) as the form's path (['webView', 3]); null for another field. */
export function domainFieldPath(field: string): [DomainListName, number] | [DomainListName] | null {
  const match = /^(request|upload|download|socket|webView)(?:\[(\d+)\])?$/.exec(field);
  if (!match) return null;
  const list = match[1] as DomainListName;
  return match[2] === undefined ? [list] : [list, Number(match[2])];
}
