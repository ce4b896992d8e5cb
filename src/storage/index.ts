export * from './notebook-store.ts';
export * from './file-access.ts';
export * from './tab-presence.ts';
