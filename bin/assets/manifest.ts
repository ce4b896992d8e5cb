/**
 * The assets `tailor assets` installs, and where each one comes from: a path
 * inside the local folder named by `TAILOR_ASSETS` (laid out like the project's
 * `shared/` folder: `models/…`, `data/…`) and the URLs where its publisher hosts
 * it. Files land in `<public>/<kind>/<path>`.
 */
import { SHIPPED_MODEL_SUMS } from './sha256sums.ts';

/** The two top-level folders under `public/`. */
export type AssetKind = 'models' | 'data';

/** A file fetched from a URL and written as is. `sha256` pins its content. */
export interface RemoteFile {
  name: string;
  url: string;
  sha256: string;
}

/** How an asset is obtained when no local folder is given. */
export type DownloadSpec =
  /** A TF.js layers model: `model.json`, then every shard its `weightsManifest` lists, resolved beside it. */
  | { type: 'tfjs-model'; url: string }
  /** A zip whose entries under `root` (e.g. `hymenoptera_data/`) become the asset folder. */
  | { type: 'zip'; url: string; root: string }
  /** Individual files. */
  | { type: 'files'; files: RemoteFile[] }
  /** The ImageNet label tables, derived from files their publishers ship (see imagenet-labels.ts). */
  | { type: 'imagenet-labels'; mobilenetClassesUrl: string; darknetLabelsUrl: string }
  /** A file shipped with Tailor itself (no network), such as the known hashes of the model files. */
  | { type: 'shipped'; file: URL };

export interface Asset {
  /** Folder under `public/`. */
  kind: AssetKind;
  /** Short name used in progress lines and errors, e.g. `mobilenet_v1_0.25_224`. */
  id: string;
  /** Paths relative to `<kind>/` that make up the asset: a folder (ending in `/`) or files. */
  paths: string[];
  /** True for a folder of images that gets an `index.json` (see dataset-index.ts). */
  dataset?: boolean;
  download: DownloadSpec;
}

const GCS_MOBILENET = 'https://storage.googleapis.com/tfjs-models/tfjs';
const RAW = 'https://raw.githubusercontent.com';
const DARKNET_COMMIT = 'f6afaabcdf85f77e7aff2ec55c020c0e297c77f9';
const DOTNET_SAMPLES =
  `${RAW}/dotnet/machinelearning-samples/427ccb68ab1da8f0600bf7653b5158ec1f04c3cb` +
  '/samples/csharp/getting-started/DeepLearning_ImageClassification_TensorFlow/ImageClassification/assets/inputs/images';
const HYMENOPTERA_SAMPLE = `${RAW}/zhangtao7750/syn/f0503091488f67b6809a6da2eaa43c25f2f277fc/hymenoptera_data/val`;

/** Every asset, models first. Order is the install order. */
export const ASSETS: readonly Asset[] = [
  mobilenetV1('0.25'),
  mobilenetV1('0.75'),
  {
    kind: 'models',
    id: 'darknet_tiny',
    paths: ['darknet_tiny/'],
    download: {
      type: 'tfjs-model',
      url: `${RAW}/ml5js/ml5-data-and-models/master/models/darknetclassifier/darknettiny/model.json`,
    },
  },
  {
    kind: 'models',
    id: 'imagenet-labels',
    paths: ['imagenet-classes.json', 'imagenet-wnids.json', 'darknet_tiny-output-to-imagenet-index.json'],
    download: {
      type: 'imagenet-labels',
      // The class names as @tensorflow-models/mobilenet publishes them on npm.
      mobilenetClassesUrl: 'https://cdn.jsdelivr.net/npm/@tensorflow-models/mobilenet@2.1.1/dist/imagenet_classes.js',
      // Darknet's label list: its first 1000 lines are the wnids in Darknet's output order.
      darknetLabelsUrl: `${RAW}/pjreddie/darknet/${DARKNET_COMMIT}/data/imagenet.labels.list`,
    },
  },
  {
    kind: 'models',
    id: 'SHA256SUMS',
    paths: ['SHA256SUMS'],
    download: { type: 'shipped', file: SHIPPED_MODEL_SUMS },
  },
  {
    kind: 'data',
    id: 'hymenoptera_data',
    paths: ['hymenoptera_data/'],
    dataset: true,
    download: { type: 'zip', url: 'https://download.pytorch.org/tutorial/hymenoptera_data.zip', root: 'hymenoptera_data/' },
  },
  {
    kind: 'data',
    id: 'photos',
    paths: ['photos/'],
    dataset: true,
    download: {
      type: 'files',
      files: [
        { name: 'cat.jpg', url: `${RAW}/BVLC/caffe/9b891540183ddc834a02b2bd81b31afae71b2153/examples/images/cat.jpg`, sha256: '59b67bce343d435cb8f79b6abefc6eecc79924abcda6e7c7e39f8173bb932bc1' },
        { name: 'dog.jpg', url: `${RAW}/pjreddie/darknet/${DARKNET_COMMIT}/data/dog.jpg`, sha256: '5a9522051c3cec2bbd2f6323fccba32e8fbf3ddcc2b3e2fd46b04c720bc6f866' },
        { name: 'ant.jpg', url: `${HYMENOPTERA_SAMPLE}/ants/854534770_31f6156383.jpg`, sha256: 'ba1709ab58c226c99c18ff7d8d7360a7d3febfbca50632f1377726be0021198c' },
        { name: 'bee.jpg', url: `${HYMENOPTERA_SAMPLE}/bees/abeja.jpg`, sha256: '71df5bb8030c4e997a2c9278872957ba3913eeae12c4428d49c4f93c7ee09d7f' },
        { name: 'pizza.jpg', url: `${DOTNET_SAMPLES}/pizza.jpg`, sha256: '4dc1eb788ad23842d5a7d191a6c72f30e5214e9ac7a7964e185645524668daa3' },
        { name: 'teddy.jpg', url: `${DOTNET_SAMPLES}/teddy1.jpg`, sha256: '72bae1293772a676120930e942082cdc649aefc8d130223b47d781b62242ef22' },
      ],
    },
  },
];

function mobilenetV1(alpha: '0.25' | '0.50' | '0.75' | '1.0'): Asset {
  const id = `mobilenet_v1_${alpha}_224`;
  return { kind: 'models', id, paths: [`${id}/`], download: { type: 'tfjs-model', url: `${GCS_MOBILENET}/${id}/model.json` } };
}

/**
 * Applies `TAILOR_ASSETS_BASE_URL`: with a base set, `https://host/path` is
 * fetched from `<base>/host/path` — the layout `wget --mirror` writes, so a
 * mirror of the publishers' files on an internal server works as is.
 */
export function resolveDownloadUrl(url: string, base = process.env['TAILOR_ASSETS_BASE_URL']): string {
  if (!base) return url;
  const parsed = new URL(url);
  return `${base.replace(/\/+$/, '')}/${parsed.host}${parsed.pathname}`;
}
