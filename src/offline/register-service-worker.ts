/**
 * Registers the offline service worker (service-worker.ts) once the page has
 * loaded, so precaching does not compete with the first page's own scripts.
 *
 * Only builds made with the offline plugin (offline-plugin.ts) define
 * `import.meta.env.TAILOR_SERVICE_WORKER`; the dev server, tests in Node and
 * builds without the plugin register nothing. A failed registration is a
 * warning: the app works online without it.
 */
export function registerServiceWorker(): void {
  const file = import.meta.env.TAILOR_SERVICE_WORKER as string | undefined;
  if (!file || !('serviceWorker' in navigator)) return;
  const scope = new URL(import.meta.env.BASE_URL, location.href);
  const register = () => {
    navigator.serviceWorker.register(new URL(file, scope), { scope: scope.pathname }).catch((error: unknown) => {
      console.warn(`Tailor will not work offline: its service worker did not register (${(error as Error).message}).`);
    });
  };
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}
