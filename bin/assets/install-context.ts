/** What an installer needs besides the asset itself. */
import type { AssetProgress } from './progress.ts';

export interface InstallContext {
  /** The `public/` folder that receives `models/` and `data/`. */
  outRoot: string;
  /** Fetch again even when a file is already complete. */
  force: boolean;
  progress: AssetProgress;
}
