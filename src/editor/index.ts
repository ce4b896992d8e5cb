export * from './cell-keymap.ts';
export * from './cell-setup.ts';
export * from './source-sync.ts';
export * from './load-typescript-intelligence.ts';
