/**
 * A local HTTP server on 127.0.0.1 that serves the shared/ assets folder laid
 * out like the publishers' URLs (`/<host>/<path>`, the layout
 * `TAILOR_ASSETS_BASE_URL` expects), for testing `tailor assets` downloads.
 * The zip and the two upstream label files that shared/ does not hold are made
 * here from what it does hold: the zip by Python's zipfile (an independent zip
 * writer), the label files in their publishers' formats.
 *
 * Faults can be injected per path: `404`, `truncate` (declares the full
 * Content-Length, sends half, closes), `corrupt` (full length, one byte
 * flipped), `stall` (sends half, then hangs until the client goes away).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export type Fault = 404 | 'truncate' | 'corrupt' | 'stall';

export interface PublisherMirror {
  /** Value for TAILOR_ASSETS_BASE_URL. */
  baseUrl: string;
  /** Faults by request path (e.g. `/storage.googleapis.com/…/group3-shard1of1`). */
  faults: Map<string, Fault>;
  /** Every path requested, in order. */
  requests: string[];
  /** Called when a `stall` fault has sent its first half. */
  onStall?: () => void;
  close(): Promise<void>;
}

const DARKNET_COMMIT = 'f6afaabcdf85f77e7aff2ec55c020c0e297c77f9';
const DOTNET = '/raw.githubusercontent.com/dotnet/machinelearning-samples/427ccb68ab1da8f0600bf7653b5158ec1f04c3cb/samples/csharp/getting-started/DeepLearning_ImageClassification_TensorFlow/ImageClassification/assets/inputs/images';
const SYN = '/raw.githubusercontent.com/zhangtao7750/syn/f0503091488f67b6809a6da2eaa43c25f2f277fc/hymenoptera_data/val';

/** Starts the mirror of `shared` on a free port; `zipPath` is where to write the generated dataset zip. */
export async function startPublisherMirror(shared: string, zipPath: string): Promise<PublisherMirror> {
  makeDatasetZip(join(shared, 'data'), zipPath);
  const models = join(shared, 'models');
  const generated = new Map<string, Buffer>([
    ['/cdn.jsdelivr.net/npm/@tensorflow-models/mobilenet@2.1.1/dist/imagenet_classes.js', mobilenetClassesJs(models)],
    [`/raw.githubusercontent.com/pjreddie/darknet/${DARKNET_COMMIT}/data/imagenet.labels.list`, darknetLabelsList(models)],
  ]);
  const files = new Map<string, string>([
    ['/download.pytorch.org/tutorial/hymenoptera_data.zip', zipPath],
    ['/raw.githubusercontent.com/BVLC/caffe/9b891540183ddc834a02b2bd81b31afae71b2153/examples/images/cat.jpg', join(shared, 'data/photos/cat.jpg')],
    [`/raw.githubusercontent.com/pjreddie/darknet/${DARKNET_COMMIT}/data/dog.jpg`, join(shared, 'data/photos/dog.jpg')],
    [`${SYN}/ants/854534770_31f6156383.jpg`, join(shared, 'data/photos/ant.jpg')],
    [`${SYN}/bees/abeja.jpg`, join(shared, 'data/photos/bee.jpg')],
    [`${DOTNET}/pizza.jpg`, join(shared, 'data/photos/pizza.jpg')],
    [`${DOTNET}/teddy1.jpg`, join(shared, 'data/photos/teddy.jpg')],
  ]);
  const resolveFile = (path: string): string | undefined => {
    const mobilenet = /^\/storage\.googleapis\.com\/tfjs-models\/tfjs\/(mobilenet_v1_[\d.]+_224)\/([\w.-]+)$/.exec(path);
    if (mobilenet) return join(models, mobilenet[1]!, mobilenet[2]!);
    const darknet = /^\/raw\.githubusercontent\.com\/ml5js\/ml5-data-and-models\/master\/models\/darknetclassifier\/darknettiny\/([\w.-]+)$/.exec(path);
    if (darknet) return join(models, 'darknet_tiny', darknet[1]!);
    return files.get(path);
  };

  const mirror: PublisherMirror = { baseUrl: '', faults: new Map(), requests: [], close: () => Promise.resolve() };
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    mirror.requests.push(path);
    const file = resolveFile(path);
    const body = generated.get(path) ?? (file && existsSync(file) ? readFileSync(file) : undefined);
    const fault = mirror.faults.get(path);
    if (!body || fault === 404) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    if (fault === 'truncate') {
      // Close the connection with bytes still owed, once the client has had the headers.
      response.write(body.subarray(0, body.length >> 1), () => setTimeout(() => response.destroy(), 50));
    } else if (fault === 'corrupt') {
      const altered = Buffer.from(body);
      altered[altered.length >> 1]! ^= 0xff;
      response.end(altered);
    } else if (fault === 'stall') {
      response.write(body.subarray(0, body.length >> 1), () => mirror.onStall?.());
    } else {
      response.end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mirror.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return mirror;
}

/** The dataset zip as PyTorch publishes it (`hymenoptera_data/train|val/…`, deflated), plus macOS clutter a reader must skip. */
function makeDatasetZip(dataDir: string, zipPath: string): void {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const script = `
import os, sys, zipfile
data, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(os.path.join(data, 'hymenoptera_data')):
        dirs.sort()
        rel = os.path.relpath(root, data)
        z.write(root, rel + '/')
        for name in sorted(files):
            if name.lower().endswith(('.jpg', '.jpeg', '.png')):
                z.write(os.path.join(root, name), os.path.join(rel, name))
    z.writestr('__MACOSX/hymenoptera_data/._x.jpg', b'resource fork')
    z.writestr('hymenoptera_data/.DS_Store', b'finder')
`;
  execFileSync(python, ['-c', script, dataDir, zipPath]);
}

/** `dist/imagenet_classes.js` as @tensorflow-models/mobilenet 2.1.1 publishes it: single quotes, long names split with `' +`. */
function mobilenetClassesJs(models: string): Buffer {
  const names: string[] = JSON.parse(readFileSync(join(models, 'imagenet-classes.json'), 'utf8'));
  const quote = (text: string) => `'${text.replace(/'/g, "\\'")}'`;
  const entries = names.map((name, index) => {
    const cut = name.length > 60 ? name.lastIndexOf(', ', 60) + 2 : 0;
    const value = cut > 2 ? `${quote(name.slice(0, cut))} +\n        ${quote(name.slice(cut))}` : quote(name);
    return `    ${index}: ${value}`;
  });
  return Buffer.from(`"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.IMAGENET_CLASSES = void 0;\nexports.IMAGENET_CLASSES = {\n${entries.join(',\n')}\n};\n`);
}

/** Darknet's `imagenet.labels.list`: the 1000 wnids in Darknet's output order, then more (the real file lists 21k synsets). */
function darknetLabelsList(models: string): Buffer {
  const wnids: string[] = JSON.parse(readFileSync(join(models, 'imagenet-wnids.json'), 'utf8'));
  const order: number[] = JSON.parse(readFileSync(join(models, 'darknet_tiny-output-to-imagenet-index.json'), 'utf8'));
  return Buffer.from(`${order.map((index) => wnids[index]).join('\n')}\nn00004475\nn00005787\n`);
}
