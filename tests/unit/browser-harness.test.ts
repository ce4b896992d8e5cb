// The Chromium finder used by the browser tests: it must fail loudly, with
// install instructions, rather than let browser tests skip.
import { expect, test } from 'vitest';
import { findChromium } from '../browser/chromium.ts';

test('CHROMIUM_PATH wins when it names a file', () => {
  expect(findChromium({ CHROMIUM_PATH: process.execPath }, [])).toBe(process.execPath);
});

test('a CHROMIUM_PATH that names no file is an error, not a fallback', () => {
  expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow('CHROMIUM_PATH is set to /nonexistent/chromium, but there is no file there');
});

test('the first existing candidate is used', () => {
  expect(findChromium({}, ['/nonexistent/a', process.execPath])).toBe(process.execPath);
});

test('with no Chromium anywhere it throws with what to install on each platform', () => {
  const attempt = () => findChromium({}, ['/nonexistent/chromium']);
  expect(attempt).toThrow('Browser tests need Chromium, and none was found.');
  expect(attempt).toThrow('Looked in: /nonexistent/chromium.');
  expect(attempt).toThrow('sudo apt-get install chromium');
  expect(attempt).toThrow('brew install --cask chromium');
  expect(attempt).toThrow('CHROMIUM_PATH=/path/to/chromium');
});
