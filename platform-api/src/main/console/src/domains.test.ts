import { describe, expect, it } from 'vitest';
import { domainFieldPath, listProblems, MAX_LENGTH, normalizeDomain } from './domains';

// the same table as tenant-model's DomainRulesTest, minus the public suffix list (server only)
describe('normalizeDomain, as tenant-model ServerDomain', () => {
  it.each([
    ['request', 'https://api.example.com', 'https://api.example.com'],
    ['request', 'HTTPS://API.Example.COM', 'https://api.example.com'],
    ['upload', 'https://api.example.com.', 'https://api.example.com'],
    ['download', 'https://api.example.com:443', 'https://api.example.com'],
    ['webView', 'https://api.example.com/', 'https://api.example.com'],
    ['request', 'https://*.example.com', 'https://*.example.com'],
    ['socket', 'wss://ws.example.com', 'wss://ws.example.com'],
    ['socket', 'WSS://ws.example.com:443', 'wss://ws.example.com'],
    ['request', 'https://bücher.example', 'https://xn--bcher-kva.example'],
    ['request', 'https://xn--bcher-kva.example', 'https://xn--bcher-kva.example'],
    ['request', 'https://123.example.com', 'https://123.example.com'],
  ] as const)('keeps %s %s as %s', (list, entry, normalized) => {
    expect(normalizeDomain(list, entry)).toEqual({ value: normalized });
  });

  it.each([
    ['request', 'http://a.com', 'scheme'],
    ['request', 'a.com', 'scheme'],
    ['request', 'wss://ws.example.com', 'scheme'],
    ['socket', 'https://ws.example.com', 'scheme-socket'],
    ['request', 'https://1.2.3.4', 'ip-literal'],
    ['request', 'https://127.1', 'ip-literal'],
    ['request', 'https://[::1]', 'ip-literal'],
    ['request', 'https://a.com:8443', 'port'],
    ['request', 'https://a.com:', 'port'],
    ['request', 'https://a.com/path', 'path'],
    ['request', 'https://a.com?x=1', 'path'],
    ['request', 'https://a.com#top', 'path'],
    ['request', 'https://user@a.com', 'userinfo'],
    ['request', 'https://a.*.example.com', 'wildcard'],
    ['request', 'https://*example.com', 'wildcard'],
    ['request', 'https://localhost', 'format'],
    ['request', 'https://com', 'format'],
    ['request', 'https://-a.example.com', 'format'],
    ['request', 'https://a_b.example.com', 'format'],
    ['request', 'https://a..example.com', 'format'],
    ['request', '  ', 'required'],
  ] as const)('refuses %s %s: %s', (list, entry, problem) => {
    expect(normalizeDomain(list, entry)).toEqual({ problem });
  });

  it('limits the host to 253 characters and each label to 63', () => {
    const label = 'a'.repeat(63);
    expect(normalizeDomain('request', `https://${label}.example.com`)).toHaveProperty('value');
    expect(normalizeDomain('request', `https://${'a'.repeat(64)}.example.com`)).toEqual({ problem: 'length' });
    const host255 = [label, label, label, `${'b'.repeat(59)}.com`].join('.');
    expect(normalizeDomain('request', `https://${host255}`)).toEqual({ problem: 'length' });
    expect(normalizeDomain('request', `https://${'a'.repeat(MAX_LENGTH)}.com`)).toEqual({ problem: 'length' });
  });

  it('refuses a megabyte at once, without parsing it', () => {
    const started = performance.now();
    expect(normalizeDomain('request', `https://${'ü'.repeat(1 << 20)}.com`)).toEqual({ problem: 'length' });
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('listProblems, as tenant-model ServerDomains', () => {
  it('names duplicates after normalization, by index', () => {
    const problems = listProblems('request', ['https://bücher.example', 'https://com', 'https://XN--BCHER-KVA.example:443/']);
    expect([...problems.entries()]).toEqual([[1, 'format'], [2, 'duplicate']]);
  });
});

describe('domainFieldPath', () => {
  it('maps the server field names onto form paths', () => {
    expect(domainFieldPath('request[2]')).toEqual(['request', 2]);
    expect(domainFieldPath('webView')).toEqual(['webView']);
    expect(domainFieldPath('revision')).toBeNull();
  });
});
