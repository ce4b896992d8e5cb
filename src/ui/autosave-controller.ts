/**
 * Autosave: every change of the notebook is written to IndexedDB after a
 * short pause (default 400 ms), and at once when the page is hidden or
 * closing, so a reload, a crashed tab or a dead kernel loses nothing.
 * A full disk is reported in `problem` with what to do.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { toIpynb } from '../model/index.ts';
import type { NotebookRecord, NotebookStore } from '../storage/index.ts';
import type { NotebookController } from './notebook-controller.ts';

export class AutosaveController implements ReactiveController {
  /** A sentence for the user when the last autosave failed, else ''. */
  problem = '';
  /** When the last autosave succeeded (ms since epoch), or 0. */
  savedAt = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private unsubscribe?: () => void;
  private writing: Promise<void> = Promise.resolve();
  private readonly flushNow = () => void this.flush();
  private readonly onVisibility = () => {
    if (document.visibilityState === 'hidden') void this.flush();
  };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly doc: NotebookController,
    private readonly store: NotebookStore,
    /** The record fields besides the notebook text (key, name, trust…), read at each save. */
    private readonly describe: () => Omit<NotebookRecord, 'ipynb' | 'dirty' | 'updatedAt'>,
    private readonly delayMs = 400,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe = this.doc.onChange(() => this.schedule());
    addEventListener('pagehide', this.flushNow);
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    removeEventListener('pagehide', this.flushNow);
    document.removeEventListener('visibilitychange', this.onVisibility);
    void this.flush();
  }

  /** Saves after the pause unless another change comes first. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Writes the current state now; resolves when it is stored (or failed, see `problem`). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const record: NotebookRecord = {
      ...this.describe(),
      ipynb: toIpynb(this.doc.notebook),
      dirty: this.doc.dirty,
      updatedAt: Date.now(),
    };
    this.writing = this.writing.then(async () => {
      try {
        await this.store.put(record);
        this.problem = '';
        this.savedAt = record.updatedAt;
      } catch (error) {
        this.problem = error instanceof Error ? error.message : String(error);
      }
      this.host.requestUpdate();
    });
    return this.writing;
  }
}
