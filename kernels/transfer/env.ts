/**
 * Where the library runs, and a bundler-proof way to reach Node built-ins.
 * The page bundle must never pull in `node:fs` or `sharp`, so Node modules are
 * imported through a specifier the bundler cannot see.
 */

/** True in Node (main thread or worker_threads); false in a page or a Web Worker. */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string' && typeof (globalThis as { document?: unknown }).document === 'undefined';
}

/** Imports a Node-only module at run time (hidden from Vite/Rollup on purpose). */
export function importNode<T>(specifier: string): Promise<T> {
  return import(/* @vite-ignore */ specifier) as Promise<T>;
}

export type NodeFs = typeof import('node:fs/promises');
export type NodePath = typeof import('node:path');

/** `node:fs/promises` and `node:path`, loaded once. */
export async function nodeModules(): Promise<{ fs: NodeFs; path: NodePath; os: typeof import('node:os') }> {
  const [fs, path, os] = await Promise.all([
    importNode<NodeFs>('node:fs/promises'),
    importNode<NodePath>('node:path'),
    importNode<typeof import('node:os')>('node:os'),
  ]);
  return { fs, path, os };
}

/** Reads an environment variable in Node; undefined in the page. */
export function envVar(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = p?.env?.[name];
  return v === '' ? undefined : v;
}

/** Hex SHA-256 of bytes (WebCrypto: native in Node 20, pages and workers). */
export async function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Hex SHA-256 of a string. */
export function sha256Text(text: string): Promise<string> {
  return sha256Hex(new TextEncoder().encode(text));
}
