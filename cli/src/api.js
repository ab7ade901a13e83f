// The platform API as the CLI uses it: only the operations of contract.js, with the stored login (renewed when
// needed, and once more after a 401), and every error answer turned into a CliError with its exit code.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomBytes } from 'node:crypto';
import { OPERATIONS } from './contract.js';
import { claimsOf, fetchJson, keySession, session } from './auth.js';
import { CliError, errorOf, EXIT } from './problem.js';

/** @typedef {keyof typeof OPERATIONS} OperationName */

export class Api {
  /**
   * @param {string | undefined} base the API's URL; the stored login's when absent (required with a key)
   * @param {string} [key] a CI key, `<clientId>:<clientSecret>`: used instead of the stored login
   */
  constructor(base, key) {
    this.base = base;
    this.key = key;
  }

  /** The credentials of this run: the CI key's token, else the stored login. @param {{force?: boolean}} [options] */
  credentials({ force = false } = {}) {
    return this.key ? keySession({ api: /** @type {string} */ (this.base), key: this.key, force }) : session({ force });
  }

  /** With a CI key, the workspace it belongs to (so --workspace may be left out); else undefined. */
  async keyWorkspace() {
    return this.key ? claimsOf((await this.credentials()).accessToken).workspace_id : undefined;
  }

  /**
   * @param {OperationName} name
   * @param {{params?: Record<string, string>, query?: Record<string, string | number>, body?: unknown}} [options]
   */
  async call(name, { params = {}, query, body } = {}) {
    const operation = OPERATIONS[name];
    for (const force of [false, true]) {
      const credentials = await this.credentials({ force });
      const url = this.url(credentials.api, operation.path, params, query);
      const answer = await fetchJson(url, {
        method: operation.method,
        headers: {
          Authorization: `Bearer ${credentials.accessToken}`,
          Accept: 'application/json, application/problem+json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }, 'the platform API');
      if (answer.ok) {
        return answer.body;
      }
      if (answer.status !== 401 || force) {
        throw errorOf(answer.status, answer.body);
      }
    }
    throw new CliError(EXIT.AUTH, 'not logged in; run `mpp login`');
  }

  /**
   * Uploads a package as multipart/form-data (the fields, then the package), reporting bytes sent.
   * @param {'uploadVersion' | 'createPreview'} operation
   * @param {Record<string, string>} params tenantId, appId
   * @param {{fields: Record<string, string>, zip: Buffer, query?: Record<string, string>, onProgress?: (sent: number, total: number) => void}} upload
   */
  async upload(operation, params, { fields, zip, query, onProgress }) {
    const credentials = await this.credentials();
    const url = new URL(this.url(credentials.api, OPERATIONS[operation].path, params, query));
    const boundary = `mpp-${randomBytes(12).toString('hex')}`;
    const field = (/** @type {string} */ name, /** @type {string} */ value) => Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8');
    const head = Buffer.concat([...Object.entries(fields).map(([name, value]) => field(name, value)), Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="package"; filename="package.zip"\r\n`
      + 'Content-Type: application/zip\r\n\r\n', 'utf8')]);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
    const total = head.length + zip.length + tail.length;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    /** @type {{status: number, text: string}} */
    const answer = await new Promise((resolve, reject) => {
      const request = send(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${credentials.accessToken}`,
          Accept: 'application/json, application/problem+json',
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': total,
        },
        timeout: 300_000,
      }, (response) => {
        const chunks = /** @type {Buffer[]} */ ([]);
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error('timed out')));
      request.on('error', (e) => reject(new CliError(EXIT.SERVER,
        `cannot reach the platform API (${url.origin}): ${/** @type {any} */ (e).code ?? e.message}`)));
      writeInChunks(request, [head, zip, tail], total, onProgress);
    });
    let body = {};
    try {
      body = answer.text ? JSON.parse(answer.text) : {};
    } catch {
      body = { raw: answer.text };
    }
    if (answer.status >= 200 && answer.status < 300) {
      return body;
    }
    throw errorOf(answer.status, body);
  }

  /**
   * @param {string} base @param {string} template @param {Record<string, string>} params
   * @param {Record<string, string | number>} [query]
   */
  url(base, template, params, query) {
    if (this.base && this.base !== base) {
      // the token was issued for the login's platform; it is never sent to another one
      throw new CliError(EXIT.AUTH, `logged in to ${base}, not ${this.base}; run \`mpp login --api ${this.base}\``);
    }
    const root = base.replace(/\/+$/, '');
    const path = template.replace(/\{(\w+)\}/g, (_, key) => {
      if (params[key] === undefined) {
        throw new CliError(EXIT.USAGE, `missing ${key}`);
      }
      return encodeURIComponent(params[key]);
    });
    const search = query ? `?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}` : '';
    return root + path + search;
  }
}

/**
 * Writes the parts in 64 KiB chunks, waiting for the socket to drain, so progress follows what really left.
 * @param {import('node:http').ClientRequest} request @param {Buffer[]} parts @param {number} total
 * @param {((sent: number, total: number) => void) | undefined} onProgress
 */
function writeInChunks(request, parts, total, onProgress) {
  const body = Buffer.concat(parts);
  const chunk = 64 * 1024;
  let sent = 0;
  const next = () => {
    while (sent < body.length) {
      const piece = body.subarray(sent, sent + chunk);
      sent += piece.length;
      onProgress?.(sent, total);
      if (!request.write(piece)) {
        request.once('drain', next);
        return;
      }
    }
    request.end();
  };
  next();
}
