/**
 * Builds `notebooks/*.ipynb` from `notebooks/src/*.ts` (see
 * `guided-notebooks.ts`). With `--check`, writes nothing and exits 1 when a
 * committed notebook differs from what its source builds.
 *
 *   npx tsx tests/support/build-notebooks.ts [--check]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGuidedNotebooks, NOTEBOOKS_DIR } from './guided-notebooks.ts';

const checkOnly = process.argv.includes('--check');
let stale = 0;
for (const { file, text } of buildGuidedNotebooks()) {
  const target = join(NOTEBOOKS_DIR, file);
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (current === text) continue;
  stale++;
  if (checkOnly) console.error(`notebooks/${file} is out of date: run npx tsx tests/support/build-notebooks.ts`);
  else {
    writeFileSync(target, text, 'utf8');
    console.log(`wrote notebooks/${file}`);
  }
}
if (checkOnly && stale) process.exit(1);
if (!stale) console.log('notebooks/*.ipynb are up to date');
