/**
 * Download mode (no `TAILOR_ASSETS`): fetches an asset from its publisher's
 * URLs (or the mirror in `TAILOR_ASSETS_BASE_URL`, see resolveDownloadUrl),
 * checks every file against the hashes Tailor ships (models.SHA256SUMS, the
 * photo hashes in the manifest) or, where none is known, the size the model
 * manifest or the server declares. Files already complete are not fetched
 * again, so a second run works offline.
 */
import { copyFile, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { AssetError, fileSize, isComplete, scratchPath, trackScratchFile, writeVerified, type Expected } from './atomic-file.ts';
import { forEachLimited } from './concurrency.ts';
import { DATASET_INDEX_FILE } from './dataset-index.ts';
import { downloadToFile, fetchBytes } from './download.ts';
import { deriveDarknetTables, formatClassNames, formatPythonStyleList, parseMobilenetClasses } from './imagenet-labels.ts';
import type { InstallContext } from './install-context.ts';
import { resolveDownloadUrl, type Asset, type DownloadSpec, type RemoteFile } from './manifest.ts';
import { readSha256Sums, SHIPPED_MODEL_SUMS } from './sha256sums.ts';
import { listModelShards } from './tfjs-model.ts';
import { isSafeEntryName, listZipEntries, readZipEntry } from './zip-reader.ts';

/** Downloads `asset` into `context.outRoot`. */
export async function installFromWeb(asset: Asset, context: InstallContext): Promise<void> {
  const spec: DownloadSpec = asset.download;
  switch (spec.type) {
    case 'tfjs-model':
      return downloadModel(asset, spec.url, context);
    case 'imagenet-labels':
      return downloadLabels(asset, spec.mobilenetClassesUrl, spec.darknetLabelsUrl, context);
    case 'files':
      return downloadFiles(asset, spec.files, context);
    case 'zip':
      return downloadZipDataset(asset, spec.url, spec.root, context);
    case 'shipped':
      return installShipped(asset, spec.file, context);
  }
}

/** model.json first, then its shards (four at a time), each verified. */
async function downloadModel(asset: Asset, publisherUrl: string, context: InstallContext): Promise<void> {
  const sums = await readSha256Sums(SHIPPED_MODEL_SUMS);
  const dir = join(context.outRoot, asset.kind, asset.id);
  const modelUrl = resolveDownloadUrl(publisherUrl);
  await fetchFile(modelUrl, join(dir, 'model.json'), { sha256: sums.get(`${asset.id}/model.json`) }, `${asset.kind}/${asset.id}/model.json`, context);
  const shards = listModelShards(await readFile(join(dir, 'model.json'), 'utf8'), `${asset.id}/model.json`);
  await forEachLimited(shards, 4, async (shard) => {
    const expected: Expected = { bytes: shard.bytes, sha256: sums.get(`${asset.id}/${shard.path}`) };
    await fetchFile(new URL(shard.path, modelUrl).href, join(dir, shard.path), expected, `${asset.kind}/${asset.id}/${shard.path}`, context);
  });
}

/** Derives the three label tables from mobilenet's class list and Darknet's label list. */
async function downloadLabels(asset: Asset, classesUrl: string, darknetUrl: string, context: InstallContext): Promise<void> {
  const sums = await readSha256Sums(SHIPPED_MODEL_SUMS);
  const dir = join(context.outRoot, asset.kind);
  const targets = asset.paths.map((name) => ({ name, dest: join(dir, name), expected: { sha256: sums.get(name) } }));
  const pending: string[] = [];
  for (const target of targets) {
    if (!context.force && (await isComplete(target.dest, target.expected))) context.progress.addFile(true, await fileSize(target.dest));
    else pending.push(target.name);
  }
  if (pending.length === 0) return;
  const classesSource = resolveDownloadUrl(classesUrl);
  const darknetSource = resolveDownloadUrl(darknetUrl);
  const texts = new Map<string, { text: string; origin: string }>();
  if (pending.includes('imagenet-classes.json')) {
    const js = (await fetchBytes(classesSource)).toString('utf8');
    const names = parseOrFail(classesSource, () => parseMobilenetClasses(js));
    texts.set('imagenet-classes.json', { text: formatClassNames(names), origin: classesSource });
  }
  if (pending.some((name) => name !== 'imagenet-classes.json')) {
    const list = (await fetchBytes(darknetSource)).toString('utf8');
    const tables = parseOrFail(darknetSource, () => deriveDarknetTables(list));
    texts.set('imagenet-wnids.json', { text: formatPythonStyleList(tables.wnids), origin: darknetSource });
    texts.set('darknet_tiny-output-to-imagenet-index.json', { text: formatPythonStyleList(tables.darknetToImagenet), origin: darknetSource });
  }
  for (const target of targets.filter((t) => pending.includes(t.name))) {
    const { text, origin } = texts.get(target.name)!;
    const bytes = Buffer.from(text);
    await writeVerified(target.dest, Readable.from([bytes]), target.expected, `${asset.kind}/${target.name}`, `data derived from ${origin}`);
    context.progress.addBytes(bytes.length);
    context.progress.addFile(false);
  }
}

/** Individual files pinned by hash (the sample photos). */
async function downloadFiles(asset: Asset, files: RemoteFile[], context: InstallContext): Promise<void> {
  const dir = join(context.outRoot, asset.kind, asset.id);
  await forEachLimited(files, 4, (file) =>
    fetchFile(resolveDownloadUrl(file.url), join(dir, file.name), { sha256: file.sha256 }, `${asset.kind}/${asset.id}/${file.name}`, context),
  );
}

/**
 * A zipped dataset: skipped when its index.json lists files that are all
 * present with their sizes (index.json is written last, so it marks a finished
 * extraction); otherwise downloaded to a temp file, each entry under `root`
 * checked by CRC-32 and written atomically, and the archive deleted.
 */
async function downloadZipDataset(asset: Asset, publisherUrl: string, root: string, context: InstallContext): Promise<void> {
  const dir = join(context.outRoot, asset.kind, asset.id);
  if (!context.force && (await isDatasetComplete(dir, context))) return;
  const url = resolveDownloadUrl(publisherUrl);
  const archive = scratchPath(join(context.outRoot, asset.kind, `${asset.id}.zip`), 'archive');
  const untrack = trackScratchFile(archive);
  try {
    await downloadToFile(url, archive, {}, `${asset.kind}/${asset.id} (zip)`, (n) => context.progress.addBytes(n));
    const zip = await readFile(archive);
    let entries;
    try {
      entries = listZipEntries(zip).filter((entry) => entry.name.startsWith(root) && !entry.name.endsWith('/'));
    } catch (error) {
      throw new AssetError(`${url}: ${(error as Error).message}`);
    }
    // Archives made on macOS carry resource forks and Finder files that are not images.
    entries = entries.filter((entry) => !entry.name.includes('__MACOSX/') && !entry.name.split('/').pop()!.startsWith('.'));
    if (entries.length === 0) throw new AssetError(`${url}: the archive has no files under ${root}`);
    for (const entry of entries) {
      if (!isSafeEntryName(entry.name)) throw new AssetError(`${url}: refusing unsafe path ${JSON.stringify(entry.name)} in the archive`);
      let data: Buffer;
      try {
        data = readZipEntry(zip, entry);
      } catch (error) {
        throw new AssetError(`${url}: ${(error as Error).message}`);
      }
      const rel = entry.name.slice(root.length);
      if (!context.force && (await isComplete(join(dir, rel), { bytes: data.length }))) {
        context.progress.addFile(true);
        continue;
      }
      await writeVerified(join(dir, rel), Readable.from([data]), { bytes: data.length }, `${asset.kind}/${asset.id}/${rel}`, url);
      context.progress.addFile(false);
    }
  } finally {
    await rm(archive, { force: true });
    untrack();
  }
}

/** A file shipped with Tailor (no network). */
async function installShipped(asset: Asset, file: URL, context: InstallContext): Promise<void> {
  const source = fileURLToPath(file);
  const dest = join(context.outRoot, asset.kind, asset.paths[0]!);
  const bytes = (await fileSize(source))!;
  const same = (await fileSize(dest)) === bytes && (await readFile(dest)).equals(await readFile(source));
  if (!context.force && same) {
    context.progress.addFile(true, bytes);
    return;
  }
  await copyFile(source, dest);
  context.progress.addBytes(bytes);
  context.progress.addFile(false);
}

/** Downloads one file unless it is already complete; records it in the progress line. */
async function fetchFile(url: string, dest: string, expected: Expected, label: string, context: InstallContext): Promise<void> {
  if (!context.force && (await isComplete(dest, expected))) {
    context.progress.addFile(true, await fileSize(dest));
    return;
  }
  await downloadToFile(url, dest, expected, label, (n) => context.progress.addBytes(n));
  context.progress.addFile(false);
}

async function isDatasetComplete(dir: string, context: InstallContext): Promise<boolean> {
  let index: { files?: { path: string; bytes: number }[] };
  try {
    index = JSON.parse(await readFile(join(dir, DATASET_INDEX_FILE), 'utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(index.files) || index.files.length === 0) return false;
  for (const file of index.files) {
    if ((await fileSize(join(dir, file.path))) !== file.bytes) return false;
  }
  for (const file of index.files) context.progress.addFile(true, file.bytes);
  return true;
}

function parseOrFail<T>(origin: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new AssetError(`${origin}: unexpected content (${(error as Error).message})`);
  }
}
