/**
 * `npx tsx bench/render.ts [bench/results.json]`: rewrites `results.md` and
 * `results.svg` beside a results file (e.g. after changing the report's
 * layout) without measuring again, and prints the Markdown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resultsMarkdown, resultsSvg, type BenchResults } from './report.ts';

const file = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, 'results.json'));
if (!fs.existsSync(file)) {
  console.error(`No results at ${file}: run \`npm run bench\` first, or pass the path of a results.json.`);
  process.exit(1);
}
const results = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResults;
const markdown = resultsMarkdown(results);
fs.writeFileSync(path.join(path.dirname(file), 'results.md'), markdown);
fs.writeFileSync(path.join(path.dirname(file), 'results.svg'), `${resultsSvg(results)}\n`);
console.log(markdown);
