export * from './kernel-client.ts';
