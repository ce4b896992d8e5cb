/**
 * The editing behaviour every cell editor has: TypeScript or Markdown
 * highlighting, bracket matching and closing, indentation, search, and an
 * undo history of its own (per cell, as in Jupyter).
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, defaultHighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { EditorState, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, placeholder } from '@codemirror/view';

export type CellLanguage = 'typescript' | 'markdown';

const typescript = javascript({ typescript: true });
let markdownSupport: Promise<Extension> | undefined;

/** Highlighting for the cell's language, when it is already loaded (TypeScript always is); else none yet. */
export function cellLanguage(language: CellLanguage): Extension {
  return language === 'typescript' ? typescript : [];
}

/**
 * Highlighting for the cell's language. Markdown support is fetched on first
 * use (it is a large grammar most sessions edit rarely), keeping it out of
 * the initial JavaScript.
 */
export function loadCellLanguage(language: CellLanguage): Promise<Extension> {
  if (language === 'typescript') return Promise.resolve(typescript);
  markdownSupport ??= import('@codemirror/lang-markdown').then(({ markdown }) => markdown());
  return markdownSupport;
}

/** The editor behaviour shared by all cells, without language (see `cellLanguage`). */
export function cellSetup(options: { label: string; placeholderText?: string }): Extension {
  return [
    history(),
    drawSelection(),
    highlightActiveLine(),
    indentOnInput(),
    indentUnit.of('  '),
    EditorState.tabSize.of(2),
    bracketMatching(),
    closeBrackets(),
    autocompletion({ activateOnTyping: true }),
    highlightSelectionMatches(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': options.label }),
    placeholder(options.placeholderText ?? ''),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
  ];
}
