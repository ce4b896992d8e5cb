/**
 * Copy mode (`TAILOR_ASSETS=<folder>`): copies an asset's files from
 * `<folder>/<kind>/…` (the layout of the project's shared/ folder), verifying
 * each against `<folder>/<kind>/SHA256SUMS` when it lists the file and against
 * the source's size and hash otherwise. Files already complete are skipped.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { AssetError, fileSize, hashFile, isComplete, writeVerified, type Expected } from './atomic-file.ts';
import { forEachLimited } from './concurrency.ts';
import type { InstallContext } from './install-context.ts';
import type { Asset } from './manifest.ts';
import { readSha256Sums } from './sha256sums.ts';
import { listModelShards } from './tfjs-model.ts';

/** Copies `asset` from the assets folder `fromRoot` into `context.outRoot`. */
export async function installFromFolder(asset: Asset, fromRoot: string, context: InstallContext): Promise<void> {
  const sourceBase = join(fromRoot, asset.kind);
  const destBase = join(context.outRoot, asset.kind);
  const sums = await readSha256Sums(join(sourceBase, 'SHA256SUMS'));
  const files = await listSourceFiles(asset, sourceBase, fromRoot);
  if (asset.download.type === 'tfjs-model') await checkModelComplete(asset, sourceBase, files);
  await forEachLimited(files, 8, async (rel) => {
    const source = join(sourceBase, rel);
    const dest = join(destBase, rel);
    const expected: Expected = { bytes: await fileSize(source), sha256: sums.get(rel) };
    if (!context.force && (await isCopied(dest, source, expected))) {
      context.progress.addFile(true, expected.bytes);
      return;
    }
    await writeVerified(dest, createReadStream(source), expected, `${asset.kind}/${rel}`, source, (n) => context.progress.addBytes(n));
    context.progress.addFile(false);
  });
}

/** The asset's files relative to `<root>/<kind>/`, `/`-separated; throws naming a missing path. */
async function listSourceFiles(asset: Asset, sourceBase: string, fromRoot: string): Promise<string[]> {
  const files: string[] = [];
  for (const path of asset.paths) {
    const full = join(sourceBase, path);
    if (path.endsWith('/')) {
      let entries;
      try {
        entries = await readdir(full, { recursive: true, withFileTypes: true });
      } catch {
        throw missing(asset, full, fromRoot);
      }
      for (const entry of entries) {
        // Hidden files (.DS_Store, editor swap files) are not part of an asset.
        if (entry.isFile() && !entry.name.startsWith('.')) {
          files.push(relative(sourceBase, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join('/'));
        }
      }
    } else {
      if ((await fileSize(full)) === undefined) throw missing(asset, full, fromRoot);
      files.push(path);
    }
  }
  return files.sort();
}

/** A model folder must hold every shard its model.json lists, or loading it fails later in a less clear way. */
async function checkModelComplete(asset: Asset, sourceBase: string, files: string[]): Promise<void> {
  const modelJson = join(sourceBase, asset.id, 'model.json');
  const present = new Set(files);
  const shards = listModelShards(await readFile(modelJson, 'utf8'), modelJson);
  const absent = shards.filter((shard) => !present.has(`${asset.id}/${shard.path}`)).map((shard) => shard.path);
  if (absent.length > 0) {
    throw new AssetError(`${asset.kind}/${asset.id}: ${modelJson} lists ${absent.length} shard(s) missing beside it: ${absent.slice(0, 5).join(', ')}${absent.length > 5 ? ', …' : ''}`);
  }
}

/** Complete when it matches the known hash, or (none known) has the source's size and hash. */
async function isCopied(dest: string, source: string, expected: Expected): Promise<boolean> {
  if (expected.sha256 !== undefined) return isComplete(dest, expected);
  if ((await fileSize(dest)) !== expected.bytes) return false;
  return (await hashFile(dest)) === (await hashFile(source));
}

function missing(asset: Asset, path: string, fromRoot: string): AssetError {
  return new AssetError(
    `${asset.kind}/${asset.id}: ${path} not found.\n` +
      `TAILOR_ASSETS=${fromRoot} must hold models/ and data/ laid out like the project's shared/ folder (see ASSETS.md).`,
  );
}
