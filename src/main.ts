/** The app's entry point: defines the elements; `<tailor-app>` in index.html does the rest. */
import './ui/index.ts';
import { registerServiceWorker } from './offline/index.ts';
registerServiceWorker();
