/**
 * Services the elements receive by context rather than from module
 * singletons, so tests and embedders can give their own.
 */
import { createContext } from '@lit/context';
import type { KernelClient } from '../kernel-client/index.ts';
import type { NotebookStore } from '../storage/index.ts';

/** Where autosaves and recent files live. */
export const storeContext = createContext<NotebookStore>(Symbol('tailor-store'));

/** Makes the kernel for a notebook view (one per open notebook). */
export const kernelFactoryContext = createContext<() => KernelClient>(Symbol('tailor-kernel-factory'));
