// The code package of an upload: a folder read into a deterministic zip and checked with the rules the server
// applies (tenant-model's CodePackageInspector, EntryName, SemanticVersion and VersionService.validate), so a
// package the CLI refuses never leaves the machine, and the refusal names the same field and code the server's
// problem would. The limits are the server's defaults (platform.release.*); a deployment that lowers them still
// refuses on upload, with its own problem.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkManifest, ManifestError } from './manifest.js';
import { zip } from './zip.js';

export const DEFAULT_LIMITS = Object.freeze({
  maxPackageBytes: 20_971_520,
  maxUncompressedBytes: 104_857_600,
  maxEntries: 5000,
  maxEntryNameLength: 512,
  maxManifestBytes: 1_048_576,
  maxManifestDepth: 32,
  maxManifestStringLength: 16384,
  maxManifestNumberLength: 64,
});

/** @typedef {{field: string, code: string, message: string}} FieldError */

/** A local refusal: the same shape as the errors[] of the server's 400 problem. */
export class ValidationError extends Error {
  /** @param {FieldError[]} errors */
  constructor(errors) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.errors = errors;
  }
}

/** @param {string} code @param {string} message */
function refused(code, message) {
  return new ValidationError([{ field: 'package', code, message }]);
}

/**
 * Reads every regular file under `folder` (names relative, '/'-separated), refusing what the server would.
 * @param {string} folder
 * @param {typeof DEFAULT_LIMITS} limits
 * @returns {Promise<{name: string, data: Buffer}[]>}
 */
export async function readFolder(folder, limits = DEFAULT_LIMITS) {
  const files = [];
  let total = 0;
  /** @param {string} dir @param {string} prefix */
  async function walk(dir, prefix) {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const path = join(dir, name);
      const relative = prefix + name;
      const stat = await lstat(path);
      if (stat.isSymbolicLink()) {
        throw refused('entry-name', `'${printable(relative)}' is a symbolic link; a package holds files only`);
      }
      if (stat.isDirectory()) {
        await walk(path, relative + '/');
        continue;
      }
      if (!stat.isFile()) {
        continue;
      }
      checkEntryName(relative, limits.maxEntryNameLength);
      if (files.length >= limits.maxEntries) {
        throw refused('too-many-entries', `the package has more than ${limits.maxEntries} entries`);
      }
      total += stat.size;
      if (total > limits.maxUncompressedBytes) {
        throw refused('zip-bomb', `the package inflates to more than ${limits.maxUncompressedBytes} bytes`);
      }
      files.push({ name: relative, data: await readFile(path) });
    }
  }
  await walk(folder, '');
  return files;
}

/**
 * Checks the files as the server checks the zip made of them, and returns that zip.
 * @param {{name: string, data: Buffer}[]} files
 * @param {typeof DEFAULT_LIMITS} limits
 */
export function packageOf(files, limits = DEFAULT_LIMITS) {
  if (files.length === 0) {
    throw refused('not-zip', 'not a zip archive, or one without entries');
  }
  const seen = new Set();
  let total = 0;
  for (const file of files) {
    checkEntryName(file.name, limits.maxEntryNameLength);
    if (seen.has(file.name)) {
      throw file.name === 'app.json'
        ? refused('manifest-duplicate', 'the package has more than one app.json')
        : refused('duplicate-entry', `the package holds '${printable(file.name)}' twice`);
    }
    seen.add(file.name);
    if (seen.size > limits.maxEntries) {
      throw refused('too-many-entries', `the package has more than ${limits.maxEntries} entries`);
    }
    total += file.data.length;
    if (total > limits.maxUncompressedBytes) {
      throw refused('zip-bomb', `the package inflates to more than ${limits.maxUncompressedBytes} bytes`);
    }
    if (file.name === 'app.json') {
      try {
        checkManifest(file.data, limits);
      } catch (e) {
        if (e instanceof ManifestError) {
          throw refused(e.code, e.message);
        }
        throw e;
      }
    }
  }
  if (!seen.has('app.json')) {
    throw refused('manifest-missing', 'the zip has no app.json at its root');
  }
  const archive = zip(files);
  if (archive.length > limits.maxPackageBytes) {
    throw new ValidationError([{ field: 'package', code: 'too-large',
      message: `the zipped package is ${archive.length} bytes; at most ${limits.maxPackageBytes} are accepted` }]);
  }
  return archive;
}

