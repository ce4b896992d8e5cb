export * from './messages.ts';
export * from './mime.ts';
export * from './constructors.ts';
export * from './validate.ts';
export * from './accept.ts';
