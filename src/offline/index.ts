export { registerServiceWorker } from './register-service-worker.ts';
export { cacheNames, isStaleCache, routeRequest, SERVICE_WORKER_FILE, type OfflineRoute, type RouteInput } from './offline-routes.ts';
