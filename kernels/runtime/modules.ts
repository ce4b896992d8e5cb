/**
 * The modules a cell can import, without setup, in any cell. The table is
 * the whole list: anything else is an error that names these.
 */
import * as tf from '@tensorflow/tfjs';
import * as tailor from '../transfer/index.ts';
import { plotModule } from './plot-module.ts';

const MODULES: Record<string, () => Record<string, unknown>> = {
  '@tensorflow/tfjs': () => tf as unknown as Record<string, unknown>,
  '@observablehq/plot': () => plotModule() as unknown as Record<string, unknown>,
  tailor: () => tailor as unknown as Record<string, unknown>,
};

/** The importable specifiers. */
export const MODULE_NAMES: readonly string[] = Object.keys(MODULES);

/** The namespace of an importable module; throws listing the available ones otherwise. */
export function moduleNamespace(specifier: string): Record<string, unknown> {
  const load = MODULES[specifier];
  if (!load) throw new Error(`Cannot find module '${specifier}'. Available modules: ${MODULE_NAMES.join(', ')}`);
  return load();
}

export function importDefault(specifier: string): unknown {
  const ns = moduleNamespace(specifier);
  return 'default' in ns && ns.default !== undefined ? ns.default : ns;
}

export function importName(specifier: string, name: string): unknown {
  const ns = moduleNamespace(specifier);
  if (!(name in ns)) {
    const exports = Object.keys(ns).sort();
    const shown = exports.slice(0, 40).join(', ') + (exports.length > 40 ? `, … (${exports.length} in all)` : '');
    const error = new SyntaxError(`The module '${specifier}' does not provide an export named '${name}'. Its exports: ${shown || '(none yet)'}`);
    // Start the stack at the cell's import, not inside the kernel.
    Error.captureStackTrace?.(error, importName);
    throw error;
  }
  return ns[name];
}
