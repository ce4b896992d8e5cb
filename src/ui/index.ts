export { TailorApp } from './tailor-app.ts';
export type { TailorNotebook } from './tailor-notebook.ts';
export { TailorHome } from './tailor-home.ts';
export { COMMANDS, type Command, type NotebookActions } from './commands.ts';
export { kernelFactoryContext, storeContext } from './contexts.ts';
