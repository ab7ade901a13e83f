import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync, crc32 } from 'node:zlib';
import { createHash } from 'node:crypto';
import { readFolder, packageOf } from '../src/package.js';
import { zip } from '../src/zip.js';

/** The entries of a zip as its central directory lists them, each inflated and its CRC checked. @param {Buffer} archive */
function unzip(archive) {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    assert.equal(archive.readUInt32LE(at), 0x02014b50);
    const method = archive.readUInt16LE(at + 10);
    const time = archive.readUInt16LE(at + 12);
    const date = archive.readUInt16LE(at + 14);
    const crc = archive.readUInt32LE(at + 16);
    const compressed = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const raw = archive.subarray(dataAt, dataAt + compressed);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    assert.equal(crc32(data) >>> 0, crc, `CRC of ${name}`);
    entries.push({ name, data: data.toString('utf8'), time, date, flags: archive.readUInt16LE(at + 8) });
    at += 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
  }
  return entries;
}

/** @param {string[]} order names in the order they are written @param {Date} mtime */
async function folder(order, mtime) {
  const dir = await mkdtemp(join(tmpdir(), 'mpp-zip-'));
  for (const name of order) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), name === 'app.json' ? '{"pages": ["pages/index/index"]}' : `// ${name}\n`.repeat(50));
    await utimes(join(dir, name), mtime, mtime);
  }
  return dir;
}

const NAMES = ['app.json', 'pages/index/index.js', 'pages/菜单/index.js', 'assets/a.txt', 'Z.js', 'a.js'];

test('the same files give the same bytes whatever the order they were written in and their times', async () => {
  const first = packageOf(await readFolder(await folder(NAMES, new Date('2020-01-01T00:00:00Z'))));
  const second = packageOf(await readFolder(await folder([...NAMES].reverse(), new Date('2026-12-05T12:34:56Z'))));
  assert.equal(createHash('sha256').update(first).digest('hex'), createHash('sha256').update(second).digest('hex'));
  assert.deepEqual(first, second);
});

test('entries are sorted by their UTF-8 bytes, dated 1980-01-01, UTF-8 named, and unpack to the files', async () => {
  const entries = unzip(packageOf(await readFolder(await folder(NAMES, new Date()))));
  assert.deepEqual(entries.map((e) => e.name), ['Z.js', 'a.js', 'app.json', 'assets/a.txt', 'pages/index/index.js', 'pages/菜单/index.js']);
  for (const entry of entries) {
    assert.equal(entry.time, 0);
    assert.equal(entry.date, (1 << 5) | 1);
    assert.equal(entry.flags & 0x0800, 0x0800);
  }
  assert.equal(entries.find((e) => e.name === 'app.json')?.data, '{"pages": ["pages/index/index"]}');
  assert.equal(entries.find((e) => e.name === 'a.js')?.data, '// a.js\n'.repeat(50));
});

test('content that does not shrink is stored, and still unpacks', () => {
  const entries = unzip(zip([{ name: 'x', data: Buffer.from('x') }]));
  assert.deepEqual(entries.map((e) => [e.name, e.data]), [['x', 'x']]);
});
