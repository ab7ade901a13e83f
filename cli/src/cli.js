// mpp: the commands, their options, and what each prints. Human output by default, --json for scripts (one JSON
// document on stdout; an error as one JSON object on stderr), and the exit codes of problem.js.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { Api } from './api.js';
import { claimsOf, login, logout, session } from './auth.js';
import { loadCredentials } from './store.js';
import { checkVersionFields, DEFAULT_LIMITS, packageOf, readFolder, ValidationError } from './package.js';
import { CliError, errorJson, EXIT, formatError } from './problem.js';

const DEFAULT_API = 'http://127.0.0.1:8080';
const ENVIRONMENTS = ['DEV', 'TEST', 'PROD'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const GLOBAL = {
  json: { type: 'boolean', default: false },
  api: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
};
const WORKSPACE = { workspace: { type: 'string', short: 'w' } };
const APP = { ...WORKSPACE, app: { type: 'string', short: 'a' } };
/** The five server domain lists: the API's name and the CLI option. */
const DOMAIN_LISTS = /** @type {const} */ ([['request', 'request'], ['upload', 'upload'], ['download', 'download'],
  ['socket', 'socket'], ['webView', 'web-view']]);
const TARGET = { wallet: { type: 'string' }, env: { type: 'string', default: 'PROD' } };

/**
 * @typedef {{values: Record<string, any>, positionals: string[], out: Output, api: Api}} Context
 * @typedef {{json: boolean, print: (line: string) => void, info: (line: string) => void, result: (value: unknown, human: () => void) => void}} Output
 */

/** @type {Record<string, {summary: string, usage: string, options: Record<string, any>, run: (c: Context) => Promise<void>}>} */
const COMMANDS = {
  login: {
    summary: 'log in through Keycloak in a browser (device authorization grant)',
    usage: 'mpp login [--api URL]',
    options: {},
    run: async ({ values, out }) => {
      const credentials = await login({ api: apiOf(values, undefined), print: out.info });
      const claims = claimsOf(credentials.accessToken);
      out.result({ username: claims.preferred_username, email: claims.email, api: credentials.api },
        () => out.print(`Logged in as ${claims.preferred_username}${claims.email ? ` (${claims.email})` : ''} on ${credentials.api}`));
    },
  },
  logout: {
    summary: 'revoke the login at Keycloak and delete the local tokens',
    usage: 'mpp logout',
    options: {},
    run: async ({ out }) => {
      const was = await logout();
      out.result({ loggedOut: was }, () => out.print(was ? 'Logged out.' : 'Not logged in.'));
    },
  },
  whoami: {
    summary: 'who the stored login is, checked against the API',
    usage: 'mpp whoami',
    options: {},
    run: async ({ api, out }) => {
      if (api.key) {
        const key = await api.call('currentCiKey');
        out.result({ ciKey: key.clientId, name: key.name, workspace: key.workspaceId, apps: key.appIds, allowSubmit: key.allowSubmit,
          api: api.base },
        () => out.print(`CI key ${key.name} (${key.clientId}) of workspace ${key.workspaceId} on ${api.base}: may upload and `
            + `preview ${key.appIds.join(', ')}${key.allowSubmit ? ', and submit them for review' : ''}`));
        return;
      }
      const workspaces = await api.call('workspaces');
      const credentials = await session();
      const claims = claimsOf(credentials.accessToken);
      out.result({ username: claims.preferred_username, email: claims.email, subject: claims.sub, api: credentials.api,
        workspaces: workspaces.length },
      () => out.print(`${claims.preferred_username}${claims.email ? ` (${claims.email})` : ''} on ${credentials.api}, `
          + `member of ${workspaces.length} workspace${workspaces.length === 1 ? '' : 's'}`));
    },
  },
  workspaces: {
    summary: 'the workspaces you are a member of, with your role',
    usage: 'mpp workspaces',
    options: {},
    run: async ({ api, out }) => {
      const workspaces = await api.call('workspaces');
      out.result(workspaces, () => table(out, ['ID', 'KIND', 'ROLE', 'NAME'],
        workspaces.map((/** @type {any} */ w) => [w.id, w.kind, w.role, w.name])));
    },
  },
  wallets: {
    summary: 'the wallets you can submit and release to',
    usage: 'mpp wallets',
    options: {},
    run: async ({ api, out }) => {
      const wallets = await api.call('wallets');
      out.result(wallets, () => table(out, ['ID', 'NAME'], wallets.map((/** @type {any} */ w) => [w.id, w.name])));
    },
  },
  apps: {
    summary: 'the mini programs of a workspace (that you may work on)',
    usage: 'mpp apps --workspace ID',
    options: { ...WORKSPACE },
    run: async ({ values, api, out }) => {
      const tenantId = await workspaceOf(values, api);
      const items = [];
      for (let page = 0; ; page++) {
        const answer = await api.call('miniPrograms', { params: { tenantId }, query: { page, size: 100 } });
        items.push(...answer.items);
        if (answer.items.length === 0 || items.length >= answer.total) {
          break;
        }
      }
      out.result(items, () => table(out, ['APP ID', 'NAME', 'UPDATED'], items.map((/** @type {any} */ m) =>
        [m.appId, m.localizations?.[m.defaultLanguage]?.name ?? '', m.updatedAt ?? ''])));
    },
  },
  upload: {
    summary: 'zip a folder, check it as the server would, and upload it as a version',
    usage: 'mpp upload <folder> --workspace ID --app APP_ID --version 1.0.0 --description TEXT [--check]',
    options: { ...APP, version: { type: 'string' }, description: { type: 'string', short: 'd' }, check: { type: 'boolean', default: false } },
    run: async ({ values, positionals, api, out }) => {
      const archive = await checkedPackage(positionals[0], 'upload', checkVersionFields(values.version, values.description));
      const { createHash } = await import('node:crypto');
      const sha256 = createHash('sha256').update(archive).digest('hex');
      if (values.check) {
        out.result({ checked: true, size: archive.length, sha256 },
          () => out.print(`OK: ${archive.length} bytes zipped, sha256 ${sha256}; nothing uploaded (--check)`));
        return;
      }
      const tenantId = await workspaceOf(values, api);
      const appId = required(values, 'app');
      const version = await api.upload('uploadVersion', { tenantId, appId }, {
        fields: { version: values.version.trim(), description: values.description.trim() }, zip: archive,
        onProgress: progress(out),
      });
      out.result(version, () => out.print(`Uploaded ${appId} ${version.version}: ${version.size} bytes, sha256 ${version.sha256}`));
    },
  },
  preview: {
    summary: 'zip a folder, check it, upload it as a preview for one wallet and draw its QR code (testers scan it)',
    usage: 'mpp preview <folder> --workspace ID --app APP_ID --wallet ID|NAME',
    options: { ...APP, wallet: { type: 'string' } },
    run: async ({ values, positionals, api, out }) => {
      const archive = await checkedPackage(positionals[0], 'preview');
      const params = { tenantId: await workspaceOf(values, api), appId: required(values, 'app') };
      const wallet = walletId(required(values, 'wallet'), await api.call('wallets'));
      const preview = await api.upload('createPreview', params, {
        fields: {}, zip: archive, query: { wallet }, onProgress: progress(out),
      });
      out.result(preview, () => {
        out.print(qrText(preview.qrSvg));
        out.print(preview.deepLink);
        out.print(`Scan with the wallet's app as a bound tester. The code works until ${preview.ticketExpiresAt}; `
          + `the preview is deleted at ${preview.expiresAt}.`);
      });
    },
  },
  submit: {
    summary: 'submit a version for review to a wallet and environment',
    usage: 'mpp submit --workspace ID --app APP_ID --version 1.0.0 --wallet ID|NAME [--env PROD|TEST|DEV]',
    options: { ...APP, version: { type: 'string' }, ...TARGET },
    run: async ({ values, api, out }) => {
      const target = await targetOf(values, api);
      const release = await api.call('submit', { params: await versionParams(values, api), body: { target } });
      out.result(release, () => out.print(`${release.version} → ${target.environment} of wallet ${target.wallet}: ${release.state}`
        + (release.reviewId ? ` (review ${release.reviewId})` : '')));
    },
  },
  release: {
    summary: 'release an approved version: --gray PERCENT for a gray release, none for a full release',
    usage: 'mpp release --workspace ID --app APP_ID --version 1.0.0 --wallet ID|NAME [--env PROD] [--gray 1-99]',
    options: { ...APP, version: { type: 'string' }, ...TARGET, gray: { type: 'string' } },
    run: async ({ values, api, out }) => {
      const grayPercent = values.gray === undefined ? 100 : Number(values.gray);
      if (!Number.isInteger(grayPercent) || grayPercent < 1 || grayPercent > 100) {
        throw new CliError(EXIT.USAGE, '--gray takes a whole percentage from 1 to 100');
      }
      const target = await targetOf(values, api);
      const release = await api.call('release', { params: await versionParams(values, api), body: { target, grayPercent } });
      out.result(release, () => out.print(`${release.version} on ${target.environment} of wallet ${target.wallet}: ${release.state}`
        + (release.state === 'GRAYSCALE' ? ` ${release.grayPercent} %` : '')));
    },
  },
  status: {
    summary: 'release states of a mini program per wallet and environment',
    usage: 'mpp status --workspace ID --app APP_ID [--wallet ID|NAME] [--env ENV]',
    options: { ...APP, wallet: { type: 'string' }, env: { type: 'string' } },
    run: async ({ values, api, out }) => {
      const tenantId = await workspaceOf(values, api);
      const appId = required(values, 'app');
      const [releases, wallets] = await Promise.all([api.call('releases', { params: { tenantId, appId } }), api.call('wallets')]);
      const names = new Map(wallets.map((/** @type {any} */ w) => [w.id, w.name]));
      const wallet = values.wallet ? walletId(values.wallet, wallets) : undefined;
      const shown = releases.filter((/** @type {any} */ r) => (!wallet || r.target.wallet === wallet)
        && (!values.env || r.target.environment === values.env.toUpperCase()));
      out.result(shown, () => table(out, ['WALLET', 'ENV', 'VERSION', 'STATE', 'GRAY', 'NEXT'],
        shown.map((/** @type {any} */ r) => [names.get(r.target.wallet) ?? r.target.wallet, r.target.environment, r.version, r.state,
          r.state === 'GRAYSCALE' ? `${r.grayPercent} %` : '', (r.allowedActions ?? []).join(',')])));
    },
  },
  config: {
    summary: 'server domains of a mini program: `config domains get`, `config domains set --request URL,URL …` '
      + '(each list named replaces that list, the others stay; an empty value empties it)',
    usage: 'mpp config domains get|set --workspace ID --app APP_ID [--request URLS] [--upload URLS] [--download URLS] '
      + '[--socket URLS] [--web-view URLS]',
    options: { ...APP, ...Object.fromEntries(DOMAIN_LISTS.map(([, option]) => [option, { type: 'string' }])) },
    run: async ({ values, positionals, api, out }) => {
      const [what, action] = positionals;
      if (what !== 'domains' || (action !== 'get' && action !== 'set') || positionals.length > 2) {
        throw new CliError(EXIT.USAGE, 'expected `config domains get` or `config domains set`');
      }
      const params = { tenantId: await workspaceOf(values, api), appId: required(values, 'app') };
      let domains = await api.call('domains', { params });
      if (action === 'set') {
        const named = DOMAIN_LISTS.filter(([, option]) => values[option] !== undefined);
        if (named.length === 0) {
          throw new CliError(EXIT.USAGE, 'name at least one list to set, e.g. --request https://api.example.com');
        }
        /** @type {Record<string, unknown>} */
        const body = { revision: domains.revision };
        for (const [list, option] of DOMAIN_LISTS) {
          body[list] = values[option] === undefined ? domains[list] : splitList(values[option]);
        }
        domains = await api.call('putDomains', { params, body });
      }
      out.result(domains, () => {
        for (const [list] of DOMAIN_LISTS) {
          out.print(`${list.padEnd(9)} ${domains[list].length === 0 ? '(none)' : domains[list].join(' ')}`);
        }
        out.print(`revision  ${domains.revision}`);
      });
    },
  },
};

/**
 * Runs the CLI; returns the exit code instead of exiting, so tests can call it.
 * @param {string[]} argv arguments after `mpp`
 * @param {{stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream & {isTTY?: boolean}}} streams
 */
export async function main(argv, streams = { stdout: process.stdout, stderr: process.stderr }) {
  const json = argv.includes('--json');
  const out = output(json, streams);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    streams.stdout.write(usage());
    return name ? EXIT.OK : EXIT.USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    streams.stderr.write(`error: unknown command '${name}'\n\n${usage()}`);
    return EXIT.USAGE;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL, ...command.options }, allowPositionals: true, strict: true });
  } catch (e) {
    streams.stderr.write(`error: ${/** @type {Error} */ (e).message}\nusage: ${command.usage}\n`);
    return EXIT.USAGE;
  }
  if (parsed.values.help) {
    streams.stdout.write(`${command.summary}\nusage: ${command.usage}\n`);
    return EXIT.OK;
  }
  try {
    // a CI key (--key, or better MPP_KEY: an option shows in process lists) replaces the stored login
    const key = parsed.values.key ?? (process.env.MPP_KEY || undefined);
    const credentials = key ? undefined : await loadCredentials();
    const api = key ? new Api(apiOf(parsed.values, undefined), key)
      : new Api(parsed.values.api || process.env.MPP_API ? apiOf(parsed.values, credentials?.api) : undefined);
    await command.run({ values: parsed.values, positionals: parsed.positionals, out, api });
    return EXIT.OK;
  } catch (e) {
    if (!(e instanceof CliError)) {
      streams.stderr.write(json ? `${JSON.stringify({ error: String(e), exitCode: EXIT.SERVER })}\n` : `error: ${/** @type {Error} */ (e).stack ?? e}\n`);
      return EXIT.SERVER;
    }
    if (e.exitCode === EXIT.USAGE && !json) {
      streams.stderr.write(`${formatError(e)}\nusage: ${command.usage}\n`);
    } else {
      streams.stderr.write(`${json ? errorJson(e) : formatError(e)}\n`);
    }
    return e.exitCode;
  }
}

