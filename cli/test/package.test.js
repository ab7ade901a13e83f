import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, symlink, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkVersionFields, DEFAULT_LIMITS, packageOf, readFolder, ValidationError } from '../src/package.js';

// shared with the server: tenant-model's CodePackageVectorsTest runs the same cases through CodePackageInspector
const VECTORS = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)),
  '../../tenant-model/src/test/resources/release/code-package-vectors.json'), 'utf8'));
const LIMITS = { ...DEFAULT_LIMITS, ...VECTORS.limits };

/** @param {Record<string, string>} files @returns {Promise<string>} */
async function folderWith(files) {
  const folder = await mkdtemp(join(tmpdir(), 'mpp-package-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(folder, name)), { recursive: true });
    await writeFile(join(folder, name), content);
  }
  return folder;
}

/** @param {string} folder @param {typeof DEFAULT_LIMITS} limits */
async function refusal(folder, limits) {
  try {
    packageOf(await readFolder(folder, limits), limits);
    return null;
  } catch (e) {
    assert.ok(e instanceof ValidationError, String(e));
    assert.equal(e.errors.length, 1);
    assert.equal(e.errors[0].field, 'package');
    assert.ok(e.errors[0].message.length > 0);
    return e.errors[0].code;
  }
}

for (const vector of VECTORS.cases) {
  test(`shared case: ${vector.name} → ${vector.refusal ?? 'passes'}`, async () => {
    const folder = await folderWith(vector.files);
    try {
      assert.equal(await refusal(folder, LIMITS), vector.refusal);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
}

test('a symbolic link is refused: a package holds files only', async () => {
  const folder = await folderWith({ 'app.json': '{"pages": ["a"]}' });
  await symlink('/etc/passwd', join(folder, 'passwd'));
  assert.equal(await refusal(folder, DEFAULT_LIMITS), 'entry-name');
});

test('the server\'s default manifest limits: 32 levels and 16384-character strings pass, one more does not', async () => {
  const nested = (/** @type {number} */ depth) => `{"pages": ["a"], "x": ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
  const text = (/** @type {number} */ length) => `{"pages": ["a"], "t": "${'s'.repeat(length)}"}`;
  for (const [manifest, expected] of [[nested(32), null], [nested(33), 'manifest-limits'],
    [text(16384), null], [text(16385), 'manifest-limits']]) {
    const folder = await folderWith({ 'app.json': /** @type {string} */ (manifest) });
    assert.equal(await refusal(folder, DEFAULT_LIMITS), expected);
  }
});

test('a zipped package above 20 MiB is refused before it is sent', async () => {
  const { randomBytes } = await import('node:crypto');
  const files = [{ name: 'app.json', data: Buffer.from('{"pages": ["a"]}') },
    { name: 'noise.bin', data: randomBytes(DEFAULT_LIMITS.maxPackageBytes) }];
  assert.throws(() => packageOf(files, DEFAULT_LIMITS), (e) => e instanceof ValidationError && e.errors[0].code === 'too-large');
});

test('version and description are checked as the server checks them, each error naming its field', () => {
  assert.deepEqual(checkVersionFields('1.2.0', 'First menu'), []);
  assert.deepEqual(checkVersionFields('999999.0.10', 'line one\nline two'), []);
  const fields = (/** @type {string | undefined} */ v, /** @type {string | undefined} */ d) =>
    checkVersionFields(v, d).map((e) => `${e.field}:${e.code}`);
  assert.deepEqual(fields(undefined, undefined), ['version:required', 'description:required']);
  assert.deepEqual(fields('1.02.0', 'ok'), ['version:format']);
  assert.deepEqual(fields('1.2', 'ok'), ['version:format']);
  assert.deepEqual(fields('1000000.0.0', 'ok'), ['version:format']);
  assert.deepEqual(fields('1.0.0-beta', 'ok'), ['version:format']);
  assert.deepEqual(fields('1.0.0', 'x'.repeat(2001)), ['description:length']);
  assert.deepEqual(fields('1.0.0', 'menu\u202Eevil'), ['description:characters']);
  assert.deepEqual(fields('1.0.0', 'tab\there'), ['description:characters']);
  assert.deepEqual(fields('1.0.0', '\u200B\u200D'), ['description:characters']);
  assert.deepEqual(fields('1.0.0', '\u00A0\u0301'), ['description:characters']);
});
