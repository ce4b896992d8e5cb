/**
 * Vitest global setup for the browser tests: builds and serves the app once
 * per run and hands its URL to the test files (`inject('tailorAppUrl')`, read by
 * built-app.ts). Registered in vite.config.ts for the tests/browser project.
 */
import type { TestProject } from 'vitest/node';
import { buildAndServe } from './serve-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    tailorAppUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const app = await buildAndServe();
  project.provide('tailorAppUrl', app.url);
  return () => app.close();
}
