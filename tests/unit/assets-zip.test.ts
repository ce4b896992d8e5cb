// The zip reader behind `tailor assets` downloads, on archives written by
// Python's zipfile (an independent implementation): stored and deflated
// entries, UTF-8 names, damage detection, and unsafe paths.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isSafeEntryName, listZipEntries, readZipEntry } from '../../bin/assets/zip-reader.ts';

const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
let scratch: string;
let zip: Buffer;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'tailor-zip-'));
  const path = join(scratch, 'sample.zip');
  execFileSync(python, ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('set/', b'')
    z.writestr(zipfile.ZipInfo('set/stored.txt'), b'plain bytes', compress_type=zipfile.ZIP_STORED)
    z.writestr('set/deflated.txt', b'abc' * 10000, compress_type=zipfile.ZIP_DEFLATED)
    z.writestr('set/\u00e9t\u00e9.txt', 'unicode name'.encode(), compress_type=zipfile.ZIP_DEFLATED)
`, path]);
  zip = await readFile(path);
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

test('lists entries and reads stored and deflated ones', () => {
  const entries = listZipEntries(zip);
  expect(entries.map((e) => e.name)).toEqual(['set/', 'set/stored.txt', 'set/deflated.txt', 'set/été.txt']);
  const byName = new Map(entries.map((e) => [e.name, e]));
  expect(readZipEntry(zip, byName.get('set/stored.txt')!).toString()).toBe('plain bytes');
  expect(readZipEntry(zip, byName.get('set/deflated.txt')!).toString()).toBe('abc'.repeat(10000));
  expect(byName.get('set/deflated.txt')!.compressedSize).toBeLessThan(1000);
  expect(readZipEntry(zip, byName.get('set/été.txt')!).toString()).toBe('unicode name');
});

test('a damaged entry fails its CRC-32 check', () => {
  const entry = listZipEntries(zip).find((e) => e.name === 'set/stored.txt')!;
  const damaged = Buffer.from(zip);
  // The stored bytes follow the 30-byte local header and the name.
  damaged[entry.localHeaderOffset + 30 + 'set/stored.txt'.length]! ^= 0x20;
  expect(() => readZipEntry(damaged, entry)).toThrow('zip entry set/stored.txt: CRC-32 mismatch (damaged archive)');
});

test('something that is not a zip says so', () => {
  expect(() => listZipEntries(Buffer.from('<html>404</html>'))).toThrow('not a zip archive');
});

test.each([
  ['hymenoptera_data/train/ants/a.jpg', true],
  ['../evil.sh', false],
  ['data/../../evil.sh', false],
  ['/etc/passwd', false],
  ['C:/Windows/evil.dll', false],
  ['data\\evil.dll', false],
])('isSafeEntryName(%j) is %s', (name, safe) => {
  expect(isSafeEntryName(name)).toBe(safe);
});
