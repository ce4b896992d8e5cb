/**
 * TF.js's wasm build caps its XNNPACK thread pool at
 * `navigator.hardwareConcurrency / 2`, read once when the wasm module starts
 * (its C++ assumes two hyper-threads per core), so `setThreadsCount` alone
 * gives one thread on a 2-core laptop. While the backend starts, this
 * reports twice the wanted threads as `hardwareConcurrency`, which lifts the
 * cap to exactly `threads`; the returned function restores the real value
 * (cells see the true core count).
 */
export function liftWasmThreadCap(threads: number): () => void {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (!nav) return () => {};
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  Object.defineProperty(nav, 'hardwareConcurrency', { value: threads * 2, configurable: true });
  return () => {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  };
}
