/**
 * Registers the offline service worker (service-worker.ts) once the page has
 * loaded, so precaching does not compete with the first page's own scripts.
 *
 * Only builds made with the offline plugin (offline-plugin.ts) define
 * `import.meta.env.TAILOR_SERVICE_WORKER`; the dev server, tests in Node and
 * builds without the plugin register nothing. A failed registration is a
 * warning: the app works online without it. Each load online also asks for
 * an update, so a new deploy's worker is in charge from the next load on.
 */
export function registerServiceWorker(): void {
  const file = import.meta.env.TAILOR_SERVICE_WORKER as string | undefined;
  if (!file || !('serviceWorker' in navigator)) return;
  const scope = new URL(import.meta.env.BASE_URL, location.href);
  const register = async () => {
    try {
      const registration = await navigator.serviceWorker.register(new URL(file, scope), { scope: scope.pathname });
      // Look for a new deploy now rather than when the browser gets to it: the new worker then takes
      // over for the next load. Offline there is nothing to look for.
      if (registration.active && navigator.onLine) await registration.update().catch(() => undefined);
    } catch (error) {
      console.warn(`Tailor will not work offline: its service worker did not register (${(error as Error).message}).`);
    }
  };
  if (document.readyState === 'complete') void register();
  else addEventListener('load', () => void register(), { once: true });
}