/**
 * The entry name rules of the server's EntryName: relative, '/' only, no '.' or '..' or empty segment, no drive
 * letter or colon, no control character, at most maxLength UTF-16 units (Java's String.length()).
 * @param {string} value @param {number} maxLength
 */
export function checkEntryName(value, maxLength) {
  if (!value) {
    throw refused('entry-name', 'an entry has an empty name');
  }
  if (value.length > maxLength) {
    throw refused('entry-name', `an entry name is longer than ${maxLength} characters`);
  }
  const shown = printable(value);
  if ([...value].some((c) => isControl(c.codePointAt(0) ?? 0))) {
    throw refused('entry-name', `entry name '${shown}' contains a control character`);
  }
  if (value.includes('\\')) {
    throw refused('entry-name', `entry name '${shown}' contains a backslash; use '/' between directories`);
  }
  if (value.startsWith('/')) {
    throw refused('entry-name', `entry name '${shown}' is an absolute path`);
  }
  if (value.length >= 2 && /\p{L}/u.test(value[0]) && value[1] === ':') {
    throw refused('entry-name', `entry name '${shown}' starts with a drive letter`);
  }
  if (value.includes(':')) {
    throw refused('entry-name', `entry name '${shown}' contains a colon`);
  }
  const path = value.endsWith('/') ? value.slice(0, -1) : value;
  for (const segment of path.split('/')) {
    if (segment === '..') {
      throw refused('entry-name', `entry name '${shown}' climbs out of the package with '..'`);
    }
    if (segment === '' || segment === '.') {
      throw refused('entry-name', `entry name '${shown}' has an empty or '.' segment`);
    }
  }
}

/** @param {number} c */
function isControl(c) {
  return c < 0x20 || c === 0x7f;
}

/** @param {string} value */
function printable(value) {
  return [...value].slice(0, 200)
    .map((c) => (isControl(c.codePointAt(0) ?? 0) ? `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}` : c))
    .join('');
}

const VERSION = /^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$/;

/**
 * The server's checks of the two form fields (SemanticVersion.parse, VersionService.validate with SafeText).
 * @param {string | undefined} version @param {string | undefined} description
 * @returns {FieldError[]}
 */
export function checkVersionFields(version, description) {
  /** @type {FieldError[]} */
  const errors = [];
  const v = (version ?? '').trim();
  if (!v) {
    errors.push({ field: 'version', code: 'required', message: 'is required' });
  } else if (!VERSION.test(v)) {
    errors.push({ field: 'version', code: 'format',
      message: 'must be major.minor.patch, each 0 to 999999 without leading zeros, e.g. 1.2.0' });
  }
  if (description === undefined || description.trim() === '') {
    errors.push({ field: 'description', code: 'required', message: 'describe what changed in this version' });
  } else if (description.length > 2000) {
    errors.push({ field: 'description', code: 'length', message: 'at most 2000 characters' });
  } else {
    const problem = unsafeText(description.trim());
    if (problem) {
      errors.push({ field: 'description', code: 'characters', message: problem });
    }
  }
  return errors;
}

/**
 * SafeText's refusals for a text that allows line feeds (a description).
 * @param {string} value
 * @returns {string | null}
 */
export function unsafeText(value) {
  let visible = false;
  let index = 0;
  for (const c of value) {
    const cp = c.codePointAt(0) ?? 0;
    const at = ` (U+${cp.toString(16).toUpperCase().padStart(4, '0')} at position ${index})`;
    index += c.length;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      return 'must not contain an unpaired surrogate' + at;
    }
    if ((/\p{Cc}/u.test(c) || cp === 0x2028 || cp === 0x2029) && c !== '\n') {
      return 'must not contain control characters' + at;
    }
    if (cp === 0x061c || cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
      return 'must not contain bidirectional control characters' + at;
    }
    if (/\p{Cf}/u.test(c) && cp !== 0x200c && cp !== 0x200d && !(cp >= 0xe0020 && cp <= 0xe007f)) {
      return 'must not contain invisible format characters' + at;
    }
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe || cp === 0xfffd
        || cp === 0x115f || cp === 0x1160 || cp === 0x3164 || cp === 0xffa0) {
      return 'must not contain noncharacters, replacement characters or blank fillers' + at;
    }
    visible ||= /[\p{L}\p{N}\p{P}\p{S}]/u.test(c);
  }
  return visible ? null : 'must contain at least one visible character';
}
