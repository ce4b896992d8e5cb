/**
 * Which epoch a dense fit keeps, and when it stops early: the lowest
 * validation loss (improving by more than `minDelta`) wins; without
 * validation the last epoch is the one kept and there is no early stop.
 * Shared by the Adam and L-BFGS loops so both keep and stop alike.
 */
import type { EpochLog } from './head-types.ts';

export interface BestEpochTracker {
  /** Records an epoch's log: `improved` means keep these weights; `stop` means patience ran out. */
  observe(log: EpochLog): { improved: boolean; stop: boolean };
  /** The kept epoch (0 before any improved). */
  readonly bestEpoch: number;
}

export function trackBestEpoch(options: { patience: number; minDelta: number; validation: boolean }): BestEpochTracker {
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let stale = 0;
  return {
    observe(log) {
      const monitored = log.valLoss ?? -log.epoch;
      const improved = monitored < bestLoss - options.minDelta;
      if (improved) {
        bestLoss = monitored;
        bestEpoch = log.epoch;
        stale = 0;
      } else {
        stale++;
      }
      return { improved, stop: options.validation && stale >= options.patience };
    },
    get bestEpoch() {
      return bestEpoch;
    },
  };
}