function usage() {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return 'mpp: the Mini Program Platform from a terminal\n\nCommands:\n'
    + Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`).join('\n')
    + '\n\nOptions for every command: --json (machine-readable output), --api URL (default: the login\'s, else '
    + `$MPP_API, else ${DEFAULT_API}), --key CLIENT:SECRET (a workspace's CI key instead of the login; better: $MPP_KEY), --help\n`
    + 'Exit codes: 0 ok, 1 usage, 2 auth, 3 not found, 4 validation, 5 conflict, 6 server or network\n';
}

/** @param {boolean} json @param {{stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream}} streams @returns {Output} */
function output(json, streams) {
  return {
    json,
    print: (line) => streams.stdout.write(`${line}\n`),
    // instructions and progress go to stderr, so stdout stays the result (and valid JSON with --json)
    info: (line) => streams.stderr.write(`${line}\n`),
    result: (value, human) => (json ? streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`) : human()),
  };
}

/** @param {Output} out @param {string[]} header @param {string[][]} rows */
function table(out, header, rows) {
  if (rows.length === 0) {
    out.print('(none)');
    return;
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  for (const row of [header, ...rows]) {
    out.print(row.map((cell, i) => String(cell ?? '').padEnd(widths[i])).join('  ').trimEnd());
  }
}

/**
 * The folder zipped as the server would take it, after the server's package rules were checked on this machine;
 * nothing is sent when one fails (exit 4, every failing field named, with those of `errors` given).
 * @param {string | undefined} folder @param {string} command @param {{field: string, code: string, message: string}[]} [errors]
 * @returns {Promise<Buffer>}
 */
async function checkedPackage(folder, command, errors = []) {
  if (!folder) {
    throw new CliError(EXIT.USAGE, `name the folder to ${command}: mpp ${command} <folder> …`);
  }
  const directory = resolve(folder);
  if (!(await stat(directory).catch(() => undefined))?.isDirectory()) {
    throw new CliError(EXIT.USAGE, `${folder} is not a folder`);
  }
  /** @type {Buffer | undefined} */
  let archive;
  try {
    archive = packageOf(await readFolder(directory, DEFAULT_LIMITS), DEFAULT_LIMITS);
  } catch (e) {
    if (!(e instanceof ValidationError)) {
      throw e;
    }
    errors.push(...e.errors);
  }
  if (errors.length > 0 || !archive) {
    throw new CliError(EXIT.VALIDATION, 'the package was checked on this machine and not uploaded', { errors });
  }
  return archive;
}

/**
 * The platform's QR code (its SVG: one `M x y h1v1h-1z` per dark module) drawn with half blocks, two modules per
 * character row, light modules as light glyphs so it scans on a dark terminal, with a four-module quiet zone.
 * @param {string} svgDataUrl
 */
export function qrText(svgDataUrl) {
  const svg = Buffer.from(svgDataUrl.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString('utf8');
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  if (!Number.isInteger(size) || size <= 0 || size > 400) {
    throw new CliError(EXIT.SERVER, 'the platform sent a QR code this CLI cannot draw');
  }
  const quiet = 4;
  const side = size + 2 * quiet;
  const dark = Array.from({ length: side }, () => new Array(side).fill(false));
  for (const [, x, y] of svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    dark[Number(y) + quiet][Number(x) + quiet] = true;
  }
  const lines = [];
  for (let y = 0; y < side; y += 2) {
    let line = '';
    for (let x = 0; x < side; x++) {
      const top = !dark[y][x];
      const bottom = y + 1 < side ? !dark[y + 1][x] : true;
      line += top && bottom ? '\u2588' : top ? '\u2580' : bottom ? '\u2584' : ' ';
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/** Progress on stderr: a live percentage on a terminal, a line per quarter in a CI log. @param {Output} out */
function progress(out) {
  let shown = -1;
  const tty = Boolean(process.stderr.isTTY);
  return (/** @type {number} */ sent, /** @type {number} */ total) => {
    const percent = Math.floor((sent / total) * 100);
    if (tty) {
      process.stderr.write(`\rUploading… ${percent} % (${sent} of ${total} bytes)${sent === total ? '\n' : ''}`);
    } else if (Math.floor(percent / 25) > shown) {
      shown = Math.floor(percent / 25);
      out.info(`Uploading… ${percent} % (${sent} of ${total} bytes)`);
    }
  };
}

/** `a,b, c` → ['a', 'b', 'c']; an empty value → [] (the list emptied). @param {string} value */
function splitList(value) {
  return value.split(/[\s,]+/).filter((entry) => entry !== '');
}

/** @param {Record<string, any>} values @param {string} name */
function required(values, name) {
  const value = values[name];
  if (value === undefined || value === '') {
    throw new CliError(EXIT.USAGE, `--${name} is required`);
  }
  return value;
}

/** @param {Record<string, any>} values @param {string | undefined} stored */
function apiOf(values, stored) {
  const api = values.api ?? process.env.MPP_API ?? stored ?? DEFAULT_API;
  try {
    const url = new URL(api);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error();
    }
  } catch {
    throw new CliError(EXIT.USAGE, `--api must be an http(s) URL, not '${api}'`);
  }
  return api.replace(/\/+$/, '');
}

/** @param {Record<string, any>} values @param {Api} api */
async function versionParams(values, api) {
  return { tenantId: await workspaceOf(values, api), appId: required(values, 'app'), version: required(values, 'version') };
}

/** --workspace, or with a CI key the key's own workspace. @param {Record<string, any>} values @param {Api} api */
async function workspaceOf(values, api) {
  if (values.workspace === undefined || values.workspace === '') {
    const own = await api.keyWorkspace();
    if (own) {
      return own;
    }
  }
  return required(values, 'workspace');
}

/** The target of submit and release; a wallet may be named by its id or its name. @param {Record<string, any>} values @param {Api} api */
async function targetOf(values, api) {
  const environment = String(values.env).toUpperCase();
  if (!ENVIRONMENTS.includes(environment)) {
    throw new CliError(EXIT.USAGE, `--env is one of ${ENVIRONMENTS.join(', ')}`);
  }
  const wallet = required(values, 'wallet');
  return { wallet: UUID.test(wallet) ? wallet : walletId(wallet, await api.call('wallets')), environment };
}

/** @param {string} wallet id or name @param {{id: string, name: string}[]} wallets */
function walletId(wallet, wallets) {
  if (UUID.test(wallet)) {
    return wallet;
  }
  const found = wallets.filter((w) => w.name === wallet);
  if (found.length !== 1) {
    throw new CliError(found.length === 0 ? EXIT.NOT_FOUND : EXIT.USAGE,
      found.length === 0 ? `no wallet named '${wallet}' (see mpp wallets)` : `${found.length} wallets are named '${wallet}'; use its id`);
  }
  return found[0].id;
}
