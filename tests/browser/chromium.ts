/**
 * Real Chromium for browser tests, driven by playwright-core (no bundled
 * browser download: it uses the system's Chromium).
 *
 * `launchChromium()` finds the executable (env `CHROMIUM_PATH`, then the usual
 * Linux and macOS locations) and throws with install instructions when there is
 * none — a browser test never skips silently. Each session runs in a fresh
 * profile folder (deleted on close), headless, with software rendering.
 * Console errors and uncaught page errors are collected per page so tests can
 * assert there were none.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where Chromium or Chrome is usually installed, searched in order after `CHROMIUM_PATH`. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/**
 * Flags for a quiet, reproducible headless run: no sandbox (CI containers run
 * as root), no GPU (WebGL falls back to software; tests use the wasm backend),
 * and no background traffic (updates, sync, QUIC) that could reach the network.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Returns the Chromium executable to use (`CHROMIUM_PATH`, else the first of `candidates` that exists), or throws saying how to install one. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, candidates: readonly string[] = CHROMIUM_CANDIDATES): string {
  const fromEnv = env['CHROMIUM_PATH'];
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but there is no file there. Point it at a Chromium or Chrome executable.`);
  }
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  throw new Error(
    'Browser tests need Chromium, and none was found.\n' +
      `Looked in: ${candidates.join(', ')}.\n` +
      'Install it:\n' +
      '  Debian/Ubuntu: sudo apt-get install chromium   (Ubuntu may name it chromium-browser)\n' +
      '  macOS:         brew install --cask chromium\n' +
      'or set CHROMIUM_PATH=/path/to/chromium (any Chromium or Chrome executable).',
  );
}

export interface ChromiumSession {
  context: BrowserContext;
  /** Opens a new tab whose console errors and page errors are collected. */
  newPage(): Promise<Page>;
  /** Console `error` messages and uncaught exceptions of `page`, in order (`console: …` / `pageerror: …`). */
  errorsOf(page: Page): string[];
  /** Closes the browser and deletes the profile folder. */
  close(): Promise<void>;
}

/** Launches headless Chromium in a fresh profile; `extraArgs` are appended to {@link CHROMIUM_ARGS}. */
export async function launchChromium(extraArgs: string[] = []): Promise<ChromiumSession> {
  const executablePath = findChromium();
  const profile = await mkdtemp(join(tmpdir(), 'tailor-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  const errors = new WeakMap<Page, string[]>();
  const watch = (page: Page) => {
    if (errors.has(page)) return;
    const list: string[] = [];
    errors.set(page, list);
    page.on('console', (message) => {
      // "Failed to load resource" does not say which; the location does.
      const where = message.location().url;
      if (message.type() === 'error') list.push(`console: ${message.text()}${where ? ` (${where})` : ''}`);
    });
    page.on('pageerror', (error) => list.push(`pageerror: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      watch(page);
      return page;
    },
    errorsOf: (page) => errors.get(page) ?? [],
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
