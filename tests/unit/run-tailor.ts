/**
 * Runs the real `tailor` command (bin/tailor) in a child process, as a user
 * would, with a controlled environment; and locates the shared assets folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The shared assets folder: `TAILOR_ASSETS` when set, else `../shared` beside the repository. */
export const SHARED_ASSETS = resolve(REPO_ROOT, process.env['TAILOR_ASSETS'] ?? '../shared');

export interface TailorRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `node bin/tailor <args>`. The asset variables (TAILOR_ASSETS,
 * TAILOR_ASSETS_BASE_URL, TAILOR_PUBLIC_DIR) are cleared so only `env` sets them.
 */
export function startTailor(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<TailorRun> } {
  const base = { ...process.env };
  for (const name of ['TAILOR_ASSETS', 'TAILOR_ASSETS_BASE_URL', 'TAILOR_PUBLIC_DIR']) delete base[name];
  const child = spawn(process.execPath, [resolve(REPO_ROOT, 'bin/tailor'), ...args], { cwd: REPO_ROOT, env: { ...base, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<TailorRun>((resolveRun) => child.on('close', (code, signal) => resolveRun({ code, signal, stdout, stderr })));
  return { child, done };
}

/** Runs `node bin/tailor <args>` to completion. */
export function runTailor(args: string[], env: Record<string, string> = {}): Promise<TailorRun> {
  return startTailor(args, env).done;
}
