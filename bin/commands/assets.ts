/**
 * `tailor assets [--only models|data] [--force] [--out <dir>]`: installs the
 * pretrained backbones into `<public>/models/` and the sample datasets into
 * `<public>/data/` (see bin/assets/manifest.ts for the list).
 *
 * - With `TAILOR_ASSETS=<folder>` set, copies from that folder (its `models/`
 *   and `data/`, laid out like the project's shared/ folder); otherwise
 *   downloads from the publishers' URLs, or from the mirror in
 *   `TAILOR_ASSETS_BASE_URL` (`<base>/<host>/<path>`).
 * - Every file is written to a temp name, verified (SHA256SUMS, sizes) and
 *   renamed; files already complete are skipped unless `--force`.
 * - Each dataset folder gets an `index.json` (bin/assets/dataset-index.ts).
 * - The output root is `--out`, else `TAILOR_PUBLIC_DIR`, else the repository's
 *   `public/`.
 * Exit codes: 0 done, 1 an asset could not be installed, 2 bad arguments.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetError, installInterruptCleanup, sweepStaleTemps } from '../assets/atomic-file.ts';
import { writeDatasetIndex } from '../assets/dataset-index.ts';
import { installFromFolder } from '../assets/install-from-folder.ts';
import { installFromWeb } from '../assets/install-from-web.ts';
import { ASSETS, type AssetKind } from '../assets/manifest.ts';
import { AssetProgress, formatBytes } from '../assets/progress.ts';

const USAGE = `usage: tailor assets [--only models|data] [--force] [--out <dir>]

Installs pretrained weights into public/models/ and sample data into public/data/.

  --only models|data  install only that half
  --force             fetch again even when files are already complete
  --out <dir>         output folder instead of public/ (also: TAILOR_PUBLIC_DIR)

environment:
  TAILOR_ASSETS=<folder>          copy from a local folder holding models/ and data/
                                  (laid out like the project's shared/ folder) instead of downloading
  TAILOR_ASSETS_BASE_URL=<url>    download from a mirror laid out as <url>/<host>/<path>`;

interface Options {
  only?: AssetKind;
  force: boolean;
  out?: string;
}

/** Runs the command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    if (parsed === 'help') {
      console.log(USAGE);
      return 0;
    }
    console.error(`tailor assets: ${parsed}\n\n${USAGE}`);
    return 2;
  }
  const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
  const outRoot = resolve(parsed.out ?? process.env['TAILOR_PUBLIC_DIR'] ?? resolve(repoRoot, 'public'));
  const fromRoot = process.env['TAILOR_ASSETS'] ? resolve(process.env['TAILOR_ASSETS']) : undefined;
  const selected = ASSETS.filter((asset) => !parsed.only || asset.kind === parsed.only);
  const source = fromRoot ?? (process.env['TAILOR_ASSETS_BASE_URL'] ? `mirror ${process.env['TAILOR_ASSETS_BASE_URL']}` : "the publishers' URLs");
  console.log(`tailor assets: ${parsed.only ?? 'models and data'} into ${outRoot}, from ${source}`);

  const uninstall = installInterruptCleanup();
  const started = Date.now();
  let files = 0;
  let bytes = 0;
  try {
    for (const kind of new Set(selected.map((asset) => asset.kind))) await sweepStaleTemps(resolve(outRoot, kind));
    for (const asset of selected) {
      const progress = new AssetProgress(`${asset.kind}/${asset.id}`);
      const context = { outRoot, force: parsed.force, progress };
      if (fromRoot) await installFromFolder(asset, fromRoot, context);
      else await installFromWeb(asset, context);
      if (asset.dataset) await writeDatasetIndex(resolve(outRoot, asset.kind, asset.id), asset.id);
      progress.finish(fromRoot ? 'copied' : 'downloaded');
      files += progress.fileCount;
      bytes += progress.byteCount;
    }
  } catch (error) {
    if (error instanceof AssetError) {
      console.error(`tailor assets: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    uninstall();
  }
  console.log(`tailor assets: done, ${files} files, ${formatBytes(bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return 0;
}

/** Parses the arguments, or returns 'help' or an error message. */
function parseArgs(args: string[]): Options | string {
  const options: Options = { force: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--help' || flag === '-h') return 'help';
    else if (flag === '--force') options.force = true;
    else if (flag === '--only') {
      const kind = value();
      if (kind !== 'models' && kind !== 'data') return `invalid --only ${JSON.stringify(kind ?? '')}; expected models or data`;
      options.only = kind;
    } else if (flag === '--out') {
      const dir = value();
      if (!dir) return '--out needs a folder';
      options.out = dir;
    } else return `unknown option ${JSON.stringify(arg)}`;
  }
  return options;
}
