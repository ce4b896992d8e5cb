/**
 * `imageGrid`: an HTML grid of image thumbnails with captions — e.g.
 * `imageGrid(report.misclassified)` shows each wrong image with its true and
 * predicted label and the confidence. Thumbnails are small PNG data URLs, so
 * the output is self-contained in a saved notebook.
 */
import { readItemBytes } from '../datasets/load-image-folder.ts';
import type { Misclassified } from '../evaluation/evaluate.ts';
import { imageInputToRaw, type ImageInput } from '../images/preprocess.ts';
import type { ImageItem } from '../types.ts';
import { encodePngAsync, toBase64 } from '../images/png.ts';
import { mimeSymbol, type MimeBundle } from './virtual-document.ts';

/** One cell: an image (item, bytes, path/URL, pixels…) and its caption. */
export interface ImageGridEntry {
  image: ImageItem | ImageInput;
  caption: string;
}

/** Options of `imageGrid`. */
export interface ImageGridOptions {
  /** Thumbnail side in pixels (centre-cropped square; default 96). */
  size?: number;
  /** Cells per row (default 6). */
  columns?: number;
  title?: string;
  /** Show at most this many entries (default 48). */
  limit?: number;
}

/** The grid: its HTML, and the MIME bundle the kernel displays. */
export interface HtmlChart {
  html: string;
  [mimeSymbol](): MimeBundle;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function isMisclassified(v: unknown): v is Misclassified {
  const m = v as Misclassified;
  return typeof m === 'object' && m !== null && typeof m.predicted === 'string' && typeof m.probability === 'number' && m.item !== undefined;
}

function isItem(v: unknown): v is ImageItem {
  return typeof v === 'object' && v !== null && typeof (v as ImageItem).path === 'string' && typeof (v as ImageItem).label === 'number';
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** A PNG data URL of the image, centre-cropped to `size`. */
export async function thumbnailDataUrl(image: ImageItem | ImageInput, size: number): Promise<string> {
  const raw = await imageInputToRaw(isItem(image) ? await readItemBytes(image) : image, { size, crop: 'center' });
  return `data:image/png;base64,${toBase64(await encodePngAsync({ width: raw.width, height: raw.height, channels: 3, data: raw.data }))}`;
}

/**
 * Builds the grid from `evaluate`'s `misclassified` list (caption: file
 * name, "true → predicted (confidence)") or from `{image, caption}` entries.
 */
export async function imageGrid(entries: readonly (Misclassified | ImageGridEntry)[], options: ImageGridOptions = {}): Promise<HtmlChart> {
  const size = options.size ?? 96;
  const columns = options.columns ?? 6;
  const shown = entries.slice(0, options.limit ?? 48);
  const cells = await Promise.all(
    shown.map(async (entry) => {
      const [image, caption] = isMisclassified(entry)
        ? [entry.item, `${baseName(entry.item.path)}\n${entry.label} → ${entry.predicted} (${(100 * entry.probability).toFixed(1)}%)`]
        : [entry.image, entry.caption];
      const src = await thumbnailDataUrl(image, size);
      const lines = caption.split('\n').map(escapeHtml).join('<br>');
      return `<figure style="margin:0;width:${size}px"><img src="${src}" width="${size}" height="${size}" alt="${escapeHtml(caption.replace(/\n/g, ' '))}" style="display:block"><figcaption style="font:11px system-ui,sans-serif;overflow-wrap:anywhere">${lines}</figcaption></figure>`;
    }),
  );
  const title = options.title ? `<h3 style="font:600 14px system-ui,sans-serif;margin:0 0 6px">${escapeHtml(options.title)}</h3>` : '';
  const more = entries.length > shown.length ? `<p style="font:11px system-ui,sans-serif">… and ${entries.length - shown.length} more</p>` : '';
  const empty = entries.length === 0 ? '<p style="font:12px system-ui,sans-serif">No images.</p>' : '';
  const html = `<div class="tailor-image-grid">${title}<div style="display:grid;grid-template-columns:repeat(${columns},${size}px);gap:8px">${cells.join('')}</div>${empty}${more}</div>`;
  const text = `${entries.length} image(s): ${shown.map((e) => (isMisclassified(e) ? `${baseName(e.item.path)} ${e.label}→${e.predicted}` : e.caption.replace(/\n/g, ' '))).join('; ')}`;
  return { html, [mimeSymbol]: () => ({ 'text/html': html, 'text/plain': text }) };
}
