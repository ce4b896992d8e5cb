/**
 * HTTP downloads for `tailor assets`, with errors that name the URL: a host
 * that cannot be reached (offline, DNS, refused) says how to install from a
 * local folder instead; an HTTP error gives the status; a body cut short is
 * caught by its Content-Length and never reaches the destination file.
 */
import { Readable } from 'node:stream';
import { AssetError, writeVerified, type Expected } from './atomic-file.ts';

/** The hint printed when a publisher's server cannot be reached. */
export const OFFLINE_HINT =
  'If this machine is offline or behind a firewall, install from a local copy instead:\n' +
  '  TAILOR_ASSETS=/path/to/assets npm run assets\n' +
  "where that folder holds models/ and data/ laid out like the project's shared/ folder.";

/** Network errors that mean the host could not be reached at all (offline, DNS, firewall, no route). */
const UNREACHABLE = /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT)\b/;

/** GETs `url`, following redirects; throws an {@link AssetError} unless the answer is 2xx. */
export async function openUrl(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (error) {
    const reason = describeNetworkError(error);
    if (UNREACHABLE.test(reason)) throw new AssetError(`could not reach ${url} (${reason}).\n${OFFLINE_HINT}`);
    throw new AssetError(`download of ${url} failed before its body arrived (${reason}); run again to retry.`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new AssetError(`could not download ${url}: HTTP ${response.status} ${response.statusText}`.trimEnd());
  }
  return response;
}

/** Downloads `url` into memory (for small files such as label lists). */
export async function fetchBytes(url: string): Promise<Buffer> {
  const response = await openUrl(url);
  const declared = declaredLength(response);
  let body: Buffer;
  try {
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw new AssetError(`download of ${url} failed: ${describeNetworkError(error)}`);
  }
  if (declared !== undefined && body.length !== declared) {
    throw new AssetError(`download of ${url} was cut short: got ${body.length} of ${declared} bytes.`);
  }
  return body;
}

/**
 * Downloads `url` into `dest` through a temp file (see writeVerified). When
 * `expected.bytes` is not given, the response's Content-Length is checked
 * instead, so a truncated transfer fails rather than leaving a short file.
 * @returns the number of bytes written.
 */
export async function downloadToFile(
  url: string,
  dest: string,
  expected: Expected,
  label: string,
  onBytes?: (n: number) => void,
): Promise<number> {
  const response = await openUrl(url);
  if (!response.body) throw new AssetError(`download of ${url} returned no body.`);
  const check: Expected = { ...expected, bytes: expected.bytes ?? declaredLength(response) };
  let received = 0;
  const count = (n: number) => {
    received += n;
    onBytes?.(n);
  };
  try {
    return await writeVerified(dest, Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), check, label, url, count);
  } catch (error) {
    if (error instanceof AssetError) throw error;
    const of = check.bytes === undefined ? '' : ` of ${check.bytes}`;
    throw new AssetError(`download of ${url} broke off after ${received}${of} bytes (${describeNetworkError(error)}); nothing was kept, run again to retry.`);
  }
}

/** Content-Length of an uncompressed response, or undefined (a compressed body's length differs from what we receive). */
function declaredLength(response: Response): number | undefined {
  const length = response.headers.get('content-length');
  const encoding = response.headers.get('content-encoding');
  if (length === null || (encoding !== null && encoding !== 'identity')) return undefined;
  const n = Number(length);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Turns undici's "fetch failed" into its cause, e.g. "ENOTFOUND storage.googleapis.com". */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code) return `${cause.code}${cause.message && !cause.message.includes(cause.code) ? `: ${cause.message}` : ''}`;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
