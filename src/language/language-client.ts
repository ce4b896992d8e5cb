/**
 * The page's side of the TypeScript language worker. The worker starts on
 * the first request (so TypeScript loads only when a code cell's editor
 * asks), answers requests in order, and is shared by every cell editor.
 *
 * Each request carries the notebook's code cells; the text of every cell
 * whose editor is open (see `registerLiveCell`) is read from the editor
 * itself, so the worker never sees a stale source. When a request shows that
 * some cell's text changed, listeners (`onNotebookChange`) hear which cells,
 * so editors of later cells can check themselves again.
 */
import type { LanguageRequest, LanguageResponse, LanguageResults, NotebookCellSource } from './protocol.ts';

type Params<K extends LanguageRequest['kind']> = Omit<Extract<LanguageRequest, { kind: K }>, 'id' | 'kind' | 'cells'>;

export interface LanguageClient {
  /** Sends a request about `cellId` with the notebook's current cells. */
  request<K extends LanguageRequest['kind']>(kind: K, cells: readonly NotebookCellSource[], params: Params<K>): Promise<LanguageResults[K]>;
  /** While registered, `cellId`'s text is read from `read()` (the live editor) instead of the notebook model. */
  registerLiveCell(cellId: string, read: () => string): () => void;
  /** Calls `listener` with the ids of cells whose text changed since the last request (in notebook order). */
  onNotebookChange(listener: (changed: readonly string[], cells: readonly NotebookCellSource[]) => void): () => void;
  /** Starts the worker now (it loads TypeScript and warms up), so the first request finds it ready. */
  start(): void;
  /** Stops the worker (a later request starts a new one). */
  dispose(): void;
}

/** Starts the worker; Vite bundles it (and TypeScript with it) as a separate file loaded on demand. */
const startWorker = () => new Worker(new URL('./ts-worker.ts', import.meta.url), { type: 'module', name: 'tailor-typescript' });

export function createLanguageClient(createWorker: () => Worker = startWorker): LanguageClient {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const live = new Map<string, () => string>();
  const listeners = new Set<(changed: readonly string[], cells: readonly NotebookCellSource[]) => void>();
  let last = new Map<string, string>();

  const ensureWorker = (): Worker => {
    if (worker) return worker;
    const started = createWorker();
    started.onmessage = (event: MessageEvent<LanguageResponse>) => {
      const response = event.data;
      const waiting = pending.get(response.id);
      if (!waiting) return;
      pending.delete(response.id);
      if (response.ok) waiting.resolve(response.result);
      else waiting.reject(new Error(`TypeScript worker: ${response.error}`));
    };
    started.onerror = (event) => {
      // A worker that failed to load cannot answer anything: fail what waits, start afresh next time.
      event.preventDefault();
      for (const { reject } of pending.values()) reject(new Error(`TypeScript worker failed: ${event.message || 'it could not start'}`));
      pending.clear();
      started.terminate();
      if (worker === started) worker = undefined;
    };
    worker = started;
    return started;
  };

  /** The cells with live editor text, and a notification when anything changed since the last request. */
  const snapshot = (cells: readonly NotebookCellSource[]): NotebookCellSource[] => {
    const current = cells.map((cell) => ({ id: cell.id, source: live.get(cell.id)?.() ?? cell.source }));
    const changed = current.filter((cell) => last.get(cell.id) !== cell.source).map((cell) => cell.id);
    const notify = current.length !== last.size || changed.length > 0;
    last = new Map(current.map((cell) => [cell.id, cell.source]));
    if (notify) for (const listener of listeners) listener(changed, current);
    return current;
  };

  return {
    request(kind, cells, params) {
      const id = ++nextId;
      const message = { ...params, id, kind, cells: snapshot(cells) } as LanguageRequest;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        ensureWorker().postMessage(message);
      });
    },
    registerLiveCell(cellId, read) {
      live.set(cellId, read);
      return () => {
        if (live.get(cellId) === read) live.delete(cellId);
      };
    },
    onNotebookChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      ensureWorker();
    },
    dispose() {
      worker?.terminate();
      worker = undefined;
      for (const { reject } of pending.values()) reject(new Error('TypeScript worker stopped'));
      pending.clear();
    },
  };
}

let shared: LanguageClient | undefined;

/** The client every cell editor of the page shares (one worker per page). */
export function sharedLanguageClient(): LanguageClient {
  shared ??= createLanguageClient();
  return shared;
}
