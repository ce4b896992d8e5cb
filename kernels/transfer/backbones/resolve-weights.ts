import * as tf from '@tensorflow/tfjs';
import { FETCH_ASSETS_HINT, modelLocation, nodeCacheDir } from '../assets/locate.ts';
import { envVar, isNode, nodeModules } from '../env.ts';
import type { CatalogEntry } from './catalog.ts';
import { folderFiles, readHandlerArtifacts, readModelArtifacts, urlFiles, type LoadedArtifacts } from './model-files.ts';

/** Where a backbone's weights came from, for `info.source`. */
export interface WeightsOrigin {
  kind: 'public' | 'cache' | 'download' | 'url' | 'folder' | 'files' | 'handler';
  location: string;
}

/**
 * Finds a catalogued model's weights: `public/models/<id>/` first (what
 * `npm run assets` fills), then the download cache (a folder in Node,
 * IndexedDB in the page), then the publisher's URL — whose download is cached
 * for next time. Only a *missing* model.json falls through to the next place;
 * a broken copy (missing or short shard) is reported, not papered over.
 */
export async function resolveCatalogWeights(
  entry: CatalogEntry,
): Promise<{ loaded: LoadedArtifacts; origin: WeightsOrigin }> {
  const local = await modelLocation(entry.id);
  const hint = `To fix: ${FETCH_ASSETS_HINT}.`;
  const publicFiles = isNode() ? folderFiles(local) : urlFiles(`${local}/model.json`);
  let publicError: Error | undefined;
  const publicJson = await publicFiles.read('model.json').catch((error: Error) => {
    publicError = error;
    return undefined;
  });
  if (publicJson) {
    return { loaded: await readModelArtifacts(publicFiles, hint), origin: { kind: 'public', location: local } };
  }
  const cached = await readCache(entry.id);
  if (cached) return cached;
  let loaded: LoadedArtifacts;
  try {
    loaded = await readModelArtifacts(urlFiles(publisherUrl(entry)), hint);
  } catch (error) {
    // In the page, the site's own copy failing to arrive (not a 404) means the network is down:
    // say so, rather than that the model is missing.
    if (publicError && !isNode()) {
      throw new Error(
        `Backbone '${entry.id}' could not be loaded: the network is unreachable${isOffline() ? ' (the browser is offline)' : ''}. ` +
          `Neither ${local}/model.json (${publicError.message}) nor ${publisherUrl(entry)} (${(error as Error).message}) ` +
          'could be fetched, and it is not in the download cache. Weights work offline once they have been loaded online: ' +
          `connect and run the cell again. If the site has no copy, ${FETCH_ASSETS_HINT}.`,
      );
    }
    throw new Error(
      `Backbone '${entry.id}' is not in ${local} and downloading it from ${publisherUrl(entry)} failed ` +
        `(${(error as Error).message}). ${hint}`,
    );
  }
  await writeCache(entry.id, loaded).catch((error) => {
    console.warn(`tailor: could not cache the weights of '${entry.id}': ${(error as Error).message}`);
  });
  return { loaded, origin: { kind: 'download', location: publisherUrl(entry) } };
}

/** True when the browser knows it has no network (`navigator.onLine` is false). */
function isOffline(): boolean {
  return typeof navigator !== 'undefined' && (navigator as { onLine?: boolean }).onLine === false;
}

/** The publisher's URL, or `$TAILOR_MODELS_URL/<id>/model.json` when a mirror is set (offline installs, tests). */
function publisherUrl(entry: CatalogEntry): string {
  const mirror = envVar('TAILOR_MODELS_URL');
  if (mirror) return `${mirror.replace(/\/$/, '')}/${entry.id}/model.json`;
  return entry.fromTFHub ? `${entry.url}/model.json?tfjs-format=file` : entry.url;
}

const IDB_PREFIX = 'indexeddb://tailor-model-';

async function readCache(id: string): Promise<{ loaded: LoadedArtifacts; origin: WeightsOrigin } | undefined> {
  if (isNode()) {
    const dir = await nodeCacheFolder(id);
    const files = folderFiles(dir);
    if (!(await files.read('model.json'))) return undefined;
    return { loaded: await readModelArtifacts(files, 'Delete that folder to download it again.'), origin: { kind: 'cache', location: dir } };
  }
  if (typeof indexedDB === 'undefined') return undefined;
  const models = await tf.io.listModels().catch(() => ({}) as Record<string, unknown>);
  const key = `${IDB_PREFIX}${id}`;
  if (!(key in models)) return undefined;
  const handler = tf.io.getLoadHandlers(key)[0];
  return { loaded: await readHandlerArtifacts(handler), origin: { kind: 'cache', location: key } };
}

async function writeCache(id: string, loaded: LoadedArtifacts): Promise<void> {
  if (!isNode()) {
    if (typeof indexedDB === 'undefined') return;
    const handler = tf.io.getSaveHandlers(`${IDB_PREFIX}${id}`)[0];
    await handler?.save?.(loaded.artifacts);
    return;
  }
  const { fs, path } = await nodeModules();
  const dir = await nodeCacheFolder(id);
  // Write to a temporary folder and rename, so an interrupted write leaves no half model.
  const tmp = `${dir}.partial-${Date.now()}`;
  await fs.mkdir(tmp, { recursive: true });
  const a = loaded.artifacts;
  const modelJson = {
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    modelTopology: a.modelTopology,
    signature: a.signature,
    userDefinedMetadata: a.userDefinedMetadata,
    modelInitializer: a.modelInitializer,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
  };
  await fs.writeFile(path.join(tmp, 'weights.bin'), loaded.weightBytes);
  await fs.writeFile(path.join(tmp, 'model.json'), JSON.stringify(modelJson));
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rename(tmp, dir);
}

async function nodeCacheFolder(id: string): Promise<string> {
  const { path } = await nodeModules();
  return path.join(await nodeCacheDir(), 'models', id);
}
