/**
 * Imported first by the language worker: records when its script started to
 * run (after fetching and compiling, before TypeScript initialises), so the
 * timings tell the two apart.
 */
import { recordPhase } from './timings.ts';

recordPhase('script', 0);
