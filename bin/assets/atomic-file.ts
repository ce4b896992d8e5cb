/**
 * Writing asset files so that a reader never sees a half-written one: bytes go
 * to `<dest>.tailor-tmp-<pid>` beside the destination, are checked (size and
 * SHA-256 when known), and only then renamed over `dest` — a rename within one
 * folder is atomic. Temp files still open when the process is interrupted are
 * removed by {@link installInterruptCleanup}.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What a finished file must be; unknown fields are not checked. */
export interface Expected {
  bytes?: number;
  sha256?: string;
}

/** A verification failure or unreachable source, with a message meant for the user. */
export class AssetError extends Error {
  override name = 'AssetError';
}

const TEMP_MARK = '.tailor-tmp-';
const pendingTemps = new Set<string>();

/** SHA-256 of a file as lowercase hex. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Size of a file in bytes, or undefined when it does not exist. */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `path` already holds the expected file: same size and, when a hash is
 * known, same SHA-256. With nothing known, a file is never considered complete.
 */
export async function isComplete(path: string, expected: Expected): Promise<boolean> {
  if (expected.bytes === undefined && expected.sha256 === undefined) return false;
  const size = await fileSize(path);
  if (size === undefined) return false;
  if (expected.bytes !== undefined && size !== expected.bytes) return false;
  if (expected.sha256 !== undefined && (await hashFile(path)) !== expected.sha256) return false;
  return true;
}

/**
 * Streams `source` into `dest` through a temp file, checking the byte count and
 * SHA-256 against `expected`. On any failure the temp file is removed, `dest`
 * is left as it was, and an {@link AssetError} names `label` (the file as the
 * user knows it) and `origin` (where the bytes came from).
 * @returns the number of bytes written.
 */
export async function writeVerified(
  dest: string,
  source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  expected: Expected,
  label: string,
  origin: string,
  onBytes: (n: number) => void = () => {},
): Promise<number> {
  await mkdir(dirname(dest), { recursive: true });
  const temp = `${dest}${TEMP_MARK}${process.pid}`;
  pendingTemps.add(temp);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(temp));
    const sha256 = hash.digest('hex');
    if (expected.bytes !== undefined && bytes !== expected.bytes) {
      throw new AssetError(`${label}: expected ${expected.bytes} bytes but got ${bytes} from ${origin} (truncated or changed file).`);
    }
    if (expected.sha256 !== undefined && sha256 !== expected.sha256) {
      throw new AssetError(`${label}: SHA-256 mismatch for ${origin}\n  expected ${expected.sha256}\n  got      ${sha256}`);
    }
    await rename(temp, dest);
    return bytes;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    pendingTemps.delete(temp);
  }
}

/**
 * Removes the temp files of writes in progress when the process gets SIGINT or
 * SIGTERM, then exits with 130 (or 143). Returns a function that uninstalls the
 * handlers.
 */
export function installInterruptCleanup(): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    for (const temp of pendingTemps) rmSync(temp, { force: true });
    pendingTemps.clear();
    process.stderr.write(`\ntailor assets: interrupted (${signal}); partial files removed, finished files kept.\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * Marks `path` as a scratch file to delete if the process is interrupted;
 * returns a function that unmarks it. Name scratch files with
 * {@link scratchPath} so a later run's sweep also removes them after a crash.
 */
export function trackScratchFile(path: string): () => void {
  pendingTemps.add(path);
  return () => pendingTemps.delete(path);
}

/** A scratch-file name beside `dest` that {@link sweepStaleTemps} recognises. */
export function scratchPath(dest: string, purpose: string): string {
  return `${dest}${TEMP_MARK}${purpose}-${process.pid}`;
}

/**
 * Deletes temp files left under `dir` by a run that was killed outright
 * (kill -9, power loss). Temp files of another run still going (its process
 * id, the name's last number, is alive) are left alone.
 */
export async function sweepStaleTemps(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return; // nothing there yet
  }
  for (const entry of entries) {
    if (entry.isFile() && entry.name.includes(TEMP_MARK) && !isOtherLiveRun(entry.name)) {
      await rm(join(entry.parentPath ?? entry.path, entry.name), { force: true });
    }
  }
}

function isOtherLiveRun(tempName: string): boolean {
  const pid = Number(/(\d+)$/.exec(tempName)?.[1]);
  if (!Number.isSafeInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0); // signal 0 only checks that the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
